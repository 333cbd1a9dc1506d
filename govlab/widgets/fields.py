"""The contribution form's fields: one widget, a help text and an error line per practice field.

What a field may hold is the model's business (:class:`govlab.models.Practice`): the
form passes what was typed, as typed, and shows each of pydantic's errors beside
the field it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from govlab.widgets._base import box, close_all, html


@dataclass(frozen=True)
class Field:
    """One field of the form: the model's name for it, its label, help and widget kind."""

    name: str
    label: str
    help: str
    kind: str = "text"  # text, area, choice, list, number
    choices: Sequence[tuple[str, str]] = ()


def comma_list(text: str) -> list[str]:
    """``"a, b,, c"`` -> ``["a", "b", "c"]`` (the model drops duplicates and blanks)."""
    return [part.strip() for part in text.split(",") if part.strip()]


class FieldRow:
    """A labelled input with its help text and an error line under it."""

    def __init__(self, field: Field, group: str = "") -> None:
        self.field = field
        self.input = _input(field)
        self.help = html(f'<p class="govlab-help">{field.help}</p>', "govlab-help-host")
        self.error = html("", "govlab-field-error")
        self.widget = box([self.input, self.help, self.error], "govlab-field")
        name = f"{group}-{field.name}" if group else field.name
        self.widget.add_class(f"govlab-field--{name.replace('_', '-')}")

    @property
    def value(self) -> Any:
        """The value for the model: text as typed, lists split, empty choices as None."""
        raw = self.input.value
        if self.field.kind == "list":
            return comma_list(raw)
        if self.field.kind in ("number", "choice"):
            return raw.strip() if isinstance(raw, str) and raw.strip() else None
        return raw

    def load(self, value: Any) -> None:
        """Show ``value`` (a model's field) in the input."""
        if self.field.kind == "list":
            self.input.value = ", ".join(value or [])
        elif self.field.kind == "number":
            self.input.value = "" if value is None else str(value)
        elif self.field.kind == "choice":
            self.input.value = "" if value is None else str(getattr(value, "value", value))
        else:
            self.input.value = value or ""

    def show_error(self, message: str) -> None:
        """Show ``message`` under the field (empty: no error)."""
        from govlab.render import render_text

        shown = f'<p class="govlab-error-text">{render_text(message)}</p>' if message else ""
        self.error.value = shown
        if message:
            self.widget.add_class("govlab-field--invalid")
        else:
            self.widget.remove_class("govlab-field--invalid")


def _input(field: Field) -> w.Widget:
    if field.kind == "area":
        return w.Textarea(description=field.label)
    if field.kind == "choice":
        return w.Dropdown(description=field.label, options=[("(not set)", ""), *field.choices])
    return w.Text(description=field.label)


class _Row:
    """One sub-record's fields, its heading and its remove button."""

    def __init__(
        self, fields: Sequence[Field], on_remove: Callable[[_Row], None], group: str = ""
    ) -> None:
        self.fields = {f.name: FieldRow(f, group) for f in fields}
        self.heading = html("")
        self.remove = w.Button()
        self.remove.on_click(lambda _: on_remove(self))
        cells = box(
            [r.widget for r in self.fields.values()], "govlab-repeated__fields", kind=w.HBox
        )
        self.widget = box([self.heading, cells, self.remove], "govlab-repeated__row")

    def number(self, noun: str, index: int) -> None:
        self.heading.value = f"<h4>{noun.capitalize()} {index}</h4>"
        self.remove.description = f"Remove {noun} {index}"

    def close(self) -> None:
        """Close every widget of the row (they are not reused)."""
        close_all(self.widget)


class Repeated:
    """A list of sub-records (outcomes, sources, costs): a row of fields each, add and remove."""

    def __init__(self, name: str, title: str, fields: Sequence[Field], add_label: str) -> None:
        self.name, self.noun, self.fields = name, name.rstrip("s"), list(fields)
        self.rows: list[_Row] = []
        self.list = box([], "govlab-repeated__rows")
        self.error = html("", "govlab-field-error")
        add = w.Button(description=add_label)
        add.on_click(lambda _: self.add())
        self.widget = box(
            [html(f"<h3>{title}</h3>"), self.list, self.error, add], "govlab-repeated"
        )

    def add(self, values: dict[str, Any] | None = None) -> _Row:
        """Add a row (with ``values`` filled in)."""
        row = _Row(self.fields, self._remove, self.noun)
        for name, value in (values or {}).items():
            if name in row.fields:
                row.fields[name].load(value)
        self.rows.append(row)
        self._redraw()
        return row

    def _remove(self, row: _Row) -> None:
        self.rows.remove(row)
        self._redraw()
        row.close()

    def clear(self) -> None:
        """Remove every row."""
        rows, self.rows = self.rows, []
        self._redraw()
        for row in rows:
            row.close()

    def _redraw(self) -> None:
        for index, row in enumerate(self.rows, start=1):
            row.number(self.noun, index)
        self.list.children = [row.widget for row in self.rows]

    @property
    def value(self) -> list[dict[str, Any]]:
        """The rows as sub-records for the model (rows left empty are left out)."""
        out = []
        for row in self.rows:
            values = {name: r.value for name, r in row.fields.items()}
            filled = {k: v for k, v in values.items() if v not in (None, "", [])}
            if filled:  # a row left empty is no record
                out.append(filled)
        return out

    def load(self, records: Sequence[Any]) -> None:
        """One row per record of ``records``."""
        self.clear()
        for record in records:
            data = record.model_dump(mode="json") if hasattr(record, "model_dump") else record
            self.add(data)

    def field_row(self, index: int, name: str) -> FieldRow | None:
        """The field ``name`` of row ``index`` (0-based), if there is one."""
        if 0 <= index < len(self.rows):
            return self.rows[index].fields.get(name)
        return None
