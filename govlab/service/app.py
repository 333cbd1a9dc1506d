"""The govlab service: the library as a JSON API under ``<prefix>api/v1``.

Built with FastAPI (OpenAPI generated from the same pydantic models the session
uses; sync endpoints run in a thread pool, which suits the session's blocking
database calls) and served by uvicorn (see ``govlab serve``).

    <prefix>                     a page saying who you are signed in as (browser sign-in)
    <prefix>oauth_callback       the end of the Hub OAuth sign-in
    <prefix>api/v1/openapi.json  the OpenAPI document
    <prefix>api/v1/health        200 while the service can answer (no sign-in)
    <prefix>api/v1/whoami        the caller: member name, role, whether they just joined
    <prefix>api/v1/<method>      POST: one per session method (see govlab.service.surface)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from govlab.errors import GovlabError
from govlab.library.search.mirror import copies_ready
from govlab.service import oauth
from govlab.service.auth import Gate, HubUsers
from govlab.service.routes import caller_dependency, operation_router
from govlab.service.sessions import Caller, Sessions
from govlab.service.tokens import TokenFile
from govlab.service.wire import API, ERROR_RESPONSES, NotSignedIn, error_body, status_of

log = logging.getLogger("govlab.service")
VERSION = metadata.version("govlab")


@dataclass
class Settings:
    """How the service runs: which library, who administers it, under which path."""

    db: str | None
    admin: str
    prefix: str = "/"
    facilitator_group: str | None = None
    tokens: str | None = None  # the token file (default $GOVLAB_HOME/service-tokens.json)


class WhoAmI(BaseModel):
    """Who the service takes the caller for."""

    member: str
    role: str
    joined_now: bool
    via: str
    version: str


def create_app(settings: Settings, hub: HubUsers | None = None) -> FastAPI:
    """The service's ASGI app (``hub`` defaults to HubAuth from a hub's environment)."""
    prefix = "/" + settings.prefix.strip("/") + "/" if settings.prefix.strip("/") else "/"
    base = prefix.rstrip("/") + API
    sessions = Sessions(settings.db, settings.admin, settings.facilitator_group)
    hub = hub if hub is not None else HubUsers.from_environment()
    gate = Gate(sessions, hub, TokenFile(settings.tokens))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        sessions.open().search("", limit=0)  # starts the search copy (library.search.mirror)
        log.info("govlab service on %s for %s", base, sessions.admin_session)
        yield
        sessions.close()

    app = FastAPI(
        title="govlab library service",
        version=VERSION,
        summary="The practice library and its community, one session per caller.",
        openapi_url=f"{base}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.sessions, app.state.gate = sessions, gate
    _errors(app)
    app.include_router(operation_router(gate), prefix=base)
    _service_routes(app, gate, base, caller_dependency(gate))
    oauth.add_routes(app, gate, prefix)
    app.openapi = _openapi_with_security(app)  # type: ignore[method-assign]
    return app


def app_from_environment() -> FastAPI:
    """The app as ``govlab serve`` configures it, through the environment (one per worker)."""
    import os

    return create_app(
        Settings(
            db=os.environ.get("GOVLAB_DB_URL"),
            admin=os.environ.get("GOVLAB_ADMIN", ""),
            prefix=os.environ.get("GOVLAB_SERVICE_PREFIX", "/"),
            facilitator_group=os.environ.get("GOVLAB_FACILITATOR_GROUP") or None,
            tokens=os.environ.get("GOVLAB_SERVICE_TOKENS") or None,
        )
    )


def _service_routes(app: FastAPI, gate: Gate, base: str, resolve: Callable[..., Caller]) -> None:
    @app.get(f"{base}/health", tags=["service"], summary="200 while the service can answer")
    def health() -> dict[str, bool]:
        return {"ok": True, "search_copy_ready": copies_ready()}

    @app.get(
        f"{base}/whoami",
        tags=["service"],
        summary="Who the service takes the caller for",
        responses={401: ERROR_RESPONSES[401]},
    )
    def whoami(request: Request) -> WhoAmI:
        caller = resolve(request)
        library, joined_now = gate.sessions.session(caller)
        return WhoAmI(
            member=library.member,
            role=str(library.role),
            joined_now=joined_now,
            via=caller.via,
            version=VERSION,
        )


def _errors(app: FastAPI) -> None:
    @app.exception_handler(GovlabError)
    async def govlab_error(request: Request, error: GovlabError) -> Response:
        headers = {"WWW-Authenticate": "token"} if isinstance(error, NotSignedIn) else None
        return JSONResponse(error_body(error), status_code=status_of(error), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_arguments(request: Request, error: RequestValidationError) -> Response:
        body = {"error": "InvalidInput", "message": explain_request(error.errors())}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, error: OverflowError) -> Response:
        # a number too large for a date or a database column (e.g. upcoming_events(days=10**7))
        log.warning("%s %s: %s", request.method, request.url.path, error)
        message = f"A number in the arguments is out of range ({error})."
        return JSONResponse({"error": "InvalidInput", "message": message}, status_code=422)

    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception) -> Response:
        ref = uuid.uuid4().hex[:8]
        log.exception("request %s %s failed (ref %s)", request.method, request.url.path, ref)
        message = (
            "The govlab service failed on this request; nothing you did caused it. "
            f"The facilitator can find it in the service log as {ref}."
        )
        return JSONResponse({"error": "ServiceError", "message": message}, status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        path, code = request.url.path, error.status_code
        if code == 404:
            body = {"error": "NotFound", "message": f"The govlab service has no {path}."}
        elif code == 405:
            message = f"{path} does not take {request.method}: the library's methods are POSTs."
            body = {"error": "InvalidInput", "message": message}
        else:
            body = {"error": "GovlabError", "message": str(error.detail)}
        return JSONResponse(body, status_code=code, headers=error.headers)


def explain_request(problems: Any) -> str:
    """One line per bad argument, named as the method's parameter: ``stars: ...``."""
    lines = []
    for problem in problems:
        loc = [str(part) for part in problem.get("loc", ()) if part != "body"]
        where = ".".join(loc) or "arguments"
        message = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
        if problem.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
        lines.append(f"{where}: {message}")
    return "; ".join(lines) or "arguments: not valid"


def _openapi_with_security(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Say in the document how callers sign in (a token header, or the browser cookie)."""
    plain = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        schema.setdefault("components", {})["securitySchemes"] = {
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "'token <JupyterHub API token or govlab_ token>'",
            }
        }
        for path, item in schema["paths"].items():
            if not path.endswith(("/health", "/openapi.json")):
                for operation in item.values():
                    operation["security"] = [{"token": []}]
        app.openapi_schema = schema
        return schema

    return document
