"""What a case study is made of: typed parameters, the data it needs, its key figures.

These small frozen records describe a case; :mod:`govlab.casestudies.registry`
holds the three cases, and :mod:`govlab.casestudies.runner` uses the records to
check a run before anything starts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from govlab.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

ParamType = Literal["int", "float", "str", "bool", "date", "path"]
FieldType = Literal["text", "datetime", "number", "bool"]

_EXPECTED: dict[str, str] = {
    "int": "a whole number (int), e.g. 12",
    "float": "a number (float), e.g. 72 or 0.035",
    "str": "text (str)",
    "bool": "true or false (bool)",
    "date": "a date written YYYY-MM-DD (date)",
    "path": "a file or folder path (path)",
}
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a case-study notebook.

    Attributes
    ----------
    name
        The variable name in the notebook's ``parameters`` cell.
    type
        ``int``, ``float``, ``str``, ``bool``, ``date`` (ISO text) or ``path``.
    default
        Value used when the parameter is not given (None: worked out from the data).
    help
        One sentence for ``govlab run --list``.
    choices
        Allowed values of a ``str`` parameter (empty: any text).
    minimum, maximum
        Bounds of a number, inclusive.
    """

    name: str
    type: ParamType
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def parse(self, text: str) -> Any:
        """Turn the text after ``-p NAME=`` into a checked value."""
        raw = text.strip()
        if self.type == "int":
            try:
                return self.check(int(raw))
            except ValueError:
                raise self._wrong(text) from None
        if self.type == "float":
            try:
                value = float(raw)
            except ValueError:
                raise self._wrong(text) from None
            return self.check(value)
        if self.type == "bool":
            if raw.lower() in _TRUE | _FALSE:
                return raw.lower() in _TRUE
            raise self._wrong(text)
        return self.check(raw)

    def check(self, value: Any) -> Any:
        """Check a Python value (from ``-p`` or a call) and return it normalised."""
        if value is None:
            if self.default is None:
                return None
            raise self._wrong(value)
        checker = getattr(self, f"_check_{self.type}")
        return checker(value)

    def _check_int(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(value)
        return int(self._bounded(value))

    def _check_float(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(value)
        if not math.isfinite(value):
            raise self._wrong(value)
        return float(self._bounded(value))

    def _check_bool(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self._wrong(value)
        return value

    def _check_str(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._wrong(value)
        if self.choices and value not in self.choices:
            raise InvalidInput(
                f"parameter {self.name!r}: {value!r} is not one of {', '.join(self.choices)}"
            )
        return value

    def _check_date(self, value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise self._wrong(value)
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise self._wrong(value) from None

    def _check_path(self, value: Any) -> str:
        """A path that exists becomes absolute: the notebook runs in its own folder."""
        text = value if isinstance(value, str) else str(value)
        path = Path(text).expanduser()
        return str(path.absolute()) if text and path.exists() else text

    def _bounded(self, value: float) -> float:
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"between {low:g} and {high:g}" if low is not None and high is not None else ""
            if not span:
                span = f">= {low:g}" if low is not None else f"<= {high:g}"
            raise InvalidInput(
                f"parameter {self.name!r}: {value:g} is out of range; expected {span}"
            )
        return value

    def _wrong(self, value: object) -> InvalidInput:
        return InvalidInput(
            f"parameter {self.name!r}: expected {_EXPECTED[self.type]}, got {value!r}"
        )

    def describe(self) -> dict[str, Any]:
        """The parameter as plain data (for ``govlab run --list --json``)."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "help": self.help,
        }
        if self.choices:
            out["choices"] = list(self.choices)
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


@dataclass(frozen=True)
class DataField:
    """A canonical column of a case's data, which ``--map FIELD=COLUMN`` can point at.

    Attributes
    ----------
    name, type, help
        The field, its type (``text``, ``datetime``, ``number``, ``bool``) and a sentence.
    required
        Whether the case cannot run without it.
    example
        A value as a city's file would write it (for ``govlab run CASE --help``).
    names
        Column names that usually hold this field (for suggesting a ``--map``).
    """

    name: str
    type: FieldType
    help: str
    required: bool = True
    example: str = ""
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataSpec:
    """The data a case runs on.

    Attributes
    ----------
    kind
        ``requests`` (a request log through :func:`govlab.datasets.load_requests`),
        ``ridership`` (boardings through :func:`govlab.datasets.load_ridership`)
        or ``table`` (a CSV / Parquet table with the columns of ``fields``).
    fields
        The canonical columns; the required ones must be present (directly or
        through ``--map``).
    default
        What the case runs on when no ``--data`` is given.
    example
        A one-line example of a ``--map`` for a foreign file.
    aliases
        Other names a ``--map`` may use for a field (``("week", "date")``).
    analysed
        The fields the analysis reads (empty: all); a whole city's log is copied
        with these columns only.
    """

    kind: Literal["requests", "table", "ridership"]
    fields: tuple[DataField, ...]
    default: str
    example: str = ""
    aliases: tuple[tuple[str, str], ...] = ()
    analysed: tuple[str, ...] = ()

    def field_name(self, name: str) -> str:
        """The field a ``--map`` key names (an alias such as ``week`` for ``date``)."""
        return dict(self.aliases).get(name, name)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of every canonical field."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required fields."""
        return tuple(f.name for f in self.fields if f.required)


@dataclass(frozen=True)
class Figure:
    """A key figure the case reports, with how to read it."""

    key: str
    label: str
    unit: str = ""
    better: Literal["higher", "lower", ""] = ""


@dataclass(frozen=True)
class CaseStudy:
    """A runnable case study: a notebook, its parameters, its data, its key figures."""

    name: str
    title: str
    description: str
    practices: tuple[str, ...]
    notebook: str
    data: DataSpec
    parameters: tuple[Parameter, ...]
    figures: tuple[Figure, ...] = field(default=())

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; an unknown name lists the known ones."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters)
        raise InvalidInput(f"case {self.name!r} has no parameter {name!r}; parameters: {known}")

    def defaults(self) -> dict[str, Any]:
        """Every parameter at its default value."""
        return {p.name: p.default for p in self.parameters}

    def describe(self) -> dict[str, Any]:
        """The case as plain data (for ``govlab run --list --json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "practices": list(self.practices),
            "data": {
                "kind": self.data.kind,
                "default": self.data.default,
                "fields": [
                    {
                        "name": f.name,
                        "type": f.type,
                        "required": f.required,
                        "help": f.help,
                        "example": f.example,
                    }
                    for f in self.data.fields
                ],
                "example": self.data.example,
            },
            "parameters": [p.describe() for p in self.parameters],
            "figures": [
                {"key": f.key, "label": f.label, "unit": f.unit, "better": f.better}
                for f in self.figures
            ],
        }


class CaseModule(Protocol):
    """What every module in :mod:`govlab.casestudies.cases` provides, for the runner and notebook.

    Attributes
    ----------
    DEFAULT_SYNTHETIC
        Whether the case's own data (what it runs on without ``--data``) is generated.
    """

    DEFAULT_SYNTHETIC: bool

    def default_data(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """The case's own data (real, or generated when ``DEFAULT_SYNTHETIC``)."""
        ...

    def check(self, data: pd.DataFrame | None, params: dict[str, Any]) -> None:
        """Refuse, before anything runs, data or parameters the analysis cannot use."""
        ...

    def analyse(self, *args: Any, **kwargs: Any) -> Any:
        """Compute every table and key figure of the case (the result has ``figures``)."""
        ...
