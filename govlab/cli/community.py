"""``govlab members|review|events|checkins|leaderboard|audit``: the community from the shell.

Each command opens the library as the current member ($JUPYTERHUB_USER, $GOVLAB_USER
or the login name), calls one session method, and prints text or ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import Db, Json, emit, session

members_app = typer.Typer(help="Members and their roles.", no_args_is_help=True)
review_app = typer.Typer(help="The reviewers' desk.", no_args_is_help=True)
events_app = typer.Typer(help="Webinars, workshops and course sessions.", no_args_is_help=True)
checkins_app = typer.Typer(help="Progress reports on adopted practices.", no_args_is_help=True)

Since = Annotated[
    str | None, typer.Option("--since", help="From this date (YYYY-MM-DD), inclusive.")
]
Until = Annotated[str | None, typer.Option("--until", help="Up to this date, exclusive.")]


def register(app: typer.Typer) -> None:
    """Add the community commands to the root ``govlab`` app."""
    app.add_typer(members_app, name="members")
    app.add_typer(review_app, name="review")
    app.add_typer(events_app, name="events")
    app.add_typer(checkins_app, name="checkins")
    app.command(name="leaderboard")(leaderboard)
    app.command(name="audit")(audit)


def _member(member: Any) -> dict[str, Any]:
    data: dict[str, Any] = member.model_dump(mode="json", exclude={"shared", "bio"})
    return data


@members_app.command("add")
def members_add(
    user: Annotated[str, typer.Argument(help="The new member's login name.")],
    role: Annotated[str, typer.Option(help="member, reviewer, facilitator or admin.")] = "member",
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Add a member (facilitators; only admins add admins)."""
    with session(db) as library:
        added = library.add_member(user, role)
    emit(_member(added), as_json, lambda m: f"Added {m['name']} as {m['role']}.")


@members_app.command("grant")
def members_grant(
    user: Annotated[str, typer.Argument(help="The member.")],
    role: Annotated[str, typer.Argument(help="member, reviewer, facilitator or admin.")],
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Give a member another role."""
    with session(db) as library:
        changed = library.grant(user, role)
    emit(_member(changed), as_json, lambda m: f"{m['name']} is now {m['role']}.")


@members_app.command("list")
def members_list(db: Db = None, as_json: Json = False) -> None:
    """Everyone in the library, with their role."""
    with session(db) as library:
        people = [_member(m) for m in library.members()]

    def text(rows: list[dict[str, Any]]) -> str:
        lines = [f"{len(rows)} members."]
        for m in rows:
            accepted = "guidelines accepted" if m["guidelines_accepted"] else ""
            where = ", ".join(v for v in (m["organisation"], m["jurisdiction"]) if v)
            lines.append(f"  {m['name']:<24} {m['role']:<12} {where:<40} {accepted}".rstrip())
        return "\n".join(lines)

    emit(people, as_json, text)


@review_app.command("queue")
def review_queue(db: Db = None, as_json: Json = False) -> None:
    """Submissions waiting for review, oldest first (reviewers)."""
    with session(db) as library:
        queue = [item.model_dump(mode="json") for item in library.review_queue()]

    def text(rows: list[dict[str, Any]]) -> str:
        lines = [f"{len(rows)} submissions waiting for review."]
        for q in rows:
            mark = "  (you reviewed it)" if q["reviewed_by_me"] else ""
            lines.append(
                f"  {q['id']:<40} by {q['author']:<16} {q['status']:<10} "
                f"{q['approvals']}/{q['needed']} approvals{mark}"
            )
        return "\n".join(lines)

    emit(queue, as_json, text)


@events_app.command("export")
def events_export(
    file: Annotated[Path, typer.Argument(help="The .ics file to write.")],
    since: Since = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Write the events to an iCalendar file a calendar application imports."""
    with session(db) as library:
        chosen = library.events(since=since) if since else None
        count = library.export_ics(file, chosen)
    emit(
        {"file": str(file), "events": count},
        as_json,
        lambda d: f"{d['events']} events written to {d['file']}.",
    )


@checkins_app.command("import")
def checkins_import(
    file: Annotated[Path, typer.Argument(help="A CSV of check-ins (see the docs for columns).")],
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Add check-ins on your adoptions from a CSV: every row lands, or none does."""
    with session(db) as library:
        count = library.import_checkins(file)
    emit(
        {"file": str(file), "imported": count},
        as_json,
        lambda d: f"{d['imported']} check-ins imported from {d['file']}.",
    )


def leaderboard(
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """The members with most points in a period (from the activity log)."""
    with session(db) as library:
        table = [s.model_dump() for s in library.leaderboard(since, until, limit=limit)]

    def text(rows: list[dict[str, Any]]) -> str:
        period = f" since {since}" if since else ""
        period += f" until {until}" if until else ""
        lines = [f"Leaderboard{period}:"] if rows else [f"No points yet{period}."]
        lines += [f"  {r['rank']:>3}. {r['member']:<24} {r['points']:>5} points" for r in rows]
        return "\n".join(lines)

    emit(table, as_json, text)


def audit(
    since: Since = None,
    until: Until = None,
    actor: Annotated[str | None, typer.Option(help="Only this member's actions.")] = None,
    action: Annotated[
        str | None, typer.Option(help="An action, or a family ending in '.': 'comment.'")
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Who did what, when (facilitators and admins)."""
    with session(db) as library:
        entries = library.audit_log(since, until, actor=actor, action=action, limit=limit)
    rows = [e.model_dump(mode="json") for e in entries]

    def text(items: list[dict[str, Any]]) -> str:
        lines = [f"{len(items)} audit entries."]
        lines += [f"  {e['at']}  {e['actor']:<20} {e['action']:<28} {e['target']}" for e in items]
        return "\n".join(lines)

    emit(rows, as_json, text)
