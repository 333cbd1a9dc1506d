"""Benchmark: monthly KPIs by agency over a 10-million-row request log, and the user's whole path.

Computes monthly request count, median response time (hours) and SLA compliance
by agency twice over the same Parquet file:

* the DuckDB path: ``govlab.analysis.monthly_summary(path, engine="duckdb")``;
* idiomatic pandas: ``pd.read_parquet`` of the three needed columns, then a groupby.

Each path runs in a fresh Python process so that its peak RSS is its own (the
pandas peak cannot mask DuckDB's); the parent checks both agree, then prints
seconds, peak RSS and the ratio, with the figures as JSON on the last line.

Then the path a user takes (issue 10): ``govlab run service-performance-311
--data FILE --out report.html`` on the same 10 million requests written as CSV
and as Parquet, through the installed console script on a pseudo-terminal (so
its progress bar is drawn, as a user sees it). Timed from the command's start
to its exit: reading and checking the file, the figures, the charts, the
notebook and the HTML report. Its peak RSS is the largest sum over the process
tree (the CLI and the notebook's kernel run at once), sampled every 50 ms; the
report's size is the HTML file's. Targets: <= 30 s, <= 2 GB, a report that
opens (<= 10 MB). JSON keys: ``end_to_end_s`` / ``end_to_end_peak_rss_mb`` /
``report_mb`` (the worse of the two files) and the same per file
(``end_to_end_csv_s``, ``end_to_end_parquet_s`` ...).

The log is generated once into ``benchmarks/out/`` (gitignored) and reused:
with ``govlab.datasets.generate_requests`` when available, else with the small
streaming generator below (pyarrow, one chunk at a time, never the whole log in
memory).  Targets: DuckDB <= 1.0 s, >= 4x faster than pandas, peak RSS <= 1.5 GB.

Usage::

    .venv/bin/python benchmarks/bench_kpis.py [--rows 10000000] [--repeat 3]
        [--only kpis|end-to-end]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SLA_HOURS = 72.0
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 4.0
TARGET_RSS_MB = 1536.0
TARGET_END_TO_END_S = 30.0
TARGET_END_TO_END_RSS_MB = 2048.0
TARGET_REPORT_MB = 10.0
CASE = "service-performance-311"


# --- data ------------------------------------------------------------------------


def local_generate(path: Path, rows: int, seed: int, chunk_rows: int = 1_000_000) -> None:
    """Write a synthetic canonical request log to Parquet, one chunk at a time."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    agencies = np.array(["DOT", "DSNY", "DEP", "HPD", "NYPD", "DPR", "DOB", "DOHMH", "TLC", "DCA"])
    agency_p = np.array([0.22, 0.18, 0.12, 0.12, 0.1, 0.08, 0.07, 0.05, 0.03, 0.03])
    categories = np.array([f"category {i:02d}" for i in range(40)])
    channels = np.array(["phone", "online", "app", "walk-in"])
    start = np.datetime64("2022-01-01T00:00:00", "s").astype(np.int64)
    span = 2 * 365 * 86400
    writer: pq.ParquetWriter | None = None
    try:
        for first in range(0, rows, chunk_rows):
            n = min(chunk_rows, rows - first)
            opened = start + rng.integers(0, span, n)
            hours = rng.lognormal(mean=3.3, sigma=1.2, size=n)
            closed = opened + (hours * 3600).astype(np.int64)
            is_open = rng.random(n) < 0.08
            table = pa.table(
                {
                    "id": pa.array(np.char.add("SR", (first + np.arange(n)).astype("U9"))),
                    "opened": pa.array(opened.astype("datetime64[s]").astype("datetime64[us]")),
                    "closed": pa.array(
                        closed.astype("datetime64[s]").astype("datetime64[us]"), mask=is_open
                    ),
                    "category": pa.array(categories[rng.integers(0, len(categories), n)]),
                    "agency": pa.array(rng.choice(agencies, n, p=agency_p)),
                    "status": pa.array(np.where(is_open, "Open", "Closed")),
                    "channel": pa.array(channels[rng.integers(0, len(channels), n)]),
                    "district": pa.array(np.char.add("D", rng.integers(1, 52, n).astype("U2"))),
                    "reopened": pa.array(rng.random(n) < 0.04),
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def ensure_log(rows: int, seed: int) -> tuple[Path, str]:
    """Reuse or create the Parquet log; say which generator made it.

    The file is reused only when the same generator made it with the same rows.
    """
    import pyarrow.parquet as pq

    try:
        from govlab.datasets import generate_requests
    except ImportError:
        generate_requests = None
    how = (
        "govlab.datasets.generate_requests"
        if generate_requests is not None
        else "benchmarks/bench_kpis.py local_generate"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"requests_{rows}_seed{seed}.parquet"
    marker = path.with_suffix(".generator")
    if (
        path.exists()
        and marker.exists()
        and marker.read_text().strip() == how
        and pq.ParquetFile(path).metadata.num_rows == rows
    ):
        return path, how
    tmp = path.with_suffix(".tmp.parquet")
    if generate_requests is not None:
        generate_requests(rows, seed=seed, path=tmp)
    else:
        local_generate(tmp, rows, seed)
    tmp.replace(path)
    marker.write_text(how + "\n")
    return path, how


# --- the two paths (each runs in its own process) --------------------------------------


def run_duckdb(path: str):  # noqa: ANN201 - returns a DataFrame; pandas imported lazily
    from govlab.analysis.kpis import monthly_summary

    return monthly_summary(path, by="agency", sla_hours=SLA_HOURS, engine="duckdb")


def run_pandas(path: str):  # noqa: ANN201
    """Idiomatic pandas: read the three columns, derive hours and month, one groupby."""
    import pandas as pd

    df = pd.read_parquet(path, columns=["agency", "opened", "closed"])
    hours = (df["closed"] - df["opened"]).dt.total_seconds() / 3600
    df = df.assign(
        month=df["opened"].dt.to_period("M").dt.to_timestamp(),
        hours=hours,
        within_sla=hours <= SLA_HOURS,
    )
    out = df.groupby(["agency", "month"], sort=True).agg(
        requests=("hours", "size"),
        closed=("hours", "count"),
        median_hours=("hours", "median"),
        within_sla=("within_sla", "sum"),
    )
    out["sla_compliance"] = out["within_sla"] / out["closed"]
    return out.reset_index()


def child(which: str, path: str, repeat: int, result_path: str) -> None:
    """Time ``repeat`` runs of one path; write the last result; print JSON figures."""
    import pandas  # noqa: F401 - imported before timing, as any notebook has it

    if which == "duckdb":
        import duckdb  # noqa: F401

        import govlab.analysis.kpis  # noqa: F401
    fn = run_duckdb if which == "duckdb" else run_pandas
    seconds, cpu = [], []
    result = None
    for _ in range(repeat):
        c0, t0 = _cpu(), time.perf_counter()
        result = fn(path)
        seconds.append(time.perf_counter() - t0)
        cpu.append(_cpu() - c0)
    assert result is not None
    result.to_parquet(result_path)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    figures = {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak_kb / 1024}
    print(json.dumps({**figures, "groups": len(result)}))


def _cpu() -> float:
    """User + system CPU seconds of this process, all threads (DuckDB's included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spawn(which: str, path: Path, repeat: int) -> tuple[dict, Path]:
    result_path = OUT / f"result_{which}.parquet"
    cmd = [sys.executable, __file__, "--child", which, "--path", str(path)]
    cmd += ["--repeat", str(repeat), "--result", str(result_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {which} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1]), result_path


def agree(duck_path: Path, pandas_path: Path) -> int:
    """Check both results hold the same figures; return the number of groups."""
    import pandas as pd

    duck = pd.read_parquet(duck_path)
    ref = pd.read_parquet(pandas_path)
    assert list(duck["agency"].astype(str)) == list(ref["agency"].astype(str)), "agency order"
    assert (duck["month"].astype("datetime64[ns]") == ref["month"].astype("datetime64[ns]")).all()
    for column in ("requests", "closed", "within_sla"):
        assert (duck[column].to_numpy() == ref[column].to_numpy()).all(), column
    for column in ("median_hours", "sla_compliance"):
        pd.testing.assert_series_equal(
            duck[column].astype(float), ref[column].astype(float), rtol=1e-9, check_names=False
        )
    return len(duck)


# --- the user's path: govlab run on the whole log -------------------------------------


def ensure_csv(parquet: Path) -> Path:
    """The same log as a CSV file (ISO times, an empty closing for an open request)."""
    import duckdb

    path = parquet.with_suffix(".csv")
    marker = path.with_suffix(".from")
    stamp = f"{parquet.name} {parquet.stat().st_mtime_ns}"
    if path.exists() and marker.exists() and marker.read_text().strip() == stamp:
        return path
    tmp = path.with_suffix(".tmp.csv")
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{tmp}' "
            "(HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')"
        )
    finally:
        con.close()
    tmp.replace(path)
    marker.write_text(stamp + "\n")
    return path


def _tree_rss(process) -> int:  # noqa: ANN001 - a psutil.Process
    """Bytes resident in a process and all its descendants, now."""
    import psutil

    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):  # it ended between the two calls
            total += member.memory_info().rss
    return total


def end_to_end(data: Path, rows: int) -> dict:
    """One ``govlab run`` on ``data`` on a pseudo-terminal: seconds, peak tree RSS, report size."""
    # outside the repository: its tests execute every notebook found in the tree
    folder = Path(tempfile.mkdtemp(prefix=f"govlab-e2e-{data.suffix.lstrip('.')}-"))
    try:
        return _timed_run(data, rows, folder / "report.html")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _timed_run(data: Path, rows: int, report: Path) -> dict:
    """Run govlab on a 120-column pseudo-terminal, sampling the process tree's RSS."""
    import fcntl
    import pty
    import struct
    import termios
    import threading

    import psutil

    govlab = str(Path(sys.executable).with_name("govlab"))
    master, slave = pty.openpty()
    # a terminal 120 columns wide, as a user's (a new pty is 0 x 0: tqdm would draw nothing)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the command
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    cmd = [govlab, "run", CASE, "--data", str(data), "--out", str(report)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    reader.join(timeout=5)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    if proc.returncode != 0:
        sys.stderr.write(terminal + stdout)
        raise SystemExit(f"govlab run on {data.name} failed")
    html = report.read_text(encoding="utf-8")
    return {
        "seconds": seconds,
        "peak_rss_mb": peak / 2**20,
        "report_mb": report.stat().st_size / 2**20,
        "notebook_mb": report.with_suffix(".ipynb").stat().st_size / 2**20,
        # the bar redraws with a percentage; the line said before the run names the rows
        "progress_bar": terminal.count("%") >= 3 and "100%" in terminal,
        "said_before_run": f"{rows:,} rows" in terminal,
        "rows_in_report": f"{rows:,}" in html,
        "terminal_tail": [
            " ".join(line.split()) for line in terminal.replace("\r", "\n").splitlines()
        ][-4:],
    }


def end_to_end_figures(parquet: Path, rows: int) -> dict:
    """Both files through ``govlab run``; the JSON keys of issue 10."""
    t0 = time.perf_counter()
    csv = ensure_csv(parquet)
    csv_prepared = time.perf_counter() - t0
    runs = {"csv": end_to_end(csv, rows), "parquet": end_to_end(parquet, rows)}
    figures: dict = {
        "end_to_end_s": round(max(r["seconds"] for r in runs.values()), 2),
        "end_to_end_peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs.values()), 1),
        "report_mb": round(max(r["report_mb"] for r in runs.values()), 2),
        "csv_mb": round(csv.stat().st_size / 2**20, 1),
        "csv_prepare_seconds": round(csv_prepared, 2),
    }
    for kind, r in runs.items():
        figures[f"end_to_end_{kind}_s"] = round(r["seconds"], 2)
        figures[f"end_to_end_{kind}_peak_rss_mb"] = round(r["peak_rss_mb"], 1)
        figures[f"report_{kind}_mb"] = round(r["report_mb"], 2)
        figures[f"notebook_{kind}_mb"] = round(r["notebook_mb"], 2)
        figures[f"end_to_end_{kind}_progress_bar"] = r["progress_bar"]
        figures[f"end_to_end_{kind}_rows_in_report"] = r["rows_in_report"]
        print(
            f"govlab run {CASE} --data {kind.upper()}: {r['seconds']:.1f} s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB (CLI + kernel), report {r['report_mb']:.2f} MB, "
            f"progress bar {'drawn' if r['progress_bar'] else 'NOT drawn'}; "
            f"last lines: {r['terminal_tail']}"
        )
    figures["end_to_end_meets_targets"] = bool(
        figures["end_to_end_s"] <= TARGET_END_TO_END_S
        and figures["end_to_end_peak_rss_mb"] <= TARGET_END_TO_END_RSS_MB
        and figures["report_mb"] <= TARGET_REPORT_MB
        and all(r["progress_bar"] and r["rows_in_report"] for r in runs.values())
    )
    print(
        f"end to end (targets <= {TARGET_END_TO_END_S:.0f} s, "
        f"<= {TARGET_END_TO_END_RSS_MB:.0f} MB, report <= {TARGET_REPORT_MB:.0f} MB): "
        f"{'met' if figures['end_to_end_meets_targets'] else 'NOT met'}"
    )
    return figures


def kpi_figures(path: Path, args: argparse.Namespace) -> dict:
    """The KPI functions on DuckDB and on pandas, each in its own process, side by side."""
    duck, duck_result = spawn("duckdb", path, args.repeat)
    pan, pandas_result = spawn("pandas", path, args.repeat)
    groups = agree(duck_result, pandas_result)

    duck_s = statistics.median(duck["seconds"])
    pan_s = statistics.median(pan["seconds"])
    figures = {
        "groups": groups,
        "repeat": args.repeat,
        "duckdb_seconds": round(duck_s, 3),
        "duckdb_seconds_best": round(min(duck["seconds"]), 3),
        "duckdb_seconds_runs": [round(s, 3) for s in duck["seconds"]],
        "pandas_seconds": round(pan_s, 3),
        "pandas_seconds_best": round(min(pan["seconds"]), 3),
        "pandas_seconds_runs": [round(s, 3) for s in pan["seconds"]],
        "speedup": round(pan_s / duck_s, 2),
        "duckdb_peak_rss_mb": round(duck["peak_rss_mb"], 1),
        "pandas_peak_rss_mb": round(pan["peak_rss_mb"], 1),
        "duckdb_cpu_seconds": round(statistics.median(duck["cpu_seconds"]), 3),
        "pandas_cpu_seconds": round(statistics.median(pan["cpu_seconds"]), 3),
        "results_agree": True,
    }
    figures["meets_targets"] = bool(
        duck_s <= TARGET_SECONDS
        and pan_s / duck_s >= TARGET_SPEEDUP
        and duck["peak_rss_mb"] <= TARGET_RSS_MB
    )
    print(f"groups (agency x month): {groups}; both paths agree")
    print(
        f"DuckDB path: {duck_s:.3f} s (median of {args.repeat}), "
        f"peak RSS {duck['peak_rss_mb']:.0f} MB"
    )
    print(
        f"pandas path: {pan_s:.3f} s (median of {args.repeat}), "
        f"peak RSS {pan['peak_rss_mb']:.0f} MB"
    )
    print(
        f"speed-up: {pan_s / duck_s:.1f}x (targets: <= {TARGET_SECONDS} s, >= {TARGET_SPEEDUP}x, "
        f"<= {TARGET_RSS_MB:.0f} MB): {'met' if figures['meets_targets'] else 'NOT met'}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["kpis", "end-to-end"])
    parser.add_argument("--child", choices=["duckdb", "pandas"])
    parser.add_argument("--path")
    parser.add_argument("--result")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path, args.repeat, args.result)
        return

    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    path, how = ensure_log(args.rows, args.seed)
    prepared = time.perf_counter() - t0
    figures: dict = {
        "benchmark": "kpis_monthly_by_agency",
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "generator": how,
        "data_seconds": round(prepared, 2),
    }
    print(f"request log: {args.rows:,} rows, {figures['file_mb']} MB Parquet ({how})")
    if args.only != "end-to-end":
        figures.update(kpi_figures(path, args))
    if args.only != "kpis":
        figures.update(end_to_end_figures(path, args.rows))
    figures["cpus"] = os.cpu_count()
    figures["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {figures['load_average_1min']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
