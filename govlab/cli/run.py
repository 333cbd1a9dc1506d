"""``govlab run``: list the case studies, check your file, or run one on its data or yours."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from govlab.cli.common import Db, Json, emit

if TYPE_CHECKING:
    from govlab.casestudies.checking import DataCheck
    from govlab.casestudies.data import CaseData

_SEPARATORS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def register(app: typer.Typer) -> None:
    """Add ``govlab run`` to the ``govlab`` command."""
    app.command(name="run", context_settings={"help_option_names": []})(run)


def run(
    ctx: typer.Context,
    case: Annotated[
        str | None, typer.Argument(help="The case study to run (see --list).", show_default=False)
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the case studies and their typed parameters.")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Your CSV or Parquet file (default: the case's own data)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="FIELD=COLUMN: which of your columns holds a field (repeatable)."
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("-p", "--param", help="NAME=VALUE: set a parameter (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The HTML report to write; the notebook goes beside it."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Read and check --data, suggest a --map; run nothing."),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Your file's encoding (default: detected)."),
    ] = None,
    sep: Annotated[
        str | None,
        typer.Option("--sep", help="Column separator: , ; tab or | (default: detected)."),
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option("--decimal", help="Decimal mark of numbers: . or , (default: detected)."),
    ] = None,
    dayfirst: Annotated[
        bool | None,
        typer.Option(
            "--dayfirst/--monthfirst",
            help="Dates such as 03/04/2024 are 3 April (--dayfirst) or March 4 (--monthfirst); "
            "default: from the dates, and asked for when every date reads both ways.",
            show_default=False,
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help="strptime format of the dates, e.g. %d.%m.%Y %H:%M."),
    ] = None,
    duplicates: Annotated[
        str,
        typer.Option(
            "--duplicates",
            help="Two rows for the same period: error (say so), sum, mean or last.",
        ),
    ] = "error",
    place: Annotated[
        str | None,
        typer.Option("--place", help="Where your data is from, for the report."),
    ] = None,
    help_: Annotated[
        bool,
        typer.Option("--help", "-h", help="Show this help; with CASE, the case's fields too."),
    ] = False,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Run a case study and write its report: `govlab run CASE --out report.html`.

    Every parameter and your data are checked before anything runs; your file is
    read as your city wrote it (encoding, separator, decimal mark, date order are
    worked out, or say them with --encoding, --sep, --decimal, --dayfirst). With
    --json the key figures (and the original case's, when you pass --data) are
    printed. `govlab run CASE --help` lists the case's fields and parameters.
    The case studies read no library, so --db is accepted for uniformity only.
    """
    from govlab.datasets.words import speaking

    if help_:
        typer.echo(_case_help(case) if case else ctx.get_help())
        raise typer.Exit(0)
    if list_:
        if case or data or map_ or param or out:
            raise typer.BadParameter("--list takes no case, --data, --map, -p or --out")
        from govlab.casestudies.runner import list_cases

        emit(list_cases(), as_json, _list_text)
        return
    if not case:
        raise typer.BadParameter("name a case study (see `govlab run --list`)", param_hint="CASE")
    with speaking("cli"):
        reading = _reading(encoding, sep, decimal, dayfirst, date_format)
        if check:
            _check(case, data, map_, param, reading, duplicates, as_json)
            return
        if out is None:
            raise typer.BadParameter("say where to write the report: --out report.html")
        _run(case, out, data, map_, param, reading, duplicates, place, as_json)


def _reading(
    encoding: str | None,
    sep: str | None,
    decimal: str | None,
    dayfirst: bool | None,
    date_format: str | None,
) -> Any:
    from govlab.datasets.reading import ReadOptions
    from govlab.errors import InvalidInput

    separator = _SEPARATORS.get(sep.lower(), sep) if sep else None
    try:
        return ReadOptions(encoding, separator, decimal, dayfirst, date_format)
    except InvalidInput as error:
        raise InvalidInput(f"{error} (from --encoding, --sep or --decimal)") from None


def _run(
    case: str,
    out: Path,
    data: Path | None,
    map_: list[str] | None,
    param: list[str] | None,
    reading: Any,
    duplicates: str,
    place: str | None,
    as_json: bool,
) -> None:
    from govlab.casestudies.runner import run_case

    bar = _Bar(enabled=not as_json and sys.stderr.isatty())

    def announce(loaded: CaseData) -> None:
        line = f"{loaded.label}: {loaded.reading.sentence()}; {loaded.rows:,} rows."
        bar.write(line)
        for note in loaded.notes:
            bar.write(f"  {note}")

    try:
        result = run_case(
            case, out=out, data=data, mapping=list(map_ or []), parameters=list(param or []),
            reading=reading, duplicates=duplicates, place=place, progress=bar.update,
            on_data=announce,
        )  # fmt: skip
    finally:
        bar.close()
    emit(result.to_dict(), as_json, _result_text)


class _Bar:
    """One tqdm bar on stderr, 0-100 %, fed by the run's progress (only on a terminal)."""

    def __init__(self, *, enabled: bool) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=100, unit="%", file=sys.stderr, leave=False,
                            bar_format="{desc:<22} {bar} {percentage:3.0f}% {elapsed}")  # fmt: skip

    def update(self, fraction: float, what: str) -> None:
        if self.bar is None:
            return
        self.bar.set_description_str(what)
        self.bar.n = round(100 * fraction)
        self.bar.refresh()

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            typer.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _check(
    case: str,
    data: Path | None,
    map_: list[str] | None,
    param: list[str] | None,
    reading: Any,
    duplicates: str,
    as_json: bool,
) -> None:
    from govlab.casestudies.checking import check_data

    if data is None:
        raise typer.BadParameter("--check needs --data: the file to check")
    found = check_data(
        case, data, list(map_ or []), reading=reading, duplicates=duplicates,
        parameters=list(param or []),
    )  # fmt: skip
    again = _options_again(reading, duplicates, param)
    emit(found.to_dict() | {"suggested_map": found.suggested_map()}, as_json,
         lambda _: _check_text(found, again))  # fmt: skip
    if not found.ok:
        raise typer.Exit(1)


def _options_again(reading: Any, duplicates: str, param: list[str] | None) -> str:
    """The reading options and parameters given, as they go on the ready command line."""
    names = {"\t": "tab"}
    given = [
        ("--encoding", reading.encoding),
        ("--sep", names.get(reading.sep, reading.sep) if reading.sep else None),
        ("--decimal", reading.decimal),
        ("--date-format", reading.date_format),
        ("--duplicates", duplicates if duplicates != "error" else None),
    ]
    parts = [f"{option} {_shell(value)}" for option, value in given if value]
    if reading.dayfirst is not None:
        parts.append("--dayfirst" if reading.dayfirst else "--monthfirst")
    parts += [f"-p {_shell(item)}" for item in param or []]
    return " ".join(parts)


def _check_text(found: DataCheck, again: str = "") -> str:
    name = Path(found.file).name
    lines = [f"{name}: {found.reading.sentence()}"]
    if found.rows is not None:
        lines.append(f"rows: {found.rows:,}")
    if found.first_date:
        lines.append(f"dates: {found.first_date} to {found.last_date}")
    lines.append("columns: " + ", ".join(repr(c) for c in found.columns[:30]))
    for note in found.notes:
        lines.append(f"note: {note}")
    if found.suggested and (found.problem or found.mapping):
        lines.append("suggested mapping (from the column names and values):")
        lines.append(f"  {found.suggested_map()}")
    elif found.ok and not found.mapping:
        lines.append("no --map needed: the columns were recognised")
    if found.problem:
        lines.append(f"problem: {found.problem}")
    else:
        chosen = found.mapping or {s.field: s.column for s in found.suggested}
        maps = (
            " ".join(f"--map {k}={_shell(v)}" for k, v in chosen.items()) if found.mapping else ""
        )
        command = [f"govlab run {found.case} --data {_shell(found.file)}", maps, again]
        lines.append("ready: " + " ".join(part for part in command if part) + " --out report.html")
    return "\n".join(lines)


def _shell(text: str) -> str:
    from govlab.datasets.words import shell_quote

    return shell_quote(text)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent) or [indent]


def _case_help(name: str) -> str:
    from govlab.casestudies.registry import get_case

    case = get_case(name).describe()
    lines = [f"govlab run {case['name']}: {case['title']}", ""]
    lines += [*_wrap(case["description"]), ""]
    lines += _wrap(f"Its own data: {case['data']['default']}")
    lines.append("")
    lines.append("Your data (--data FILE; name your columns with --map FIELD=COLUMN):")
    for f in case["data"]["fields"]:
        need = "required" if f["required"] else "optional"
        example = f", e.g. {f['example']}" if f.get("example") else ""
        lines.append(f"  {f['name']:<22} {f['type']}, {need}{example}")
        lines += _wrap(f["help"], " " * 25)
    if case["data"]["example"]:
        lines.append(f"  for example: {case['data']['example']}")
    lines.append("")
    lines.append("Parameters (-p NAME=VALUE):")
    for p in case["parameters"]:
        lines.append(f"  {p['name']:<22} {p['type']}, default {p['default']!r}{_range(p)}")
        lines += _wrap(p["help"], " " * 25)
    lines.append("")
    lines += _wrap(
        "Reading your file: --encoding, --sep, --decimal, --dayfirst/--monthfirst, "
        "--date-format, --duplicates error|sum|mean|last, --place. --check reads and checks "
        "it and suggests a --map, running nothing."
    )
    return "\n".join(lines)


def _range(p: dict[str, Any]) -> str:
    if "choices" in p:
        return f"; one of {', '.join(p['choices'])}"
    low, high = p.get("minimum"), p.get("maximum")
    if low is not None and high is not None:
        return f"; from {low:g} to {high:g}"
    if low is not None:
        return f"; at least {low:g}"
    if high is not None:
        return f"; at most {high:g}"
    return ""


def _list_text(cases: list[dict[str, Any]]) -> str:
    lines = []
    for case in cases:
        lines.append(f"{case['name']}: {case['title']}")
        lines.append(f"  practices: {', '.join(case['practices'])}")
        lines.append(f"  data: {case['data']['default']}")
        fields = [f"{f['name']}{'' if f['required'] else '?'}" for f in case["data"]["fields"]]
        lines.append(f"  fields (--map FIELD=COLUMN, ? = optional): {', '.join(fields)}")
        lines.append("  parameters (-p NAME=VALUE):")
        for p in case["parameters"]:
            choices = f" one of {'|'.join(p['choices'])};" if "choices" in p else ""
            lines.append(
                f"    {p['name']} ({p['type']}, default {p['default']!r}):{choices} {p['help']}"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def _result_text(result: dict[str, Any]) -> str:
    from govlab.casestudies.notebook import comparison, figure_table

    case = result["case"]
    lines = [f"Report: {result['report']}", f"Notebook: {result['notebook']}", ""]
    if result["original"]:
        table = comparison(case, result["figures"], result["original"])
    else:
        table = figure_table(case, result["figures"])
    lines.append(table.to_string())
    if result.get("illustration"):
        lines += ["", "Illustration, not your data (from generated data):"]
        lines.append(figure_table(case, result["illustration"]).to_string())
    return "\n".join(lines)
