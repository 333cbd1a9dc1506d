"""The case-study explorer: re-run a case study on its own data or on a file of one's own.

Pick a case, upload a CSV (or Parquet) file, map its columns onto the case's fields
(prefilled by name), set the parameters, run, and read your figures beside the
original case's, the charts and the findings; download the offline HTML report.
Every check is the case runner's (:mod:`govlab.casestudies.runner`): a mistake in
the file comes back as a message naming the row and the column.
"""

from __future__ import annotations

import base64
import difflib
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from govlab.errors import InvalidInput
from govlab.render import render_text
from govlab.widgets import charts, views
from govlab.widgets._base import Component, box, close_all, html
from govlab.widgets.cards import CardList

if TYPE_CHECKING:
    from govlab.community.session import Library

NOT_IN_FILE = "(not in my file)"
STEPS = ("Checking your data and settings", "Running the analysis", "Writing the report")


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def suggest_column(field: str, columns: list[str]) -> str | None:
    """The column most like ``field`` by name; None when nothing is alike.

    The same name, a column with it as one of its words (``Agency Name`` for ``agency``),
    or a close spelling.
    """
    wanted = _normal(field)
    by_normal = {_normal(c): c for c in columns}
    if wanted in by_normal:
        return by_normal[wanted]
    for column in columns:
        words = [_normal(word) for word in re.split(r"[\s_\-.]+", column)]
        if wanted in words:
            return column
    close = difflib.get_close_matches(wanted, list(by_normal), n=1, cutoff=0.8)
    return by_normal[close[0]] if close else None


def in_our_words(message: str, folder: Path) -> str:
    """A runner message in the explorer's words: no command-line options, no temporary folder."""
    message = message.replace(f"{folder}/", "")
    message = re.sub(
        r"name it with --map (\w+)=COLUMN", r"choose its column beside \1 under Your data", message
    )
    return re.sub(r"--map (\w+)=(\w+)", r"\1 = \2", message)


def read_columns(path: Path) -> list[str]:
    """The column names of an uploaded CSV or Parquet file."""
    import pandas as pd

    if path.suffix.lower() == ".parquet":
        return [str(c) for c in pd.read_parquet(path).columns]
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0, sep=None, engine="python").columns]
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InvalidInput(
            f"{path.name}: cannot read its first row as column names ({error})."
        ) from None


def _parameter_widget(parameter: Any) -> w.Widget:
    label = parameter.name.replace("_", " ").capitalize()
    default = parameter.default
    if parameter.type == "bool":
        return w.Checkbox(description=label, value=bool(default), indent=False)
    if parameter.choices:
        return w.Dropdown(description=label, options=list(parameter.choices), value=default)
    return w.Text(description=label, value="" if default is None else str(default))


class CaseStudyExplorer(Component):
    """Re-run a case study: its own data or an uploaded file, mapped, checked and compared."""

    def __init__(self, library: Library | None = None) -> None:
        super().__init__(library)
        from govlab.casestudies.runner import list_cases

        self.cases = {case["name"]: case for case in list_cases()}
        self.work = Path(tempfile.mkdtemp(prefix="govlab-explorer-"))
        self.uploaded: Path | None = None
        self.case: dict[str, Any] | None = None
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
        self.run_default = w.Button(description="Run on the case's own data")
        self.run_mine = w.Button(description="Run on my file", button_style="primary")
        self.run_default.on_click(lambda _: self.run(own_data=False))
        self.run_mine.on_click(lambda _: self.run(own_data=True))
        self.progress = w.IntProgress(value=0, min=0, max=len(STEPS), description="Progress")
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
        practices = ", ".join(case["practices"])
        self.about.value = (
            f"<h2>{render_text(case['title'])}</h2><p>{render_text(case['description'])}</p>"
            f'<p class="govlab-muted">Its own data: {render_text(case["data"]["default"])} '
            f"Practices: {render_text(practices)}.</p>"
        )
        for old in (*self.mapping_box.children, *self.parameters_box.children):
            close_all(old)
        self.mapping = {}
        for field in case["data"]["fields"]:
            need = "" if field["required"] else " (optional)"
            dropdown = w.Dropdown(description=f"{field['name']}{need}", options=[NOT_IN_FILE])
            dropdown.add_class("govlab-map")
            self.mapping[field["name"]] = dropdown
        self.mapping_box.children = list(self.mapping.values())
        from govlab.casestudies.registry import get_case

        spec = get_case(name)
        self.parameters = {p.name: _parameter_widget(p) for p in spec.parameters}
        self.parameters_box.children = list(self.parameters.values())
        self._fill_mapping()
        self.results.value, self.download.value = "", ""
        self.chart_box.children = []
        self.progress.value, self.step.value = 0, ""
        self.setup.layout.display = "flex"

    def _on_upload(self) -> None:
        if not self.upload.value:
            return
        item = self.upload.value[0]
        name = Path(str(item["name"])).name or "upload.csv"
        path = self.work / name
        path.write_bytes(bytes(item["content"]))
        self.uploaded = path
        self._fill_mapping()

    def _fill_mapping(self) -> None:
        if self.uploaded is None or not self.mapping:
            self.file_note.value = "No file yet: the case's own data is used."
            return
        columns = self._act(read_columns, self.uploaded)
        if columns is None:
            return
        for field, dropdown in self.mapping.items():
            dropdown.options = [NOT_IN_FILE, *columns]
            dropdown.value = suggest_column(field, columns) or NOT_IN_FILE
        self.file_note.value = (
            f"<p>{render_text(self.uploaded.name)}: {len(columns)} columns. "
            "Check the guesses below.</p>"
        )

    # running -----------------------------------------------------------------------------
    def chosen_mapping(self) -> dict[str, str]:
        """Field -> the column chosen for it (fields not in the file left out)."""
        return {f: d.value for f, d in self.mapping.items() if d.value != NOT_IN_FILE}

    def chosen_parameters(self) -> dict[str, Any]:
        """Parameter -> value as typed (the runner parses and checks each)."""
        values: dict[str, Any] = {}
        for name, widget in self.parameters.items():
            value = widget.value
            if isinstance(value, str) and not value.strip():
                continue
            values[name] = value
        return values

    def run(self, *, own_data: bool) -> Any:
        """Check, then run the chosen case; show the figures, charts, findings and report."""
        from govlab.casestudies.runner import prepare, run_case

        if self.case is None:
            return None
        self.notice.clear()
        if own_data and self.uploaded is None:
            self.notice.show("Upload your file first (CSV or Parquet).", "error")
            return None
        data = self.uploaded if own_data else None
        mapping = self.chosen_mapping() if own_data else {}
        params = [f"{k}={v}" for k, v in self.chosen_parameters().items()]
        self._progress(0)
        if (
            self._act(prepare, self.case["name"], data=data, mapping=mapping, parameters=params)
            is None
        ):
            return self._stopped()
        self._progress(1)
        out = self.work / f"{self.case['name']}.html"
        result = self._act(run_case, self.case["name"], out=out, data=data, mapping=mapping,
                           parameters=params)  # fmt: skip
        if result is None:
            return self._stopped()
        self._progress(2)
        self._show(result)
        self._progress(3)
        return result

    def _stopped(self) -> None:
        self.notice.show(in_our_words(self.last_error or "", self.work), "error")
        self.step.value = '<p class="govlab-muted">Stopped: see the message above.</p>'

    def _progress(self, done: int) -> None:
        self.progress.value = done
        text = STEPS[done] + "\u2026" if done < len(STEPS) else "Done."
        self.step.value = f"<p>{render_text(text)}</p>"

    def _show(self, result: Any) -> None:
        from govlab.casestudies.notebook import comparison, comparison_sentence, figure_table

        case = result.case
        if result.original:
            table = comparison(case, result.figures, result.original)
            finding = comparison_sentence(case, result.figures, result.original)
        else:
            table = figure_table(case, result.figures)
            finding = "These are the case's own figures."
        head = ["Figure", *table.columns]
        rows = [[index, *row] for index, row in zip(table.index, table.to_numpy(), strict=True)]
        synthetic = " The case's own data is partly synthetic." if result.synthetic else ""
        self.results.value = (
            f"<h2>Your figures</h2><p>{render_text(finding)}{render_text(synthetic)}</p>"
            + views.table(head, rows, caption=f"Key figures ({result.data})")
        )
        self._show_charts(result.notebook)
        encoded = base64.b64encode(Path(result.report).read_bytes()).decode("ascii")
        self.download.value = (
            f'<p><a class="govlab-button-link" download="{render_text(Path(result.report).name)}" '
            f'href="data:text/html;base64,{encoded}">Download the report (HTML, works '
            "offline)</a></p>"
        )

    def _show_charts(self, notebook: Path) -> None:
        import nbformat

        for old in self.chart_box.children:
            close_all(old)
        outputs = []
        executed = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call, unused-ignore]
        for cell in executed.cells:
            for output in cell.get("outputs", []):
                if charts.MIME in output.get("data", {}):
                    area = charts.chart_output()
                    data = dict(output["data"])
                    data[charts.MIME] = {**data[charts.MIME], "config": charts.CONFIG}
                    area.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
                    outputs.append(area)
        self.chart_box.children = outputs


def _case_card(case: dict[str, Any]) -> dict[str, Any]:
    fields = ", ".join(f["name"] for f in case["data"]["fields"] if f["required"])
    return {
        "id": case["name"],
        "title": case["title"],
        "meta": [f"Practices: {', '.join(case['practices'])}"],
        "summary_html": render_text(case["description"]),
        "stars": None,
        "chips": [f"Needs: {fields}"],
    }
