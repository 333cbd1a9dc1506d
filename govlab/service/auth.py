"""Who is calling: JupyterHub's own auth, or a token the service issued.

- A kernel (or any script on the hub) sends its ``$JUPYTERHUB_API_TOKEN`` in an
  ``Authorization: token ...`` header; :class:`jupyterhub.services.auth.HubAuth` asks
  the Hub whose it is, and whether it grants ``access:services!service=<name>``.
- A browser signs in with Hub OAuth (:class:`~jupyterhub.services.auth.HubOAuth`): the
  service's ``oauth_callback`` swaps the code for a token kept in an HttpOnly cookie
  scoped to the service's path. A cookie-signed write must also carry the
  ``X-Govlab-XSRF`` header matching the ``govlab-xsrf`` cookie (double submit), so
  another site cannot make a signed-in browser write.
- Outside a hub (or beside it), ``govlab members token NAME`` issues tokens starting
  ``govlab_``; the service keeps their digests (see :mod:`govlab.service.tokens`).

Anything else (no token, a forged, expired or revoked one, a token of another
service or without access to this one) is refused with 401 before any session opens.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

from govlab.service.sessions import Caller, Sessions
from govlab.service.tokens import TokenFile
from govlab.service.wire import TOKEN_PREFIX, NotSignedIn, ServiceError

log = logging.getLogger("govlab.service")
COOKIE = "govlab-service-token"
XSRF_COOKIE = "govlab-xsrf"
XSRF_HEADER = "X-Govlab-XSRF"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HUB_CACHE_SECONDS = 60  # how long the Hub's word on a token is kept (JupyterHub's default is 300)
NO_TOKEN = (
    "Sign in first: send your token as 'Authorization: token ...' "
    "(a notebook on the hub does this for you with $JUPYTERHUB_API_TOKEN)."
)
BAD_TOKEN = (
    "The govlab service does not accept this token: it is unknown, expired or revoked, "
    "or it does not grant access to the govlab service."
)


@dataclass
class Credentials:
    """What a request carries: a token, and whether it came from the sign-in cookie."""

    token: str | None
    from_cookie: bool = False
    xsrf_ok: bool = True


def credentials(headers: Any, cookies: dict[str, str]) -> Credentials:
    """Read the token from the Authorization header, else from the sign-in cookie."""
    header = str(headers.get("authorization") or "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("token", "bearer") and value.strip():
        return Credentials(value.strip())
    cookie = cookies.get(COOKIE)
    if cookie:
        sent, expected = str(headers.get(XSRF_HEADER.lower()) or ""), cookies.get(XSRF_COOKIE, "")
        same = bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())
        return Credentials(cookie, from_cookie=True, xsrf_ok=same)
    return Credentials(None)


@dataclass
class HubUsers:
    """Ask the Hub who holds a token (through HubAuth) and who is in a group."""

    service_name: str
    oauth: Any  # jupyterhub.services.auth.HubOAuth or HubAuth
    _groups: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_environment(cls) -> HubUsers | None:
        """HubAuth configured from the variables a hub gives its services (None outside)."""
        if not os.environ.get("JUPYTERHUB_API_TOKEN") or not os.environ.get("JUPYTERHUB_API_URL"):
            return None
        from jupyterhub.services.auth import HubAuth, HubOAuth

        name = os.environ.get("JUPYTERHUB_SERVICE_NAME", "govlab")
        kind = HubOAuth if os.environ.get("JUPYTERHUB_CLIENT_ID") else HubAuth
        auth = kind(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=HUB_CACHE_SECONDS)
        return cls(service_name=name, oauth=auth)

    def caller(self, token: str, via: str) -> Caller:
        """The hub user a token belongs to, if it grants access to this service."""
        try:
            model = self.oauth.user_for_token(token)
        except Exception as error:  # tornado's HTTPError: the Hub is down or refused us
            log.error("checking a token with the Hub failed: %s", error)
            raise ServiceError(
                "The govlab service cannot reach the hub to check who you are; "
                "try again in a minute, or tell the facilitator."
            ) from None
        if not model or model.get("kind", "user") != "user":
            raise NotSignedIn(BAD_TOKEN)
        if not self.oauth.check_scopes(self.oauth.access_scopes, model):
            raise NotSignedIn(BAD_TOKEN)
        groups = frozenset(model.get("groups") or ())
        return Caller(name=str(model["name"]), groups=groups, via=via)

    def group_members(self, group: str) -> frozenset[str]:
        """The hub users in ``group`` (asked with the service's own token, kept a minute)."""
        kept = self._groups.get(group)
        if kept and time.monotonic() - kept[0] < HUB_CACHE_SECONDS:
            return kept[1]
        import httpx

        url = f"{self.oauth.api_url.rstrip('/')}/groups/{group}"
        try:
            reply = httpx.get(url, headers={"Authorization": f"token {self.oauth.api_token}"})
        except httpx.HTTPError as error:
            log.warning("could not read hub group %s: %s", group, error)
            return kept[1] if kept else frozenset()
        names = frozenset(reply.json().get("users", [])) if reply.status_code == 200 else None
        if names is None:
            log.warning("hub group %s: the Hub answered %s", group, reply.status_code)
            names = frozenset()
        self._groups[group] = (time.monotonic(), names)
        return names


@dataclass
class Gate:
    """Resolves the caller of every request, or refuses it."""

    sessions: Sessions
    hub: HubUsers | None
    tokens: TokenFile

    def caller(self, method: str, found: Credentials) -> Caller:
        """The caller of a ``method`` request carrying ``found``; NotSignedIn if none."""
        if found.token is None:
            raise NotSignedIn(NO_TOKEN)
        if found.from_cookie and method not in SAFE_METHODS and not found.xsrf_ok:
            raise NotSignedIn(
                f"A change made with the sign-in cookie needs the {XSRF_HEADER} header "
                f"(the value of the {XSRF_COOKIE} cookie)."
            )
        via = "cookie" if found.from_cookie else "token"
        if found.token.startswith(TOKEN_PREFIX):
            member = self.tokens.member_for(found.token)
            if member is None:
                raise NotSignedIn(BAD_TOKEN)
            return Caller(name=member, via="service-token")
        if self.hub is None:
            raise NotSignedIn(BAD_TOKEN)
        caller = self.hub.caller(found.token, via)
        group = self.sessions.facilitator_group
        if group and group not in caller.groups and caller.name in self.hub.group_members(group):
            caller = Caller(caller.name, caller.groups | {group}, caller.via)
        return caller
