"""The session's public surface, read once from :class:`govlab.community.session.Library`.

Both the service's routes and the client's methods are generated from this table, so
the two cannot drift from the session: a method added to ``Library`` becomes an
endpoint and a client method without anyone writing either. Each public method
becomes an :class:`Operation`: ``POST /api/v1/<name>`` whose JSON body holds the
arguments (a pydantic model made from the method's signature) and whose JSON reply is
the method's return value (validated with its return annotation).

Two things cannot be read from a signature and are declared here:

- which methods only read (:data:`READS`): the client retries those after a dropped
  connection, and never retries a write;
- which parameters name a file on the caller's machine (:data:`UPLOADS`,
  :data:`DOWNLOADS`): the client sends or receives the file's bytes, because the
  service must never read or write a path a caller names on its own disk.
"""

from __future__ import annotations

import collections.abc as cabc
import inspect
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    WithJsonSchema,
    create_model,
)

from govlab.community.session import Library

# Methods that change nothing in the library (safe to retry after a dropped connection).
READS = frozenset(
    {
        "adoption_summary",
        "adoptions",
        "all_practices",
        "audit_log",
        "awards",
        "badges",
        "checkins",
        "comments",
        "digest",
        "event",
        "events",
        "export_ics",
        "feedback",
        "flagged",
        "following",
        "get",
        "group",
        "groups",
        "guidelines",
        "history",
        "leaderboard",
        "members",
        "now",
        "peers",
        "pending_feedback",
        "points",
        "profile",
        "ratings",
        "review_queue",
        "render",
        "reviews",
        "search",
        "settings",
        "stats",
        "top_rated",
        "upcoming_events",
        "workflow",
    }
)
# Methods that change the library: sent once, never retried. Anything public that is in
# neither set is treated as a write (the safe side), and tests/service fails until it is
# listed in one of them.
WRITES = frozenset(
    {
        "accept_guidelines",
        "add_feedback",
        "add_material",
        "add_member",
        "add_note",
        "adopt",
        "approve_feedback",
        "archive",
        "attach_practice",
        "change_setting",
        "check_in",
        "comment",
        "create",
        "create_group",
        "edit",
        "edit_comment",
        "flag",
        "follow",
        "grant",
        "hide_comment",
        "hide_feedback",
        "import_checkins",
        "import_practices",
        "invite_to_group",
        "join_group",
        "leave_group",
        "leave_unseeded",
        "mark_helpful",
        "publish",
        "rate",
        "reject",
        "request_changes",
        "review",
        "schedule_event",
        "set_approvals_needed",
        "start_review",
        "submit",
        "unfollow",
        "unhide_comment",
        "unhide_feedback",
        "unmark_helpful",
        "update_profile",
    }
)
# Public members of Library that are not calls on the library: the client implements
# them itself (``close`` ends its HTTP connections; ``role``, ``member``, ``joined_now``
# and ``is_visitor`` come from ``/api/v1/whoami``; ``location`` is the service's URL).
LOCAL = frozenset({"close", "role", "member", "joined_now", "is_visitor", "location"})
# method -> a parameter that stays in the caller's process: a progress callback cannot
# cross the wire; the client calls it once, with the final count, when the answer arrives.
CALLBACKS = {"import_practices": "progress"}
# method -> the parameter naming a file the caller has (sent as bytes) ...
UPLOADS = {"import_checkins": "csv_path"}
# ... or a file the caller wants written (returned as bytes).
DOWNLOADS = {"export_ics": "path"}
MAX_FILE_BYTES = 20 * 1024 * 1024


class FileUpload(BaseModel):
    """A file from the caller's machine: its name (messages name it) and its bytes."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")
    name: str = Field(min_length=1, max_length=255, description="the file's name, no folders")
    content: bytes = Field(max_length=MAX_FILE_BYTES, description="the file, base64-encoded")


class FileDownload(BaseModel):
    """What a method that writes a file returns over the service: its result and the file."""

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    result: Any
    content: bytes = Field(description="the file, base64-encoded")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per method
class Operation:
    """One session method as an endpoint."""

    name: str
    read: bool
    signature: inspect.Signature
    hints: dict[str, Any]
    var_keyword: str | None
    upload: str | None
    download: str | None
    doc: str
    callback: str | None = None

    @property
    def path(self) -> str:
        """The route under ``/api/v1``."""
        return f"/{self.name}"

    @property
    def parameters(self) -> list[inspect.Parameter]:
        """The named parameters (not ``self``, not ``**kwargs``)."""
        return [
            p
            for p in self.signature.parameters.values()
            if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
        ]

    @property
    def request(self) -> type[BaseModel] | None:
        """The JSON body's model, or None for a method without arguments."""
        return _request_model(self)

    @property
    def returns(self) -> Any:
        """The annotation the reply is validated with."""
        value = wire_type(self.hints.get("return", Any))
        return FileDownload if self.download else value

    @property
    def reply(self) -> TypeAdapter[Any]:
        """Validates (client) and serialises (service) the method's return value."""
        return _adapter(self)

    def summary(self) -> str:
        """The docstring's first line, for the OpenAPI document."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


@cache
def operations() -> dict[str, Operation]:
    """Every public method of ``Library`` as an operation, by name."""
    found: dict[str, Operation] = {}
    for name, member in inspect.getmembers(Library):
        if name.startswith("_") or name in LOCAL or not inspect.isfunction(member):
            continue
        found[name] = _operation(name, member)
    return found


def _operation(name: str, function: Any) -> Operation:
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    kinds = {p.kind for p in signature.parameters.values()}
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        raise TypeError(f"Library.{name} takes *args, which a JSON body cannot carry")
    var_keyword = next(
        (p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None
    )
    return Operation(
        name=name,
        read=name in READS,
        signature=signature,
        hints=hints,
        var_keyword=var_keyword,
        upload=UPLOADS.get(name),
        download=DOWNLOADS.get(name),
        doc=inspect.getdoc(function) or "",
        callback=CALLBACKS.get(name),
    )


def wire_type(annotation: Any) -> Any:
    """The annotation as JSON carries it: abstract collections become lists and dicts.

    ``Iterable[X]`` and ``Sequence[X]`` become ``list[X]``, ``Mapping[K, V]`` becomes
    ``dict[K, V]``, ``Path`` drops out of a union with ``str``, and numbers and
    booleans are taken only as JSON numbers and booleans.
    """
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        members = [wire_type(a) for a in args if a is not Path]
        members = list(dict.fromkeys(members))
        return members[0] if len(members) == 1 else typing.Union[tuple(members)]  # noqa: UP007
    if origin in (cabc.Iterable, cabc.Sequence, cabc.Collection, list, tuple, set, frozenset):
        inner = wire_type(args[0]) if args else Any
        return list[inner]  # type: ignore[valid-type]
    if origin in (cabc.Mapping, cabc.MutableMapping, dict):
        key, value = (wire_type(a) for a in args) if args else (str, Any)
        return dict[key, value]  # type: ignore[valid-type]
    if origin is typing.Literal and all(isinstance(a, str) for a in args):
        # the session names the option and its choices itself; the document lists them
        return Annotated[str, WithJsonSchema({"type": "string", "enum": list(args)})]
    if annotation is Path:
        return str
    if annotation in (int, float, bool):
        # no quiet coercion of JSON values: true is not 1 star, "5" is not 5
        return Annotated[annotation, Strict()]
    return annotation


@cache
def _request_model(operation: Operation) -> type[BaseModel] | None:
    fields: dict[str, Any] = {}
    for parameter in operation.parameters:
        if parameter.name in (operation.download, operation.callback):
            continue
        if parameter.name == operation.upload:
            fields[parameter.name] = (FileUpload, ...)
            continue
        annotation = wire_type(operation.hints.get(parameter.name, Any))
        fields[parameter.name] = (annotation, _default(parameter))
    if not fields and operation.var_keyword is None:
        return None
    config = ConfigDict(extra="allow") if operation.var_keyword else ConfigDict(extra="forbid")
    title = "".join(part.title() for part in operation.name.split("_")) + "Arguments"
    model: type[BaseModel] = create_model(
        title,
        __config__=config,
        __doc__=f"The arguments of Library.{operation.name}.",
        **fields,
    )
    return model


def _default(parameter: inspect.Parameter) -> Any:
    if parameter.default is inspect.Parameter.empty:
        return ...
    if isinstance(parameter.default, tuple | list | set | frozenset):
        items = list(parameter.default)
        return Field(default_factory=lambda: list(items))
    return parameter.default


@cache
def _adapter(operation: Operation) -> TypeAdapter[Any]:
    return TypeAdapter(operation.returns)
