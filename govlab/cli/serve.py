"""``govlab serve`` and ``govlab members token``: the library as a service, and its tokens.

``govlab serve`` runs the service under uvicorn. As a JupyterHub-managed service it
reads where to listen and under which path from the variables the hub sets
(``$JUPYTERHUB_SERVICE_URL``, ``$JUPYTERHUB_SERVICE_PREFIX``) and checks callers with
the hub; standalone it accepts the tokens ``govlab members token NAME`` issues.
"""

from __future__ import annotations

import os
from typing import Annotated
from urllib.parse import urlparse

import typer

from govlab.cli.common import Db, Json, emit
from govlab.errors import InvalidInput

DEFAULT_PORT = 10101
# the environment the app factory reads (uvicorn's workers each build their own app)
ENVIRONMENT = {
    "db": "GOVLAB_DB_URL",
    "admin": "GOVLAB_ADMIN",
    "prefix": "GOVLAB_SERVICE_PREFIX",
    "facilitator_group": "GOVLAB_FACILITATOR_GROUP",
    "tokens": "GOVLAB_SERVICE_TOKENS",
}
Tokens = Annotated[
    str | None,
    typer.Option(
        "--tokens",
        envvar="GOVLAB_SERVICE_TOKENS",
        help="The service's token file (default: service-tokens.json in $GOVLAB_HOME).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app and ``token`` to ``govlab members``."""
    from govlab.cli.community import members_app

    app.command(name="serve")(serve)
    members_app.command(name="token")(members_token)


def serve(
    admin: Annotated[
        str | None,
        typer.Option(
            "--admin",
            envvar="GOVLAB_ADMIN",
            help="The facilitator who administers the library (on a new library: its admin).",
        ),
    ] = None,
    db: Db = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help=f"Port (default {DEFAULT_PORT}).")] = None,
    prefix: Annotated[
        str | None, typer.Option(help="URL path it answers under (on a hub: /services/NAME/).")
    ] = None,
    facilitator_group: Annotated[
        str | None,
        typer.Option(help="A JupyterHub group whose members are the library's facilitators."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes.")] = 1,
    tokens: Tokens = None,
    search_copy: Annotated[
        str | None,
        typer.Option(
            "--search-copy",
            envvar="GOVLAB_SEARCH_MIRROR",
            help="Folder for the SQLite copy a PostgreSQL library is searched through "
            "(default: search-copy in $GOVLAB_HOME; 'off' to search PostgreSQL itself).",
        ),
    ] = None,
) -> None:
    """Run the library as an HTTP API (JSON under /api/v1) that alone holds the database."""
    import uvicorn

    if not admin or not admin.strip():
        raise InvalidInput(
            "--admin: say who administers the library (a new library's first member "
            "becomes its admin), e.g. --admin ana."
        )
    listen = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    settings = {
        "db": db or os.environ.get("GOVLAB_DB_URL"),
        "admin": admin.strip(),
        "prefix": prefix or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
        "facilitator_group": facilitator_group or os.environ.get("GOVLAB_FACILITATOR_GROUP"),
        "tokens": tokens,
    }
    for key, value in settings.items():
        if value:
            os.environ[ENVIRONMENT[key]] = value
    _search_copy(search_copy)
    uvicorn.run(
        "govlab.service.app:app_from_environment",
        factory=True,
        host=host or listen.hostname or "127.0.0.1",
        port=port or listen.port or DEFAULT_PORT,
        workers=workers,
        timeout_keep_alive=75,  # longer than the client's keep-alive (4 s): no stale reuse
        proxy_headers=True,
        log_level="info",
    )


def _search_copy(folder: str | None) -> None:
    """Search a PostgreSQL library through a SQLite copy (see govlab.library.search.mirror)."""
    from govlab.library.paths import govlab_home

    if folder == "off":
        os.environ.pop("GOVLAB_SEARCH_MIRROR", None)
    else:
        os.environ["GOVLAB_SEARCH_MIRROR"] = folder or str(govlab_home() / "search-copy")


def members_token(
    user: Annotated[str, typer.Argument(help="The member the token is for.")],
    days: Annotated[int, typer.Option(help="Days until the token stops working.")] = 30,
    note: Annotated[str, typer.Option(help="What the token is for (shown in --list).")] = "",
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke all of their tokens.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List their tokens.")] = False,
    tokens: Tokens = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Issue a token for the govlab service outside a hub (shown once, stored hashed)."""
    from govlab.community.session import open_library
    from govlab.service.tokens import TokenFile

    store = TokenFile(tokens)
    with open_library(db=db, show_guidelines=False) as library:
        if revoke:
            count = store.revoke(library, user)
            emit({"member": user, "revoked": count}, as_json, lambda d: _revoked(d))
        elif list_:
            fields = {"digest"}
            rows = [r.model_dump(mode="json", exclude=fields) for r in store.listed(library, user)]
            emit(rows, as_json, _listing)
        else:
            token = store.issue(library, user, days=days, note=note)
            info = {"member": user, "token": token, "days": days}
            emit(info, as_json, _issued)


def _issued(info: dict[str, object]) -> str:
    return (
        f"A token for {info['member']}, valid for {info['days']} days. It is shown only now:\n"
        f"  {info['token']}\n"
        "Give it to them privately; they set GOVLAB_TOKEN to it and GOVLAB_SERVICE_URL to "
        "the service's address."
    )


def _revoked(info: dict[str, object]) -> str:
    count = info["revoked"]
    return f"Revoked {count} token{'s' if count != 1 else ''} of {info['member']}."


def _listing(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No tokens."
    lines = [f"{len(rows)} tokens."]
    for row in rows:
        state = "revoked" if row["revoked"] else f"expires {row['expires'] or 'never'}"
        lines.append(f"  #{row['id']:<4} issued {row['created']} by {row['created_by']}, {state}")
    return "\n".join(lines)
