"""Import and export of practices: CSV, JSON, CKAN package JSON, and the JRC IPS catalogue.

Every import is all-or-nothing: :func:`read_practices` either returns a whole
:class:`ImportBatch` or raises :class:`~govlab.errors.InvalidInput` naming the file,
row and column of each problem (up to ten at once). Only ``jrc-ips``, a foreign
catalogue, skips rows it cannot use, and says which and why.

>>> batch = read_practices("practices.csv")          # doctest: +SKIP
>>> write_practices(batch.practices, "out.json", "json")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from govlab.errors import InvalidInput
from govlab.library.formats.ckan import read_ckan, write_ckan
from govlab.library.formats.csv_format import read_csv, write_csv
from govlab.library.formats.jrc_ips import read_jrc_ips
from govlab.library.formats.json_format import read_json, write_json
from govlab.library.formats.reading import ImportBatch, load_json
from govlab.library.formats.schema import export_schema, json_schema
from govlab.models import Practice

FORMATS = ("csv", "json", "ckan", "jrc-ips")
WRITABLE = ("csv", "json", "ckan")
_JRC_COLUMNS = {"name", "geoextent", "geocoverage", "primary_sector"}
_CKAN_KEYS = {"extras", "notes", "metadata_created", "resources", "tags"}

__all__ = [
    "FORMATS",
    "WRITABLE",
    "ImportBatch",
    "export_schema",
    "guess_format",
    "json_schema",
    "read_practices",
    "write_practices",
]


def _is_ckan(value: object) -> bool:
    """Whether parsed JSON looks like CKAN packages rather than a govlab file."""
    if isinstance(value, list):
        return bool(value) and _is_ckan(value[0])
    if not isinstance(value, dict):
        return False
    if "result" in value or "success" in value or value.get("type") == "practice":
        return True
    return "name" in value and bool(_CKAN_KEYS & set(value))


def guess_format(path: str | os.PathLike[str]) -> str:
    """The format of a file, from its extension and, for ``.csv`` and ``.json``, a sniff.

    A ``.csv`` whose header has the JRC IPS columns is ``jrc-ips``; a ``.json`` holding
    CKAN packages (``extras``, ``notes``, an API ``result``...) is ``ckan``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with path.open("rb") as handle:
                head = handle.readline(65536).decode("utf-8-sig", "replace")
        except OSError:
            return "csv"  # read_practices reports the problem
        columns = {name.strip().strip('"').lower() for name in head.split(",")}
        return "jrc-ips" if columns >= _JRC_COLUMNS else "csv"
    if suffix == ".json":
        try:
            return "ckan" if _is_ckan(load_json(path)) else "json"
        except InvalidInput:
            return "json"  # read_practices reports the problem
    raise InvalidInput(
        f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
        f"name one of: {', '.join(FORMATS)}"
    )


def _format(path: Path, format: str | None, allowed: tuple[str, ...]) -> str:
    chosen = (format or guess_format(path)).strip().lower()
    if chosen not in allowed:
        raise InvalidInput(f"unknown format {chosen!r}; choose one of: {', '.join(allowed)}")
    return chosen


def read_practices(path: str | os.PathLike[str], format: str | None = None) -> ImportBatch:
    """Read every practice in a file, or raise :class:`InvalidInput` for the whole file.

    Parameters
    ----------
    path
        The file to read.
    format
        One of :data:`FORMATS`; guessed from the file when None.

    Returns
    -------
    ImportBatch
        The practices, the rows skipped (``jrc-ips`` only) and the source.
    """
    path = Path(path)
    chosen = _format(path, format, FORMATS)
    if chosen == "jrc-ips":
        return read_jrc_ips(path)
    readers: dict[str, Callable[[Path], list[Practice]]] = {
        "csv": read_csv,
        "json": read_json,
        "ckan": read_ckan,
    }
    return ImportBatch(practices=readers[chosen](path), skipped=[], source=str(path))


def write_practices(
    practices: Iterable[Practice], path: str | os.PathLike[str], format: str | None = None
) -> int:
    """Write practices to ``path`` (replaced whole, never half-written); returns the count.

    Parameters
    ----------
    practices
        The practices to write, in order.
    path
        The file to write.
    format
        ``csv``, ``json`` or ``ckan``; guessed from the extension when None
        (``.json`` means govlab JSON).
    """
    path = Path(path)
    if format is None and path.suffix.lower() not in (".csv", ".json"):
        raise InvalidInput(f"{path}: name the format, one of: {', '.join(WRITABLE)}")
    chosen = _format(path, format or path.suffix.lower()[1:], WRITABLE)
    writers = {"csv": write_csv, "json": write_json, "ckan": write_ckan}
    partial = path.with_name(f".{path.name}.partial")
    try:
        count = writers[chosen](practices, partial)
        os.replace(partial, path)
    except OSError as error:
        raise InvalidInput(f"{path}: cannot write the file ({error.strerror})") from None
    finally:
        if partial.exists():
            partial.unlink()
    return count
