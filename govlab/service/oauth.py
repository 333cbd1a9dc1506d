"""Browser sign-in through the Hub (OAuth), as JupyterHub's ``service-whoami-flask`` does.

Opening the service's page without a session sends the browser to the Hub's
authorize URL (with PKCE where the Hub supports it); the Hub sends it back to
``oauth_callback`` with a code, which the service swaps for a token and keeps in an
HttpOnly cookie scoped to the service's path. A second, readable cookie holds the
XSRF value a page must echo in a header for changes (see :mod:`govlab.service.auth`).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from govlab.service.auth import COOKIE, XSRF_COOKIE, Gate, credentials
from govlab.service.pages import landing_page
from govlab.service.wire import API, NotSignedIn

STATE_SECONDS = 600


def add_routes(app: FastAPI, gate: Gate, prefix: str) -> None:
    """The service's own page and the OAuth callback."""
    base = prefix.rstrip("/") + API

    @app.get(prefix, include_in_schema=False)
    def home(request: Request) -> Response:
        try:
            caller = gate.caller("GET", credentials(request.headers, request.cookies))
        except NotSignedIn:
            return _sign_in(gate, request, prefix)
        library, _ = gate.sessions.session(caller)
        return landing_page(library.member, str(library.role), base)

    @app.get(f"{prefix}oauth_callback", include_in_schema=False)
    def callback(request: Request, code: str = "", state: str = "") -> Response:
        auth = _oauth(gate)
        if auth is None:
            return _refusal("This govlab service runs outside a hub: use a govlab_ token.")
        expected = request.cookies.get(auth.state_cookie_name, "")
        if not code or not state or not secrets.compare_digest(state, expected):
            return _refusal(f"The sign-in did not complete; open {prefix} to start again.")
        verifier = auth.get_code_verifier(state) if hasattr(auth, "get_code_verifier") else None
        try:
            token = auth.token_for_code(code, **({"code_verifier": verifier} if verifier else {}))
        except Exception:  # tornado's HTTPError: the Hub did not accept the code
            return _refusal(f"The hub did not confirm the sign-in; open {prefix} to start again.")
        finally:
            auth.clear_oauth_state(state)
        secure = _https(request)
        response = RedirectResponse(prefix, status_code=302)
        response.set_cookie(
            COOKIE, token, path=prefix, httponly=True, secure=secure, samesite="lax"
        )
        response.set_cookie(
            XSRF_COOKIE, secrets.token_urlsafe(24), path=prefix, secure=secure, samesite="strict"
        )
        response.delete_cookie(auth.state_cookie_name, path=prefix)
        return response


def _sign_in(gate: Gate, request: Request, prefix: str) -> Response:
    auth = _oauth(gate)
    if auth is None:
        return _refusal("Sign in with a govlab_ token in the Authorization header.", 401)
    extra: dict[str, Any] = {}
    challenge = ""
    if getattr(auth, "pkce_enabled", False) and hasattr(auth, "generate_pkce_code_challenge"):
        verifier, code, method = auth.generate_pkce_code_challenge()
        extra["code_verifier"] = verifier
        challenge = f"&code_challenge={code}&code_challenge_method={method}"
    state = auth.generate_state(next_url=prefix, **extra)
    response = RedirectResponse(f"{auth.login_url}&state={state}{challenge}", status_code=302)
    response.set_cookie(
        auth.state_cookie_name,
        state,
        path=prefix,
        httponly=True,
        secure=_https(request),
        max_age=STATE_SECONDS,
        samesite="lax",
    )
    return response


def _oauth(gate: Gate) -> Any:
    """The HubOAuth object, if the service runs on a hub with an OAuth client."""
    auth = gate.hub.oauth if gate.hub is not None else None
    return auth if auth is not None and hasattr(auth, "token_for_code") else None


def _https(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


def _refusal(message: str, status: int = 403) -> Response:
    name = "NotSignedIn" if status == 401 else "PermissionDenied"
    return JSONResponse({"error": name, "message": message}, status_code=status)
