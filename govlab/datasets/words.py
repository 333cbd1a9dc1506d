"""How a message names an option: in the words of the interface the person is using.

A loader that cannot tell the date order says how to tell it. From Python that is
``dayfirst=True``; from the command line ``--dayfirst``; in a widget, the label of
its control. The face sets the interface once around the call, and every message
written inside speaks its words::

    with speaking("cli"):
        run_case(...)          # "... say which with --dayfirst or --monthfirst"

``speaking("widget", labels={"dayfirst": 'the "Dates" choice'})`` lets a widget
name its own controls. Outside any ``speaking`` block, messages use Python's words.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

Interface = Literal["python", "cli", "widget"]

_INTERFACE: contextvars.ContextVar[tuple[Interface, Mapping[str, str]] | None] = (
    contextvars.ContextVar("govlab_interface", default=None)
)
# The interface of the whole process when no ``speaking`` block is open (a case
# notebook's kernel speaks as the face that started the run: see :func:`use`).
_PROCESS: list[tuple[Interface, Mapping[str, str]]] = [("python", {})]

# Default widget wording: the labels the case-study explorer shows.
_WIDGET_LABELS: dict[str, str] = {
    "encoding": 'the "Encoding" setting',
    "sep": 'the "Separator" setting',
    "decimal": 'the "Decimal mark" setting',
    "dayfirst": 'the "Dates" setting (day first or month first)',
    "date_format": 'the "Date format" setting',
    "map": 'the "Column for {field}" choice',
    "param": 'the "{name}" setting',
    "duplicates": 'the "Duplicate dates" setting',
}


@contextmanager
def speaking(interface: Interface, labels: Mapping[str, str] | None = None) -> Iterator[None]:
    """Within the block, messages name options as ``interface`` does.

    Parameters
    ----------
    interface
        ``"python"`` (keyword arguments), ``"cli"`` (``govlab`` options) or ``"widget"``.
    labels
        For a widget: option -> how to name its control, overriding the defaults
        (keys ``encoding``, ``sep``, ``decimal``, ``dayfirst``, ``date_format``,
        ``map`` with ``{field}``, ``param`` with ``{name}``, ``duplicates``).
    """
    token = _INTERFACE.set((interface, dict(labels or {})))
    try:
        yield
    finally:
        _INTERFACE.reset(token)


def use(interface: Interface, labels: Mapping[str, str] | None = None) -> None:
    """From now on, outside any ``speaking`` block, speak as ``interface`` in this process."""
    _PROCESS[0] = (interface, dict(labels or {}))


def _current() -> tuple[Interface, Mapping[str, str]]:
    return _INTERFACE.get() or _PROCESS[0]


def interface() -> Interface:
    """The interface messages are written for right now."""
    return _current()[0]


def option(name: str, value: Any = None) -> str:
    """How to give a reading option: ``encoding='latin-1'`` / ``--encoding latin-1``.

    ``name`` is one of ``encoding``, ``sep``, ``decimal``, ``date_format``,
    ``duplicates``; for ``dayfirst`` use :func:`date_order`.
    """
    face, labels = _current()
    if face == "widget":
        return labels.get(name, _WIDGET_LABELS.get(name, name))
    if face == "cli":
        flag = "--" + name.replace("_", "-")
        return flag if value is None else f"{flag} {shell_quote(str(value))}"
    return name if value is None else f"{name}={value!r}"


def date_order() -> str:
    """How to say the date order: ``--dayfirst or --monthfirst`` / ``dayfirst=True or ...``."""
    face, labels = _current()
    if face == "widget":
        return labels.get("dayfirst", _WIDGET_LABELS["dayfirst"])
    if face == "cli":
        return "--dayfirst or --monthfirst"
    return "dayfirst=True or dayfirst=False"


def mapping(field: str, column: str = "COLUMN") -> str:
    """How to name a field's column: ``--map opened=COLUMN`` / ``mapping={'opened': 'COLUMN'}``."""
    face, labels = _current()
    if face == "widget":
        return labels.get("map", _WIDGET_LABELS["map"]).format(field=field)
    if face == "cli":
        return f"--map {field}={shell_quote(column)}"
    return f"mapping={{{field!r}: {column!r}}}"


def parameter(name: str, value: Any) -> str:
    """How to set a parameter: ``-p launch_date=2012-06-01`` / ``parameters={...}``."""
    face, labels = _current()
    if face == "widget":
        return labels.get("param", _WIDGET_LABELS["param"]).format(name=name)
    if face == "cli":
        return f"-p {name}={value}"
    return f"parameters={{{name!r}: {value!r}}}"


def shell_quote(text: str) -> str:
    """Quote a value for a shell when it needs it."""
    if text and all(c.isalnum() or c in "-_.,:/%+@" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
