"""``govlab init|guidelines|search|show|history|import|export|stats|schema``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import ACCEPT_COMMAND, Db, Json, emit, session
from govlab.errors import InvalidInput
from govlab.models import SearchResult

BAR_FROM = 200  # practices: a smaller import is over before a bar would help


def register(app: typer.Typer) -> None:
    """Add the library commands (init, search, show ...) to the root ``govlab`` app."""
    for command in (init, guidelines, search, show, history, import_, export, stats, schema):
        name = command.__name__.rstrip("_")
        app.command(name=name)(command)


def init(
    db: Db = None,
    as_json: Json = False,
    no_seed: Annotated[bool, typer.Option("--no-seed", help="Create an empty library.")] = False,
    admin: Annotated[
        str | None,
        typer.Option("--admin", help="Name the admin of a library that has none yet."),
    ] = None,
) -> None:
    """Create the library (and load the seed practices) if it is not there yet."""
    if admin is not None:
        from govlab.community.session import name_admin

        if not name_admin(db, admin):
            raise InvalidInput(f"--admin: this library has an admin already; {admin} is not one.")
    with session(db, seed=not no_seed) as library:
        if no_seed:
            library.leave_unseeded()
        info = {
            "db": library.location,
            "practices": library.stats()["total"],
            "member": library.member,
            "role": str(library.role),
            "guidelines_accepted": library.profile().guidelines_accepted is not None,
        }
        remind = not library.joined_now and not info["guidelines_accepted"]
    emit(info, as_json, lambda i: f"Library ready at {i['db']} with {i['practices']} practices.")
    if remind:  # on stderr: stdout stays the command's answer (or its JSON)
        typer.echo(
            f"You have not accepted the community guidelines yet: {ACCEPT_COMMAND}", err=True
        )


def guidelines(
    accept: Annotated[
        bool, typer.Option("--accept", help="Accept the community guidelines.")
    ] = False,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Read the community guidelines, or accept them with --accept."""
    with session(db) as library:
        if accept:
            member = library.accept_guidelines()
            data = {"member": member.name, "accepted": member.guidelines_accepted}
            emit(data, as_json, lambda d: f"Thank you, {d['member']}: guidelines accepted.")
            return
        text = library.guidelines()
        accepted = library.profile().guidelines_accepted
    data = {"guidelines": text, "accepted": accepted}
    hint = "You accepted them." if accepted else f"Accept them with `{ACCEPT_COMMAND}`."
    emit(data, as_json, lambda d: f"{d['guidelines'].rstrip()}\n\n{hint}")


def search(
    query: Annotated[str, typer.Argument(help="Words to search for.")] = "",
    country: Annotated[list[str] | None, typer.Option(help="ISO country code, e.g. GB.")] = None,
    level: Annotated[list[str] | None, typer.Option(help="local, regional, national ...")] = None,
    sector: Annotated[list[str] | None, typer.Option()] = None,
    topic: Annotated[list[str] | None, typer.Option()] = None,
    technology: Annotated[list[str] | None, typer.Option()] = None,
    stage: Annotated[list[str] | None, typer.Option()] = None,
    evidence_level: Annotated[
        list[str] | None, typer.Option("--evidence-level", help="1 (anecdote) to 5 (trial).")
    ] = None,
    year: Annotated[list[str] | None, typer.Option(help="Year started, e.g. 2019.")] = None,
    sort: Annotated[
        str, typer.Option(help="relevance, rating, newest, adopted or title.")
    ] = "relevance",
    limit: Annotated[int, typer.Option(min=0, max=500)] = 10,
    page: Annotated[int, typer.Option(min=1, max=1_000_000)] = 1,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Search the practice library: words, facet filters, facet counts."""
    with session(db) as library:
        result = library.search(
            query,
            country=country,
            level=level,
            sector=sector,
            topic=topic,
            technology=technology,
            stage=stage,
            evidence_level=evidence_level,
            year=year,
            sort=sort,  # type: ignore[arg-type]  # checked by the session, named in its message
            limit=limit,
            page=page,
        )
    emit(result.to_dict(), as_json, _search_text)


def _search_text(data: dict[str, Any]) -> str:
    lines = [f"{data['total']} practices found."]
    note = SearchResult.model_validate(data).left_out_note
    if note:
        lines.append(note)
    for item in data["results"]:
        where = ", ".join(str(v) for v in (item["jurisdiction"], item["year_started"]) if v)
        lines.append(f"  {item['id']:<40} {item['title']}" + (f"  ({where})" if where else ""))
    for facet in ("country", "level", "sector", "topic"):
        counts = list(data["facets"].get(facet, {}).items())[:6]
        if counts:
            lines.append(f"  {facet}: " + ", ".join(f"{k} ({v})" for k, v in counts))
    return "\n".join(lines)


def show(
    practice_id: Annotated[str, typer.Argument(help="The practice's id.")],
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Show one practice in full."""
    with session(db) as library:
        practice = library.get(practice_id)
    emit(practice.model_dump(mode="json"), as_json, _practice_text)


def _practice_text(data: dict[str, Any]) -> str:
    where = data["jurisdiction"] + (f" ({data['country']})" if data["country"] else "")
    facts = [
        where,
        f"{data['level']} government" if data["level"] else "",
        data["sector"],
        f"stage: {data['stage']}" if data["stage"] else "",
        f"since {data['year_started']}" if data["year_started"] else "",
    ]
    body = [f"{data['title']}  [{data['id']}]", ", ".join(f for f in facts if f)]
    body += ["", data["summary"]] if data["summary"] else []
    for section in ("problem", "approach", "results", "lessons"):
        if data[section]:
            body += ["", section.capitalize(), data[section]]
    if data["outcomes"]:
        body += ["", "Outcomes"] + [f"  - {outcome_text(o)}" for o in data["outcomes"]]
    if data["sources"]:
        body += ["", "Sources"] + [
            f"  - {s['title'] or s['url']}: {s['url']}" for s in data["sources"]
        ]
    return "\n".join(body)


def outcome_text(outcome: dict[str, Any]) -> str:
    """One outcome as a sentence: ``Municipalities using it: 54 municipalities (self-reported)``."""
    value = amount(outcome["value"], outcome["unit"])
    if outcome["baseline"] is not None and value:
        value = f"{amount(outcome['baseline'], outcome['unit'])} to {value}"
    text = f"{outcome['indicator']}: {value or 'no figure given'}"
    if outcome["period"]:
        text += f", {outcome['period']}"
    return f"{text} ({outcome['evidence_type']})"


def amount(value: float | None, unit: str = "") -> str:
    """A number as a person writes it, with its unit: ``54 municipalities``, ``1.24 million``.

    Whole numbers lose their ``.0``, thousands get commas, millions and billions are
    written as words with up to three significant figures, and a unit starting with
    ``%`` follows the number without a space (``77% of people``).
    """
    if value is None:
        return ""
    size = abs(value)
    if size >= 1e9:
        number = f"{value / 1e9:.3g} billion"
    elif size >= 1e6:
        number = f"{value / 1e6:.3g} million"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def history(
    practice_id: Annotated[str, typer.Argument(help="The practice's id.")],
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Every saved revision of a practice: who, when, why."""
    with session(db) as library:
        revisions = library.history(practice_id)
    data = [
        {"revision": r.revision, "author": r.author, "at": r.at.isoformat(), "message": r.message}
        for r in revisions
    ]
    emit(
        data,
        as_json,
        lambda rows: "\n".join(
            f"  r{r['revision']:<4} {r['at']}  {r['author']:<20} {r['message']}" for r in rows
        ),
    )


def import_(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    format: Annotated[str | None, typer.Option(help="csv, json, ckan or jrc-ips.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; change nothing.")] = False,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Import practices from a file: every row lands, or none does."""
    from govlab.library.formats import read_practices

    batch = read_practices(file, format)
    saved = 0
    if not dry_run:
        with session(db) as library, _import_bar(len(batch.practices)) as progress:
            saved = library.import_practices(
                batch.practices, why=f"import {file.name}", progress=progress
            )
    data = {
        "file": str(file),
        "valid": len(batch.practices),
        "imported": saved,
        "dry_run": dry_run,
        "skipped": [{"row": row, "reason": reason} for row, reason in batch.skipped],
    }
    emit(data, as_json, _import_text)


@contextmanager
def _import_bar(total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A tqdm bar on stderr for a large import on a terminal; None otherwise."""
    if total < BAR_FROM or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit=" practices", file=sys.stderr, leave=False) as bar:

        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        yield progress


def _import_text(data: dict[str, Any]) -> str:
    verb = "would be imported (dry run)" if data["dry_run"] else "imported"
    count = data["valid"] if data["dry_run"] else data["imported"]
    lines = [f"{count} practices {verb} from {data['file']}."]
    if data["skipped"]:
        lines.append(f"{len(data['skipped'])} rows skipped:")
        lines += [f"  row {s['row']}: {s['reason']}" for s in data["skipped"][:50]]
    return "\n".join(lines)


def export(
    file: Annotated[Path, typer.Argument(help="Where to write.")],
    format: Annotated[str | None, typer.Option(help="csv, json or ckan.")] = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Export the practices you can read to a file."""
    from govlab.library.formats import guess_format, write_practices

    with session(db) as library:
        practices = library.all_practices()
    count = write_practices(practices, file, format or guess_format(file))
    emit(
        {"file": str(file), "exported": count},
        as_json,
        lambda d: f"{d['exported']} practices written to {d['file']}.",
    )


def stats(db: Db = None, as_json: Json = False) -> None:
    """How many practices, by status, and the facet counts."""
    with session(db) as library:
        data = library.stats()
    emit(
        data,
        as_json,
        lambda d: "\n".join(
            [f"{d['total']} practices: " + ", ".join(f"{k} {v}" for k, v in d["by_status"].items())]
            + [f"  {name}: {len(values)} values" for name, values in d["facets"].items()]
        ),
    )


def schema(as_json: Json = True, db: Db = None) -> None:
    """Print the JSON Schema of a practice (for import files and other tools)."""
    import json

    from govlab.library.formats import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))
