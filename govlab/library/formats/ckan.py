"""CKAN package JSON: practices as CKAN packages of ``type: "practice"``.

Writing maps a practice onto CKAN's own package keys where one fits, and keeps
every other field in ``extras`` as a JSON-encoded string, so that a round trip is
lossless:

====================  ======================================================
CKAN package key      practice field
====================  ======================================================
``name``              ``id``
``title``             ``title``
``notes``             ``summary``
``author``            ``author``
``organization``      ``organisation`` (as ``{"name": slug, "title": ...}``)
``tags``              ``topics`` that are valid CKAN tags (also in extras)
``url``               the first source's URL (all sources are in extras)
``metadata_created``  ``created`` (naive UTC, as CKAN writes it)
``metadata_modified`` ``updated``
``extras``            every other field: ``{"key": field, "value": json}``
====================  ======================================================

Reading accepts a list of packages, a ``package_search`` response
(``{"result": {"results": [...]}}``), a ``package_show`` response or one package.
A real CKAN package without our extras gets the model's defaults; long ``notes``
become the summary's first sentences and the whole text goes to ``approach``.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlab.errors import InvalidInput
from govlab.library.formats.reading import Problems, duplicates, load_json, shorten
from govlab.models import SUMMARY_MAX, Practice, practice_from

PACKAGE_TYPE = "practice"
MAPPED = ("id", "title", "summary", "author", "organisation", "created", "updated")
EXTRA_FIELDS: tuple[str, ...] = tuple(name for name in Practice.model_fields if name not in MAPPED)
CKAN_KEY = {
    "id": "name",
    "summary": "notes",
    "organisation": "organization",
    "created": "metadata_created",
    "updated": "metadata_modified",
    "title": "title",
    "author": "author",
}
_TAG = re.compile(r"[\w .-]{2,100}")  # CKAN's own rule for a tag name


def _slug(text: str) -> str:
    """A CKAN name for free text: ``Ville de Québec`` -> ``ville-de-quebec``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100]


def _ckan_time(value: datetime | None) -> str | None:
    """CKAN writes naive UTC timestamps; another offset is kept so nothing is lost."""
    if value is None:
        return None
    if value.utcoffset() is not None and not value.utcoffset():
        value = value.replace(tzinfo=None)
    return value.isoformat()


def to_package(practice: Practice) -> dict[str, Any]:
    """The CKAN package for one practice."""
    data = practice.model_dump(mode="json")
    package: dict[str, Any] = {
        "type": PACKAGE_TYPE,
        "name": practice.id,
        "title": practice.title,
        "notes": practice.summary,
        "author": practice.author,
        "url": practice.sources[0].url if practice.sources else "",
        "tags": [{"name": topic} for topic in practice.topics if _TAG.fullmatch(topic)],
        "organization": None,
        "metadata_created": _ckan_time(practice.created),
        "metadata_modified": _ckan_time(practice.updated),
        "extras": [
            {"key": name, "value": json.dumps(data[name], ensure_ascii=False)}
            for name in EXTRA_FIELDS
        ],
    }
    if practice.organisation:
        organization = {"title": practice.organisation}
        if _slug(practice.organisation):
            organization["name"] = _slug(practice.organisation)
        package["organization"] = organization
    return package


def write_ckan(practices: Iterable[Practice], path: Path) -> int:
    """Write practices as a JSON list of CKAN packages; returns how many were written."""
    packages = [to_package(practice) for practice in practices]
    path.write_text(json.dumps(packages, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(packages)


def packages_in(value: Any, path: Path) -> list[Any]:
    """The packages in a list, an API response or a single package."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and value.get("success") is False:
        raise InvalidInput(f"{path}: the CKAN API reported an error: {value.get('error')}")
    if isinstance(value, dict) and "result" in value:
        result = value["result"]
        if isinstance(result, dict) and isinstance(result.get("results"), list):
            return list(result["results"])
        return result if isinstance(result, list) else [result]
    if isinstance(value, dict) and "name" in value:
        return [value]
    raise InvalidInput(
        f"{path}: expected CKAN package JSON: a list of packages, a package_search "
        "response ({'result': {'results': [...]}}) or one package"
    )


def _list(package: dict[str, Any], key: str) -> list[Any]:
    """A package's list-valued key (tags, resources, extras); absent or null is empty."""
    value = package.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{key!r} should be a list, found {type(value).__name__}")
    return value


def _extras(package: dict[str, Any]) -> dict[str, Any]:
    """Our fields found in a package's extras, JSON-decoded (plain text kept as is)."""
    out: dict[str, Any] = {}
    for extra in _list(package, "extras"):
        if not isinstance(extra, dict) or "key" not in extra:
            raise ValueError("extras should be a list of {'key': ..., 'value': ...}")
        if extra["key"] not in EXTRA_FIELDS:
            continue  # another CKAN extension's extra: not ours
        value = extra.get("value")
        if isinstance(value, str):
            # a plain-text value from a portal that did not JSON-encode it stays as is
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
        out[extra["key"]] = value
    return out


def _sources(package: dict[str, Any]) -> list[dict[str, str]]:
    """Sources of a package without ours: its url, then its resources' URLs."""
    found: dict[str, str] = {}
    if isinstance(package.get("url"), str) and package["url"].startswith(("http://", "https://")):
        found[package["url"].strip()] = ""
    for resource in _list(package, "resources"):
        url = resource.get("url") if isinstance(resource, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            found.setdefault(url.strip(), str(resource.get("name") or ""))
    return [{"url": url, "title": title} for url, title in found.items()]


def from_package(package: dict[str, Any]) -> dict[str, Any]:
    """The practice fields of one package (validated by the caller); ValueError if unusable."""
    if package.get("type") != PACKAGE_TYPE:
        raise ValueError(
            f"type is {package.get('type')!r}, expected {PACKAGE_TYPE!r} "
            "(only practice packages can be imported)"
        )
    data = _extras(package)
    name = package.get("name")
    data["id"] = re.sub(r"[_-]+", "-", name) if isinstance(name, str) else name
    data["title"] = package.get("title") or name
    notes = package.get("notes") or ""
    if isinstance(notes, str) and len(notes) > SUMMARY_MAX:
        data.setdefault("approach", notes)
        notes = shorten(notes, SUMMARY_MAX)
    data["summary"] = notes
    for key, field in (("author", "author"), ("metadata_created", "created")):
        if package.get(key):
            data[field] = package[key]
    if package.get("metadata_modified"):
        data["updated"] = package["metadata_modified"]
    organization = package.get("organization")
    if isinstance(organization, dict) and organization.get("title"):
        data["organisation"] = organization["title"]
    if "topics" not in data:
        tags = _list(package, "tags")
        data["topics"] = [tag.get("name", "") if isinstance(tag, dict) else tag for tag in tags]
    if "sources" not in data:
        data["sources"] = _sources(package)
    return data


def _label(number: int, package: Any) -> str:
    name = package.get("name") if isinstance(package, dict) else None
    return f"package {number} ({name!r})" if isinstance(name, str) else f"package {number}"


def read_ckan(path: Path) -> list[Practice]:
    """Read every practice package in a CKAN JSON file, or reject the file."""
    problems = Problems(path)
    practices: list[tuple[str, Practice]] = []
    for number, package in enumerate(packages_in(load_json(path), path), start=1):
        where = _label(number, package)
        if not isinstance(package, dict):
            problems.add(f"expected a package object, found {type(package).__name__}", where=where)
            continue
        try:
            practices.append((where, practice_from(from_package(package))))
        except ValueError as error:
            if isinstance(error, ValidationError):
                problems.add_validation(error, where=where, rename=ckan_key)
            else:
                problems.add(str(error), where=where)
    for practice_id, first, later in duplicates((p.id, where) for where, p in practices):
        problems.add(f"both have name {practice_id!r}", where=f"{first} and {later}", field="name")
    problems.check()
    return [practice for _, practice in practices]


def ckan_key(field: str) -> str:
    """Where a practice field lives in a CKAN package (for error messages)."""
    return CKAN_KEY.get(field, f"extras.{field}")
