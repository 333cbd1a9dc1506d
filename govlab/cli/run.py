"""``govlab run``: list the case studies, or run one on its own data or on yours."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from govlab.cli.common import Db, Json, emit


def register(app: typer.Typer) -> None:
    """Add ``govlab run`` to the root ``govlab`` app."""
    app.command(name="run")(run)


def run(
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
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Run a case study and write its report: `govlab run CASE --out report.html`.

    Every parameter and your data are checked before anything runs. With --json
    the key figures (and the original case's, when you pass --data) are printed.
    The case studies read no library, so --db is accepted for uniformity only.
    """
    if list_:
        if case or data or map_ or param or out:
            raise typer.BadParameter("--list takes no case, --data, --map, -p or --out")
        from govlab.casestudies.runner import list_cases

        emit(list_cases(), as_json, _list_text)
        return
    if not case:
        raise typer.BadParameter("name a case study (see `govlab run --list`)", param_hint="CASE")
    if out is None:
        raise typer.BadParameter("say where to write the report: --out report.html")
    from govlab.casestudies.runner import run_case

    result = run_case(
        case,
        out=out,
        data=data,
        mapping=list(map_ or []),
        parameters=list(param or []),
        progress=not as_json and sys.stderr.isatty(),
    )
    emit(result.to_dict(), as_json, _result_text)


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
    return "\n".join(lines)
