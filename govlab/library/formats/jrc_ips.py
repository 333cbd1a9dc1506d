"""Import the EU JRC Innovative Public Services catalogue (IPS-X, ``--format jrc-ips``).

The catalogue (github.com/ipsoeu/ips-explorer, ``data/cases.csv``; 853 cases of AI
and blockchain in European public services, 2022) has one row per case. Its columns
map onto a practice like this:

==========================  =====================================================
IPS-X column                practice field
==========================  =====================================================
``id``                      ``id`` = ``jrc-ips-<id>`` (stable across re-imports)
``name``                    ``title``
``description``             ``approach`` (whole), ``summary`` (first sentences)
``geocoverage``             ``country`` (ISO alpha-2; European Union = ``EU``);
                            ``jurisdiction`` for national and cross-country cases
``geoextent``               ``level``: Local, Regional, National; Across
                            Countries = supranational
``lead_organisation_name``  ``organisation`` (shortened to 300 characters)
``primary_sector``          ``sector`` (COFOG division) and topic ``cofog:NN``
``secondary_sector``        a topic (COFOG group)
``type``                    a topic (IPS service type)
``technology``              ``technologies``: artificial intelligence, blockchain
``status``                  ``stage``: Planned = idea; Pilot, In development =
                            pilot; Implemented, In production = implemented;
                            Not in use anymore = retired
``start_date``/``end_date``  ``year_started``/``year_ended``
``url``                     ``sources`` (http(s) URLs only), plus the catalogue
==========================  =====================================================

Every practice is ``published`` by author ``jrc-ips`` with no evidence level (the
catalogue describes cases; it does not evaluate them). A row without an id or a
title, a repeated id, or a row the model rejects is skipped with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlab.errors import InvalidInput
from govlab.library.formats.csv_format import read_text, records
from govlab.library.formats.reading import FIELD_MAX, ImportBatch, shorten
from govlab.models import SUMMARY_MAX, explain, practice_from

AUTHOR = "jrc-ips"
ORGANISATION_MAX = 300  # Practice.organisation's limit; one row lists 10 partner bodies
REQUIRED = ("id", "name")
USED = REQUIRED + (
    "description",
    "geoextent",
    "geocoverage",
    "geocoverage_codes",
    "lead_organisation_name",
    "start_date",
    "end_date",
    "primary_sector",
    "secondary_sector",
    "technology",
    "type",
    "status",
    "url",
)
CATALOGUE = {
    "url": "https://github.com/ipsoeu/ips-explorer",
    "title": "EU JRC Innovative Public Services Explorer (IPS-X), 2022 catalogue",
}
# The country names in the 2022 catalogue (35 values), plus the one EU member it lacks.
COUNTRIES = {
    "andorra": "AD", "austria": "AT", "belgium": "BE", "bulgaria": "BG", "croatia": "HR",
    "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK",
    "estonia": "EE", "european union": "EU", "eu": "EU", "finland": "FI", "france": "FR",
    "germany": "DE", "greece": "GR", "hungary": "HU", "ireland": "IE", "italy": "IT",
    "latvia": "LV", "lithuania": "LT", "luxembourg": "LU", "malta": "MT", "moldova": "MD",
    "netherlands": "NL", "norway": "NO", "poland": "PL", "portugal": "PT", "romania": "RO",
    "russia": "RU", "san marino": "SM", "slovakia": "SK", "slovenia": "SI", "spain": "ES",
    "sweden": "SE", "switzerland": "CH", "ukraine": "UA", "united kingdom": "GB",
}  # fmt: skip
COFOG = {
    "general public services": "01", "defence": "02", "public order and safety": "03",
    "economic affairs": "04", "environmental protection": "05",
    "housing and community amenities": "06", "health": "07",
    "recreation, culture and religion": "08", "education": "09", "social protection": "10",
}  # fmt: skip
LEVELS = {
    "local": "local", "city": "local", "municipal": "local", "neighbourhood": "local",
    "regional": "regional", "national": "national", "across countries": "supranational",
    "european": "supranational", "cross-border": "supranational",
    "international": "supranational",
}  # fmt: skip
STAGES = {
    "planned": "idea", "idea": "idea", "pilot": "pilot", "in development": "pilot",
    "implemented": "implemented", "in production": "implemented", "in use": "implemented",
    "operational": "implemented", "not in use anymore": "retired", "discontinued": "retired",
}  # fmt: skip
_URL_START = re.compile(r"[\s,;]+(?=https?://)")
_YEAR = re.compile(r"^(\d{4})(?:\.0+|-\d{2}(?:-\d{2})?)?$")


def urls(cell: str) -> tuple[list[str], list[str]]:
    """The http(s) URLs in a cell (split on whitespace, commas or semicolons), and the rest.

    A space inside one URL (``.../Proof of Concepts.html``) is percent-encoded.
    """
    found: dict[str, None] = {}
    dropped = []
    for piece in _URL_START.split(cell.replace("\xa0", " ")):
        piece = piece.strip().rstrip(",;").strip()
        if piece.startswith(("http://", "https://")):
            found.setdefault(re.sub(r"\s+", "%20", piece), None)
        elif piece:
            dropped.append(piece)
    return list(found), dropped


def year(cell: str) -> int | None:
    """A year from ``2019``, ``2019.0`` or ``2019-03-04``; None when absent or unreadable."""
    match = _YEAR.match(cell.strip())
    return int(match.group(1)) if match else None


def _country(row: dict[str, str], notes: list[str]) -> str | None:
    names = [name.strip() for name in row.get("geocoverage", "").split(",") if name.strip()]
    codes = [COUNTRIES.get(name.lower()) for name in names]
    if len(names) == 1 and codes[0]:
        return codes[0]
    code = row.get("geocoverage_codes", "").strip().upper()
    if len(names) <= 1 and re.fullmatch(r"[A-Z]{2}", code):
        return code
    if len(names) == 1:
        notes.append(f"country {names[0]!r} not recognised; left empty")
    return None


def _mapped(table: dict[str, str], column: str, row: dict[str, str], notes: list[str]) -> Any:
    value = row.get(column, "").strip()
    if value and value.lower() not in table:
        notes.append(f"{column} {value!r} not recognised; left empty")
    return table.get(value.lower())


def _topics(row: dict[str, str]) -> list[str]:
    primary = row.get("primary_sector", "").strip()
    topics = [row.get("type", ""), row.get("secondary_sector", "").strip().rstrip(".")]
    if primary.lower() in COFOG:
        topics.append(f"cofog:{COFOG[primary.lower()]}")
    return topics


def _years(row: dict[str, str], notes: list[str]) -> dict[str, int]:
    out = {}
    for column, field in (("start_date", "year_started"), ("end_date", "year_ended")):
        value = year(row.get(column, ""))
        if value is not None:
            out[field] = value
        elif row.get(column, "").strip():
            notes.append(f"{column} {row[column].strip()!r} is not a date; left empty")
    if out.get("year_ended", 9999) < out.get("year_started", 0):
        notes.append("end_date is before start_date; year_ended left empty")
        del out["year_ended"]
    return out


def fields(row: dict[str, str], notes: list[str]) -> dict[str, Any]:
    """The practice fields of one catalogue row (validated by the caller)."""
    description = row.get("description", "").strip()
    level = _mapped(LEVELS, "geoextent", row, notes)
    found, dropped = urls(row.get("url", ""))
    notes += [f"url {piece[:60]!r} is not an http(s) URL; dropped" for piece in dropped]
    organisation = row.get("lead_organisation_name") or row.get("lead_organisation:name", "")
    if len(organisation.strip()) > ORGANISATION_MAX:
        notes.append(f"lead_organisation_name is over {ORGANISATION_MAX} characters; shortened")
        organisation = shorten(organisation, ORGANISATION_MAX)
    technology = row.get("technology", "").strip().lower()
    return {
        "id": f"jrc-ips-{re.sub(r'[^a-z0-9]+', '-', row['id'].strip().lower()).strip('-')}",
        "title": shorten(row["name"], 200),
        "summary": shorten(description, SUMMARY_MAX),
        "approach": description,
        "jurisdiction": row.get("geocoverage", "")
        if level in ("national", "supranational")
        else "",
        "country": _country(row, notes),
        "level": level,
        "organisation": organisation,
        "sector": row.get("primary_sector", ""),
        "topics": _topics(row),
        "technologies": [technology] if technology else [],
        "stage": _mapped(STAGES, "status", row, notes),
        **_years(row, notes),
        "sources": [{"url": url} for url in found] + [CATALOGUE],
        "status": "published",
        "author": AUTHOR,
        "language": "en",
    }


def _header(rows: list[list[str]], path: Path) -> list[str]:
    header = [name.strip() for name in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(
            f"{path}, row 1: missing column(s) {', '.join(map(repr, missing))}: this is not "
            f"the JRC IPS catalogue (its columns include {', '.join(USED)})"
        )
    return header


def _skip_reason(row: dict[str, str], cells: list[str], header: list[str]) -> str | None:
    if len(cells) != len(header):
        return f"has {len(cells)} cells but the header has {len(header)} columns"
    if any(len(cell) > FIELD_MAX for cell in cells):
        return f"a cell is longer than {FIELD_MAX:,} characters"
    if not re.search(r"[A-Za-z0-9]", row["id"]):
        return "no id"
    if len(row["name"].strip()) < 3:
        return "no title (the 'name' column is empty or under 3 characters)"
    return None


def read_jrc_ips(path: Path) -> ImportBatch:
    """Read the JRC IPS catalogue: the practices, the rows skipped and why, and notes."""
    rows = records(read_text(path), path)
    header = _header(rows, path)
    batch = ImportBatch(practices=[], skipped=[], source=str(path))
    first_row: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not cells:
            continue  # a blank line
        row = dict(zip(header, cells, strict=False))
        reason = _skip_reason(row, cells, header)
        notes: list[str] = []
        try:
            practice = None if reason else practice_from(fields(row, notes))
        except ValidationError as error:
            reason, practice = explain(error), None
        if practice is not None and practice.id in first_row:
            reason = f"same id as row {first_row[practice.id]} ({practice.id})"
        if reason or practice is None:
            batch.skipped.append((number, reason or "unreadable"))
            continue
        first_row[practice.id] = number
        batch.practices.append(practice)
        batch.warnings += [(number, note) for note in notes]
    return batch
