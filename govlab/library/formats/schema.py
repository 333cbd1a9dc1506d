"""JSON Schemas generated from the model: one practice, and a whole export file."""

from __future__ import annotations

import copy
from typing import Any

from govlab.library.formats.json_format import FORMAT_NAME, VERSION
from govlab.models import Practice

DIALECT = "https://json-schema.org/draft/2020-12/schema"
PRACTICE_ID = "urn:govlab:schema:practice:1"
EXPORT_ID = "urn:govlab:schema:practices-file:1"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one practice, as ``govlab schema`` prints it."""
    schema = Practice.model_json_schema()
    return {
        "$schema": DIALECT,
        "$id": PRACTICE_ID,
        **schema,
        "title": "govlab practice",
        "description": (Practice.__doc__ or "").strip(),
    }


def export_schema() -> dict[str, Any]:
    """The JSON Schema of a whole govlab JSON export file."""
    practice = copy.deepcopy(json_schema())
    defs = practice.pop("$defs", {})
    for key in ("$schema", "$id"):
        practice.pop(key)
    return {
        "$schema": DIALECT,
        "$id": EXPORT_ID,
        "title": "govlab practices file",
        "type": "object",
        "required": ["format", "version", "practices"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": VERSION},
            "practices": {"type": "array", "items": {"$ref": "#/$defs/Practice"}},
        },
        "$defs": {**defs, "Practice": practice},
    }
