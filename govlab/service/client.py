"""``govlab.open_library("hub")``: a ``Library`` whose every method calls the govlab service.

The kernel holds no database credentials: it sends its own ``$JUPYTERHUB_API_TOKEN``
(or a ``govlab_`` token, ``$GOVLAB_TOKEN``) and the service opens the session as that
member. :class:`ServiceLibrary` is a :class:`~govlab.community.session.Library`
whose public methods are generated from :mod:`govlab.service.surface`, the same table
the routes are made from, so widgets, notebooks and the CLI work unchanged:

    >>> library = govlab.open_library("hub")           # or a https://.../services/govlab/ URL
    >>> library.search("311").total

A refusal arrives as the same exception with the same message as on a laptop
(``PermissionDenied``, ``NotFound``, ``Conflict``, ``InvalidInput``). A read whose
connection drops is sent again; a write never is: the error says whether it was sent.
"""

from __future__ import annotations

import os
import time
import typing
from pathlib import Path
from typing import Any

import httpx
from pydantic_core import to_jsonable_python

from govlab.community.session import Library, show_text
from govlab.errors import InvalidInput, PermissionDenied
from govlab.service.surface import FileDownload, FileUpload, Operation, operations
from govlab.service.target import service_url
from govlab.service.wire import API, NotSignedIn, ServiceError, error_from

READ_ATTEMPTS = 4
BACKOFF_SECONDS = (0.25, 0.5, 1.0)
UNAVAILABLE = (502, 503, 504)  # the hub's proxy: the service is restarting or gone
KEEPALIVE_SECONDS = 4.0  # below the proxy's and uvicorn's idle timeouts (5 s)
TIMEOUT_SECONDS = 60.0
# the session's own Role type, read from its ``role`` property (the client shows the same)
Role = typing.get_type_hints(Library.role.fget)["return"]  # type: ignore[attr-defined]


class ServiceLibrary(Library):
    """The practice library as one member sees it, through the govlab service."""

    def __init__(self, url: str, token: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = url
        self._http = httpx.Client(
            base_url=url.rstrip("/") + API,
            headers={"Authorization": f"token {token}", "User-Agent": "govlab-client"},
            timeout=timeout,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
        )
        who = self._whoami()
        self._caller = str(who["member"])
        self.joined_now = bool(who["joined_now"])

    def __repr__(self) -> str:
        return f"<govlab Library {self.url} as {self.member}>"

    @property
    def member(self) -> str:
        """The member the service knows the token as."""
        return self._caller

    @property
    def location(self) -> str:
        """Where the library is: the service's URL (it alone knows the database)."""
        return self.url

    @property
    def is_visitor(self) -> bool:
        """Always False: the service serves members (visitors use a public Voila app)."""
        return False

    @property
    def role(self) -> Any:
        """The member's role now, as the service reads it."""
        return Role(self._whoami()["role"])

    def close(self) -> None:
        """End the connections to the service."""
        self._http.close()

    def __del__(self) -> None:
        # a notebook rarely closes its library: let its connections go with it
        http = self.__dict__.get("_http")
        if http is not None:
            http.close()

    def _whoami(self) -> dict[str, Any]:
        reply = self._send("GET", "/whoami", None, read=True, what="whoami")
        data: dict[str, Any] = reply.json()
        return data

    def _call(self, operation: Operation, arguments: dict[str, Any]) -> Any:
        progress = arguments.pop(operation.callback, None) if operation.callback else None
        body, written = _body(operation, arguments)
        reply = self._send("POST", operation.path, body, read=operation.read, what=operation.name)
        result = operation.reply.validate_json(reply.content)
        if isinstance(result, FileDownload):
            Path(written or "").write_bytes(result.content)
            return result.result
        if progress is not None and isinstance(result, int):
            progress(result, result)  # the service reports no steps: all done at once
        return result

    def _send(self, method: str, path: str, body: Any, *, read: bool, what: str) -> httpx.Response:
        attempts = READ_ATTEMPTS if read else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                reply = self._http.request(method, path, json=body)
            except httpx.TransportError as error:
                if last:
                    raise ServiceError(_dropped(self.url, what, error, read)) from None
            else:
                if reply.status_code < 400:
                    return reply
                if reply.status_code not in UNAVAILABLE or last or not read:
                    raise _refusal(reply, self.url, what, read)
            time.sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)])
        raise AssertionError("unreachable")


def _body(operation: Operation, arguments: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The JSON body for a call, and the local path a download is to be written to."""
    arguments = dict(arguments)
    arguments.pop("self", None)
    extra = arguments.pop(operation.var_keyword, None) if operation.var_keyword else None
    written = None
    if operation.download is not None:
        written = str(arguments.pop(operation.download))
    if operation.upload is not None and operation.upload in arguments:
        arguments[operation.upload] = _upload(arguments[operation.upload])
    body = {name: _jsonable(value) for name, value in arguments.items()}
    body.update({name: _jsonable(value) for name, value in (extra or {}).items()})
    return body, written


def _upload(path: Any) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"{file}: no such file.")
    sent = FileUpload(name=file.name, content=file.read_bytes())
    return sent.model_dump(mode="json")


def _jsonable(value: Any) -> Any:
    if isinstance(value, typing.Iterator):  # a generator for an Iterable parameter
        value = list(value)
    return to_jsonable_python(value)


def _refusal(reply: httpx.Response, url: str, what: str, read: bool) -> Exception:
    try:
        body = reply.json()
    except ValueError:
        body = None
    if reply.status_code in UNAVAILABLE and not (isinstance(body, dict) and "error" in body):
        done = "" if read else " Nothing was changed."
        return ServiceError(
            f"The govlab service at {url} is not answering (the hub said {reply.status_code}) "
            f"for {what}.{done} Try again in a minute, or tell the facilitator."
        )
    return error_from(reply.status_code, body)


def _dropped(url: str, what: str, error: httpx.TransportError, read: bool) -> str:
    reason = str(error) or type(error).__name__
    if read:
        return f"Could not reach the govlab service at {url} for {what} ({reason}), after retrying."
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return (
            f"Could not reach the govlab service at {url} ({reason}): {what} was not sent, "
            "so nothing was changed. Try again when it is back."
        )
    return (
        f"The connection to the govlab service dropped during {what} ({reason}): it may or "
        "may not have been saved. Look before you try again."
    )


def _client_method(operation: Operation) -> Any:
    def call(self: ServiceLibrary, /, *args: Any, **kwargs: Any) -> Any:
        bound = operation.signature.bind(self, *args, **kwargs)  # TypeError as on a laptop
        return self._call(operation, dict(bound.arguments))

    call.__name__ = operation.name
    call.__qualname__ = f"ServiceLibrary.{operation.name}"
    call.__doc__ = operation.doc or None
    call.__signature__ = operation.signature  # type: ignore[attr-defined]
    return call


for _name, _operation in operations().items():
    setattr(ServiceLibrary, _name, _client_method(_operation))


def connect(
    target: str = "hub",
    user: str | None = None,
    *,
    token: str | None = None,
    show_guidelines: bool = True,
    seed: bool = True,
    **options: Any,
) -> ServiceLibrary:
    """Open the library through the govlab service as the member the token belongs to.

    Parameters
    ----------
    target
        ``"hub"`` (the service this hub runs: ``$GOVLAB_SERVICE_URL``) or the service's
        URL, e.g. ``https://hub.example.org/services/govlab/``.
    user
        If given, the member you expect to be; the token decides who you are.
    token
        Default ``$GOVLAB_TOKEN``, else the hub's ``$JUPYTERHUB_API_TOKEN``.
    show_guidelines
        Show the community guidelines to someone who joined just now.
    seed
        Ignored: the service created (and seeded) the library.
    """
    if options:
        names = ", ".join(sorted(options))
        raise InvalidInput(f"{names}: not an option of a library reached through the service.")
    url = service_url(target)
    token = token or os.environ.get("GOVLAB_TOKEN") or os.environ.get("JUPYTERHUB_API_TOKEN")
    if not token:
        raise NotSignedIn(
            f"No token for the govlab service at {url}: on the hub, $JUPYTERHUB_API_TOKEN "
            "is set for you; elsewhere set $GOVLAB_TOKEN to the token a facilitator gave you."
        )
    library = ServiceLibrary(url, token)
    if user and user.strip() and user.strip() != library.member:
        library.close()
        raise PermissionDenied(
            f"Your token is {library.member}'s: the service opens the library as "
            f"{library.member}, not as {user.strip()}."
        )
    if library.joined_now and show_guidelines:
        welcome = f"Welcome, {library.member}. Accept them with library.accept_guidelines()."
        show_text(library.guidelines() + "\n" + welcome)
    return library
