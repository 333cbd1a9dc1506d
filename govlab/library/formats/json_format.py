"""The JSON format: ``{"format": "govlab-practices", "version": 1, "practices": [...]}``.

Each practice is ``Practice.model_dump(mode="json")``; a bare list of practices is
read too. The file validates against :func:`govlab.library.formats.schema.export_schema`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlab.errors import InvalidInput
from govlab.library.formats.reading import Problems, duplicates, load_json
from govlab.models import Practice, practice_from

FORMAT_NAME = "govlab-practices"
VERSION = 1
_KEYS = ("format", "version", "practices")


def document(practices: Iterable[Practice]) -> dict[str, Any]:
    """The export document for ``practices``."""
    items = [practice.model_dump(mode="json") for practice in practices]
    return {"format": FORMAT_NAME, "version": VERSION, "practices": items}


def write_json(practices: Iterable[Practice], path: Path) -> int:
    """Write practices as a govlab JSON file; returns how many were written."""
    doc = document(practices)
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return len(doc["practices"])


def unwrap(value: Any, path: Path) -> list[Any]:
    """The list of practice objects in a govlab JSON document (or a bare list)."""
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        raise InvalidInput(
            f"{path}: expected an object with a 'practices' list (or a list of practices), "
            f"found {type(value).__name__}"
        )
    if "result" in value or value.get("type") == "practice":
        raise InvalidInput(f"{path}: this looks like CKAN package JSON; use --format ckan")
    unknown = sorted(set(value) - set(_KEYS))
    if unknown or "practices" not in value:
        what = f"unknown key(s) {', '.join(map(repr, unknown))}" if unknown else "no 'practices'"
        raise InvalidInput(f"{path}: {what}; a govlab JSON file has the keys {', '.join(_KEYS)}")
    if value.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise InvalidInput(f"{path}: 'format' is {value['format']!r}, expected {FORMAT_NAME!r}")
    version = value.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise InvalidInput(
            f"{path}: 'version' is {version!r}; this govlab reads version {VERSION} "
            "(a newer file needs a newer govlab)"
        )
    items = value["practices"]
    if not isinstance(items, list):
        raise InvalidInput(f"{path}: 'practices' should be a list, found {type(items).__name__}")
    return items


def validate_items(items: list[Any], path: Path) -> list[Practice]:
    """Validate practice objects, collecting every problem; ``item N`` counts from 1."""
    problems = Problems(path)
    practices: list[tuple[int, Practice]] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.add(f"expected an object, found {type(item).__name__}", where=f"item {number}")
            continue
        try:
            practices.append((number, practice_from(item)))
        except ValidationError as error:
            problems.add_validation(error, where=f"item {number}")
    seen = ((practice.id, str(number)) for number, practice in practices)
    for practice_id, first, later in duplicates(seen):
        problems.add(
            f"both have id {practice_id!r}", where=f"items {first} and {later}", field="id"
        )
    problems.check()
    return [practice for _, practice in practices]


def read_json(path: Path) -> list[Practice]:
    """Read every practice in a govlab JSON file, or reject the file with all its problems."""
    return validate_items(unwrap(load_json(path), path), path)
