"""The seed practice library: real public-sector practices that ship with govlab.

The records live in ``practices.yaml`` beside this module, written in the project's
own words from a fact sheet of public sources (each record names its sources).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from govlab.errors import InvalidInput, located
from govlab.models import Practice, explain

SEED_FILE = "practices.yaml"

__all__ = ["SEED_FILE", "seed_practices", "validate_entries"]


def validate_entries(entries: Any, file: str = SEED_FILE) -> list[Practice]:
    """Validate a list of mappings (as read from YAML) into practices.

    Parameters
    ----------
    entries
        The parsed YAML document: a list of mappings, one per practice.
    file
        The file name to put in error messages.

    Returns
    -------
    list[Practice]
        The practices, in input order.

    Raises
    ------
    InvalidInput
        If the document is not a list, or an entry is not a mapping or does not
        validate; the message names the file, the entry's index and id, and the field.
    """
    if not isinstance(entries, list):
        raise InvalidInput(located("expected a list of practices", file=file))
    practices = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InvalidInput(f"{file}, entry {index}: expected a mapping of practice fields")
        try:
            practices.append(Practice.model_validate(entry))
        except ValidationError as error:
            where = f"{file}, entry {index} (id {entry.get('id')!r})"
            raise InvalidInput(f"{where}: {explain(error)}") from None
    return practices


def seed_practices() -> list[Practice]:
    """Load and validate every practice of the seed library.

    Returns
    -------
    list[Practice]
        The practices, in file order.

    Raises
    ------
    InvalidInput
        If the shipped file is not valid YAML or an entry does not validate.
    """
    text = resources.files(__name__).joinpath(SEED_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when built, same rules
    try:
        entries = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise InvalidInput(located(f"not valid YAML ({error})", file=SEED_FILE)) from None
    return validate_entries(entries)
