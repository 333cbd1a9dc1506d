"""The case-study explorer: re-run a case study on its own data or on a file of one's own.

Pick a case, upload a CSV (or Parquet) file, map its columns onto the case's fields
(prefilled from the columns' names and values), set the parameters, run, and read
your figures beside the original case's, the charts and the findings; download the
offline HTML report. Everything is :mod:`govlab.casestudies.explorer`'s: it reads and
checks the file, suggests the mapping, runs the case with a progress callback, and
words every mistake for this widget (the file, the row, the column, and the label
of the control to change: ``the "Column for opened" choice``).
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.render import render_inline, render_text
from govlab.widgets import charts, views
from govlab.widgets._base import Component, box, close_all, html
from govlab.widgets.cards import CardList

if TYPE_CHECKING:
    from govlab.casestudies.checking import DataCheck
    from govlab.casestudies.explorer import CaseInfo, CaseRun
    from govlab.community.session import Library

NOT_IN_FILE = "(not in my file)"
#: what the runner's progress steps are called on the page
STEPS = {
    "preparing": "Checking your data and settings",
    "analysing": "Running the analysis",
    "writing the report": "Writing the report",
    "done": "Done.",
}


def map_label(field: str) -> str:
    """A field's dropdown label: the words the case runner's messages use for it."""
    return f"Column for {field}"


def _parameter_widget(parameter: Mapping[str, Any]) -> w.Widget:
    # labelled with the parameter's own name: the runner's messages name 'the "NAME" setting'
    name, default = parameter["name"], parameter["default"]
    style = {"description_width": "initial"}
    if parameter["type"] == "bool":
        return w.Checkbox(description=name, value=bool(default), indent=False)
    if parameter.get("choices"):
        return w.Dropdown(description=name, options=parameter["choices"], value=default,
                          style=style)  # fmt: skip
    return w.Text(description=name, value="" if default is None else str(default), style=style)


#: How the file is written: label -> (the reading option, its choices or None for text).
#: The labels are the ones the runner's messages name (govlab.datasets.words).
READING = {
    "Encoding": ("encoding", None),
    "Separator": ("sep", (("found from the file", None), ("comma", ","), ("semicolon", ";"),
                          ("tab", "\t"), ("bar |", "|"))),
    "Decimal mark": ("decimal", (("found from the file", None), ("point .", "."),
                                 ("comma ,", ","))),
    "Dates": ("dayfirst", (("found from the file", None), ("day first (31/01)", True),
                           ("month first (01/31)", False))),
    "Date format": ("date_format", None),
    "Duplicate dates": ("duplicates", (("refuse them", "error"), ("add them up", "sum"),
                                       ("average them", "mean"), ("keep the last", "last"))),
}  # fmt: skip


def _reading_widget(label: str, choices: Any) -> w.Widget:
    style = {"description_width": "initial"}
    if choices is None:
        return w.Text(description=label, placeholder="found from the file", style=style)
    return w.Dropdown(description=label, options=list(choices), style=style)


def _with_help(control: w.Widget, help_text: str) -> w.Box:
    return box([control, html(f'<p class="govlab-help">{render_text(help_text)}</p>')],
               "govlab-field")  # fmt: skip


class CaseStudyExplorer(Component):
    """Re-run a case study: its own data or an uploaded file, mapped, checked and compared."""

    def __init__(self, library: Library | None = None) -> None:
        super().__init__(library)
        from govlab.casestudies import explorer

        self.cases: dict[str, CaseInfo] = {case.name: case for case in explorer.cases()}
        self.work = Path(tempfile.mkdtemp(prefix="govlab-explorer-"))
        self.uploaded: tuple[str, bytes] | None = None
        self.checked: DataCheck | None = None
        self._filling = False  # the dropdowns are being prefilled: no check per change
        self.case: CaseInfo | None = None
        self.picker = CardList(
            label="Case studies", heading="Choose a case study", link_param="case"
        )
        self.picker.cards = [_case_card(case) for case in self.cases.values()]
        self.picker.total = len(self.cases)
        self.picker.observe(lambda change: self.choose(change["new"]), "selected")
        self.about = html("", "govlab-case-about")
        self.upload = w.FileUpload(accept=".csv,.parquet", multiple=False,
                                   description="Upload your file")  # fmt: skip
        self.upload.observe(lambda _: self._on_upload(), "value")
        self.file_note = html("", "govlab-muted")
        self.mapping_box = box([], "govlab-form-grid")
        self.mapping: dict[str, w.Dropdown] = {}
        self.parameters_box = box([], "govlab-form-grid")
        self.parameters: dict[str, w.Widget] = {}
        self.reading = {label: _reading_widget(label, choices)
                        for label, (_, choices) in READING.items()}  # fmt: skip
        for control in self.reading.values():
            control.observe(lambda _: self._check_upload(), "value")
        self.run_default = w.Button(description="Run on the case's own data")
        self.run_mine = w.Button(description="Run on my file", button_style="primary")
        self.run_default.on_click(lambda _: self.run(own_data=False))
        self.run_mine.on_click(lambda _: self.run(own_data=True))
        self.progress = w.FloatProgress(value=0, min=0, max=1, description="Progress")
        self.step = html("", "govlab-muted")
        self.results = html("", "govlab-case-results")
        self.chart_box = box([], "govlab-charts")
        self.download = html("", "govlab-download")
        self.setup = self._setup_box()
        self.setup.layout.display = "none"
        intro = html(
            '<h1 class="govlab-title">Re-run a case study on your own data</h1><p '
            'class="govlab-lead">Each case study is the analysis behind a practice in the '
            "library. Run it as it was, or on your city's file, and see your figures beside "
            "the original's.</p>"
        )
        self.children = [intro, self.notice, self.picker, self.setup]

    def _setup_box(self) -> w.Box:
        data = box(
            [
                html("<h3>Your data</h3>"),
                self.upload,
                self.file_note,
                html(
                    '<p class="govlab-help">How your file is written (leave these as they '
                    "are unless a message asks):</p>"
                ),
                box(list(self.reading.values()), "govlab-form-grid"),
                html('<p class="govlab-help">Which of your columns holds each field:</p>'),
                self.mapping_box,
            ],
            "govlab-panel",
            "govlab-form",
        )
        settings = box(
            [html("<h3>Settings</h3>"), self.parameters_box], "govlab-panel", "govlab-form"
        )
        run = box(
            [
                box([self.run_default, self.run_mine], "govlab-actions", kind=w.HBox),
                self.progress,
                self.step,
            ],
            "govlab-panel",
        )
        return box(
            [self.about, data, settings, run, self.results, self.chart_box, self.download],
            "govlab-section",
        )

    # choosing a case and a file ------------------------------------------------------
    def choose(self, name: str) -> None:
        """Show the case's fields and parameters (``name`` from a card or ``?case=``)."""
        if not name:
            return
        case = self.cases.get(name)
        if case is None:
            self.notice.show(f"No case study called {name!r}.", "error")
            return
        self.notice.clear()
        self.case = case
        self.about.value = (
            f"<h2>{render_text(case.title)}</h2><p>{render_text(case.description)}</p>"
            f'<p class="govlab-muted">Its own data: {render_text(case.default_data)} '
            f"Practices: {render_text(', '.join(case.practices))}.</p>"
        )
        for old in (*self.mapping_box.children, *self.parameters_box.children):
            close_all(old)
        self.mapping = {}
        for item in case.fields:
            need = "" if item["required"] else " (optional)"
            dropdown = w.Dropdown(
                description=map_label(item["name"]) + need,
                options=[NOT_IN_FILE],
                style={"description_width": "initial"},
            )
            dropdown.add_class("govlab-map")
            dropdown.observe(lambda _: self._mapping_changed(), "value")
            self.mapping[item["name"]] = dropdown
        self.mapping_box.children = [
            _with_help(self.mapping[item["name"]], item["help"]) for item in case.fields
        ]
        self.parameters = {p["name"]: _parameter_widget(p) for p in case.parameters}
        self.parameters_box.children = [
            _with_help(self.parameters[p["name"]], p["help"]) for p in case.parameters
        ]
        self.checked = None
        self._check_upload()
        self.results.value, self.download.value = "", ""
        self.chart_box.children = []
        self.progress.value, self.step.value = 0, ""
        self.setup.layout.display = "flex"

    def _on_upload(self) -> None:
        if not self.upload.value:
            return
        self.checked = None
        item = self.upload.value[0]
        self.uploaded = (Path(str(item["name"])).name or "upload.csv", bytes(item["content"]))
        self._check_upload()

    def _check_upload(self) -> None:
        """Read and check the file as a run would; prefill the mapping from what was found."""
        if self.uploaded is None or self.case is None:
            self.file_note.value = "No file yet: the case's own data is used."
            return
        fresh = self.checked is None or self.checked.file != self.uploaded[0]
        found = self._inspect(None if fresh else self.chosen_mapping())
        if found is not None and fresh:
            self._prefill(found)
            if found.problem and found.suggested:  # checked again with the columns chosen
                found = self._inspect(self.chosen_mapping())
        self.checked = found
        if found is None:
            self.file_note.value = ""
            return
        if found.problem:
            self.notice.show(found.problem, "error")
        else:
            self.notice.clear()
        rows = "" if found.rows is None else f"{found.rows:,} rows, "
        span = f", dates {found.first_date} to {found.last_date}" if found.first_date else ""
        self.file_note.value = (
            f"<p>{render_text(found.file)}: {rows}{len(found.columns)} columns, "
            f"{render_text(found.reading.sentence())}{render_text(span)}. "
            "Check the columns chosen below.</p>"
        )

    def _inspect(self, mapping: dict[str, str] | None) -> DataCheck | None:
        from govlab.casestudies import explorer

        assert self.case is not None and self.uploaded is not None
        name, content = self.uploaded
        return self._act(
            explorer.inspect, self.case.name, content, filename=name, mapping=mapping,
            **self.chosen_reading(),
        )  # fmt: skip

    def _prefill(self, found: DataCheck) -> None:
        self._filling = True
        try:
            suggested = {s.field: s.column for s in found.suggested}
            for field, dropdown in self.mapping.items():
                dropdown.options = [NOT_IN_FILE, *found.columns]
                dropdown.value = suggested.get(field, NOT_IN_FILE)
        finally:
            self._filling = False

    def _mapping_changed(self) -> None:
        if not self._filling and self.checked is not None:
            self._check_upload()

    # running -----------------------------------------------------------------------------
    def chosen_mapping(self) -> dict[str, str]:
        """Field -> the column chosen for it (fields not in the file left out)."""
        return {f: d.value for f, d in self.mapping.items() if d.value != NOT_IN_FILE}

    def chosen_reading(self) -> dict[str, Any]:
        """The reading options set (left as found from the file: not passed)."""
        chosen: dict[str, Any] = {}
        for label, (option, _) in READING.items():
            value = self.reading[label].value
            if isinstance(value, str):
                value = value.strip() or None
            if value is not None:
                chosen[option] = value
        return chosen

    def chosen_parameters(self) -> dict[str, Any]:
        """Parameter -> value, read by the case's own parameter types (blank: its default)."""
        from govlab.casestudies.registry import get_case

        spec = get_case(self.case.name if self.case else "")
        values: dict[str, Any] = {}
        for name, widget in self.parameters.items():
            value = widget.value
            if isinstance(value, str):
                if not value.strip():
                    continue
                value = spec.parameter(name).parse(value)
            values[name] = value
        return values

    def run(self, *, own_data: bool) -> CaseRun | None:
        """Run the chosen case; show the figures, charts, findings and report."""
        if self.case is None:
            return None
        self.notice.clear()
        if own_data and self.uploaded is None:
            self.notice.show("Upload your file first (CSV or Parquet).", "error")
            return None
        self.results.value, self.download.value = "", ""
        self._progress(0.0, "preparing")
        result = self._act(self._run, own_data)
        if result is None:
            self.step.value = '<p class="govlab-muted">Stopped: see the message above.</p>'
            return None
        self._show(result, own_data)
        return result

    def _run(self, own_data: bool) -> CaseRun:
        from govlab.casestudies import explorer

        assert self.case is not None
        name, content = self.uploaded if own_data and self.uploaded else (None, None)
        return explorer.run(
            self.case.name, content, filename=name,
            mapping=self.chosen_mapping() if own_data else {},
            parameters=self.chosen_parameters(), progress=self._progress, out=self.work,
            **(self.chosen_reading() if own_data else {}),
        )  # fmt: skip

    def _progress(self, fraction: float, what: str) -> None:
        self.progress.value = fraction
        text = STEPS.get(what, what.capitalize())
        self.step.value = f"<p>{render_text(text if what == 'done' else text + '…')}</p>"

    def _show(self, result: CaseRun, own_data: bool) -> None:
        compare = own_data and any(f.original is not None for f in result.figures)
        head = ["Figure", "Your data" if own_data else "Value"]
        head += ["Original case"] if compare else []
        rows = [
            [f.label, f.text + (" (synthetic)" if f.synthetic else "")]
            + ([f.original_text or "-"] if compare else [])
            for f in result.figures
        ]
        notes = [*result.notes]
        if result.synthetic:
            notes.append("The case's own data is partly synthetic: see the figures marked so.")
        title = self.case.title if self.case else result.case
        self.results.value = (
            "<h2>Your figures</h2>"
            + views.table(head, rows, caption=f"Key figures of {title}")
            + "<h3>What the figures say</h3><ul>"
            + "".join(f"<li>{render_inline(text)}</li>" for text in result.findings)
            + "</ul>"
            + "".join(f'<p class="govlab-muted">{render_text(n)}</p>' for n in notes)
        )
        self._show_charts(result.charts)
        report = Path(result.report)
        encoded = base64.b64encode(report.read_bytes()).decode("ascii")
        self.download.value = (
            f'<p><a class="govlab-button-link" download="{render_text(report.name)}" '
            f'href="data:text/html;base64,{encoded}">Download the report (HTML, works '
            "offline)</a></p>"
        )

    def _show_charts(self, figures: list[Any]) -> None:
        for old in self.chart_box.children:
            close_all(old)
        outputs = []
        for figure in figures:
            area = charts.chart_output()
            charts.show(area, figure, str(figure.layout.title.text or "A chart of the run"))
            outputs.append(area)
        self.chart_box.children = outputs


def _case_card(case: CaseInfo) -> dict[str, Any]:
    fields = ", ".join(f["name"] for f in case.fields if f["required"])
    return {
        "id": case.name,
        "title": case.title,
        "meta": [f"Practices: {', '.join(case.practices)}"],
        "summary_html": render_text(case.description),
        "stars": None,
        "chips": [f"Needs: {fields}"],
    }
