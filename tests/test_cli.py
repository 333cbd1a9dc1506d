"""The ``govlab`` library commands, run as a user would: exit codes, messages, JSON shapes."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govlab.cli import main

ROOT = Path(__file__).resolve().parents[1]
JRC = ROOT / "tests" / "fixtures" / "jrc_ips" / "ips_cases_2022.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def library_fingerprint(db: str) -> str:
    """A hash of every practice and every revision: equal means nothing changed."""
    from govlab.library import Store

    store = Store.open(db, seed=False)
    with store.reading() as tx:
        records = [p.model_dump(mode="json") for p in tx.practices()]
        revisions = [(r.practice_id, r.revision) for p in records for r in tx.history(p["id"])]
    store.close()
    blob = json.dumps([records, revisions], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def test_init_is_idempotent_and_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_json(capsys, "init")
    second = run_json(capsys, "init")
    assert first["practices"] == second["practices"] >= 46
    assert first["member"] == "tester"


def test_init_no_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    assert run_json(capsys, "init", "--no-seed", "--db", db)["practices"] == 0


def test_search_transit_finds_the_transit_redesigns(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "search", "transit", "--limit", "50")
    ids = {item["id"] for item in data["results"]}
    assert {"houston-metro-system-reimagining", "seoul-owl-bus"} <= ids
    assert data["total"] == len(data["results"])
    assert set(data) >= {"total", "results", "facets"}
    assert sum(data["facets"]["status"].values()) == data["total"]


def test_search_with_filters(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "search", "--country", "KR", "--limit", "50")
    assert data["total"] >= 2  # Seoul's Owl Bus and Digital Mayor's Office
    assert all(item["country"] == "KR" for item in data["results"])
    assert data["facets"]["country"] == {"KR": data["total"]}


def test_search_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "owl bus")
    assert code == 0
    assert "seoul-owl-bus" in out and "practices found" in out


def test_search_of_only_stop_words_says_why_nothing_is_found(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "search", "the of")
    assert code == 0
    assert "0 practices found." in out
    assert '"the" and "of" are too common to search for' in out
    assert run_json(capsys, "search", "the of")["left_out"] == ["the", "of"]


def test_show_and_history(capsys: pytest.CaptureFixture[str]) -> None:
    practice = run_json(capsys, "show", "commonwealth-connect")
    assert practice["case_study"] == "shared-portal"
    history = run_json(capsys, "history", "commonwealth-connect")
    assert history[0]["revision"] == 1 and history[0]["message"] == "seed library"


def test_unknown_practice_is_exit_1_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "no-such-practice")
    assert code == 1
    assert "No practice with id 'no-such-practice'" in err
    assert "Traceback" not in err


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "search", "--limit", "many")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2


def test_export_validates_against_the_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import jsonschema

    out = tmp_path / "library.json"
    exported = run_json(capsys, "export", str(out))["exported"]
    assert exported >= 46
    code, schema_text, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(schema_text)
    document = json.loads(out.read_text())
    for practice in document["practices"]:
        jsonschema.validate(practice, schema)


def test_export_then_import_round_trips(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "library.csv"
    run_json(capsys, "export", str(out))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    run_json(capsys, "init", "--no-seed", "--db", other)
    data = run_json(capsys, "import", str(out), "--db", other)
    assert data["imported"] >= 46 and data["skipped"] == []
    moved = run_json(capsys, "show", "seoul-owl-bus", "--db", other)
    original = run_json(capsys, "show", "seoul-owl-bus")
    for field in ("title", "summary", "outcomes", "sources", "topics", "country", "level"):
        assert moved[field] == original[field]


def _bad_csv(tmp_path: Path) -> Path:
    good = tmp_path / "good.csv"
    main(["export", str(good)])
    with good.open(encoding="utf-8-sig", newline="") as handle:  # the export has a BOM for Excel
        rows = list(csv.reader(handle))
    header = rows[0]
    rows = [header] + [row for row in rows[1:4]]
    for row in rows[1:]:
        row[header.index("id")] = row[header.index("id")] + "-copy"
    rows[2][header.index("year_started")] = "twenty twelve"  # spreadsheet row 3
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return bad


def test_bad_import_is_rejected_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, govlab_home: Path
) -> None:
    run_json(capsys, "init")
    db = f"sqlite:///{govlab_home / 'library.db'}"
    bad = _bad_csv(tmp_path)
    capsys.readouterr()
    before = library_fingerprint(db)
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1
    assert "bad.csv" in err and "row 3" in err and "year_started" in err
    assert "Traceback" not in err
    assert library_fingerprint(db) == before


def test_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, govlab_home: Path
) -> None:
    run_json(capsys, "init")
    db = f"sqlite:///{govlab_home / 'library.db'}"
    out = tmp_path / "library.json"
    run_json(capsys, "export", str(out))
    before = library_fingerprint(db)
    data = run_json(capsys, "import", str(out), "--dry-run")
    assert data["dry_run"] and data["imported"] == 0 and data["valid"] >= 46
    assert library_fingerprint(db) == before


@pytest.mark.slow
def test_jrc_catalogue_import(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "import", str(JRC), "--format", "jrc-ips")
    assert data["imported"] + len(data["skipped"]) == 853
    assert all(skip["reason"] for skip in data["skipped"])
    stats = run_json(capsys, "stats")
    from govlab.library.seed import seed_practices

    assert stats["total"] == len(seed_practices()) + data["imported"]
    assert stats["facets"]["technology"]  # AI and blockchain cases carry technologies


def test_stats_shape(capsys: pytest.CaptureFixture[str]) -> None:
    stats = run_json(capsys, "stats")
    assert stats["total"] == sum(stats["by_status"].values())
    assert stats["by_status"]["published"] >= 46
    assert set(stats["facets"]) >= {"country", "level", "sector", "topic", "technology", "stage"}


def test_console_script_from_the_shell(govlab_home: Path) -> None:
    """`govlab search transit` from a shell, as the README promises."""
    govlab = Path(sys.executable).parent / "govlab"
    env = {**os.environ, "GOVLAB_HOME": str(govlab_home)}
    subprocess.run([str(govlab), "init"], check=True, env=env, capture_output=True)
    done = subprocess.run(
        [str(govlab), "search", "transit"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "seoul-owl-bus" in done.stdout
