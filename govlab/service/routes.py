"""The route table: one endpoint per operation of :mod:`govlab.service.surface`.

Each endpoint resolves the caller, opens a session as them, calls the one session
method and returns what it returned, as JSON. It decides nothing: permissions,
validation and workflow are the session's, and its errors travel back as they are.
"""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from govlab.errors import InvalidInput
from govlab.service.auth import Gate, credentials
from govlab.service.sessions import Caller
from govlab.service.surface import FileDownload, FileUpload, Operation, operations
from govlab.service.wire import ERROR_RESPONSES

JSON = "application/json"


def caller_dependency(gate: Gate) -> Callable[[Request], Caller]:
    """A FastAPI dependency that resolves the caller of a request (or refuses with 401)."""

    def resolve(request: Request) -> Caller:
        return gate.caller(request.method, credentials(request.headers, request.cookies))

    return resolve


def operation_router(gate: Gate) -> APIRouter:
    """Every operation as ``POST /<name>``, in alphabetical order."""
    router = APIRouter()
    resolve = caller_dependency(gate)
    for name, operation in sorted(operations().items()):
        router.add_api_route(
            operation.path,
            _endpoint(operation, gate, resolve),
            methods=["POST"],
            name=name,
            operation_id=name,
            summary=operation.summary(),
            description=operation.doc,
            response_model=operation.returns,
            responses=ERROR_RESPONSES,
            tags=["reads" if operation.read else "writes"],
            openapi_extra={"x-govlab-read": operation.read},
        )
    return router


def _endpoint(operation: Operation, gate: Gate, resolve: Callable[..., Caller]) -> Any:
    """A sync endpoint (FastAPI runs it in its thread pool: the session blocks on the database)."""
    reply = operation.reply
    model = operation.request

    def endpoint(caller: Caller, body: Any = None) -> Response:
        library, _ = gate.sessions.session(caller)
        arguments = _arguments(operation, body)
        with _files(operation, arguments) as written:
            result = getattr(library, operation.name)(**arguments)
            if written is not None:
                result = FileDownload(result=result, content=written.read_bytes())
        return Response(reply.dump_json(result), media_type=JSON)

    parameters = [
        inspect.Parameter(
            "caller",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[Caller, Depends(resolve)],
        )
    ]
    if model is not None:
        annotation = Annotated[model, Body()]  # type: ignore[valid-type]
        parameters.append(
            inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
        )
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = operation.name
    return endpoint


def _arguments(operation: Operation, body: Any) -> dict[str, Any]:
    """The keyword arguments of the session call, from the validated body."""
    if body is None:
        return {}
    arguments = {name: getattr(body, name) for name in type(body).model_fields}
    arguments.update(body.model_extra or {})
    _refuse_nul(arguments)
    return arguments


def _refuse_nul(value: Any, where: str = "") -> None:
    """PostgreSQL cannot store a NUL character: say so instead of failing with a 500."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidInput(f"{where or 'text'}: text cannot contain the NUL character (\\x00).")
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    elif hasattr(value, "model_dump") and not isinstance(value, FileUpload):
        items = value.model_dump().items()
    for key, inner in items:
        _refuse_nul(inner, f"{where}.{key}" if where else str(key))


class _files:
    """Uploads become files in a private temporary folder; a download is read back from one."""

    def __init__(self, operation: Operation, arguments: dict[str, Any]) -> None:
        self.operation, self.arguments = operation, arguments
        self.folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path | None:
        upload, download = self.operation.upload, self.operation.download
        if upload is None and download is None:
            return None
        self.folder = tempfile.TemporaryDirectory(prefix="govlab-service-")
        root = Path(self.folder.name)
        if upload is not None:
            sent: FileUpload = self.arguments[upload]
            path = root / _plain_name(sent.name)
            path.write_bytes(sent.content)
            self.arguments[upload] = str(path)
        if download is not None:
            path = root / f"{self.operation.name}.out"
            self.arguments[download] = str(path)
            return path
        return None

    def __exit__(self, *exc: object) -> None:
        if self.folder is not None:
            self.folder.cleanup()


def _plain_name(name: str) -> str:
    """The file name alone: never a folder, never a path outside the temporary folder."""
    plain = Path(name.replace("\\", "/")).name.strip()
    return plain if plain not in ("", ".", "..") else "upload"
