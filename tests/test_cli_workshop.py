"""What a workshop participant meets first in the shell: the README's tour, the welcome,
the guidelines, and practices printed in a person's words."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from govlab.cli import main
from govlab.cli.library import amount

ROOT = Path(__file__).resolve().parents[1]


def tour_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A tour", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.strip().splitlines()]


def test_every_tour_example_finds_something(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # export writes its file here
    lines = tour_lines()
    assert len(lines) >= 8 and all(line.startswith("govlab ") for line in lines)
    for line in lines:
        args = shlex.split(line.split(" > ")[0])[1:]
        if "--json" not in args and args[0] != "schema":
            args.append("--json")
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, f"{line}: {err}"
        data = json.loads(out)
        found = {
            "init": lambda d: d["practices"],
            "search": lambda d: d["total"],
            "show": lambda d: d["outcomes"] and d["sources"],
            "history": len,
            "export": lambda d: d["exported"],
            "import": lambda d: d["valid"],
            "stats": lambda d: d["total"],
            "schema": lambda d: d["properties"],
        }[args[0]](data)
        assert found, f"`{line}` found nothing: {out[:300]}"


def test_init_shows_the_guidelines_once_in_short_with_the_shell_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["init"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Library ready at ") and "--accept" not in out
    assert "Welcome to govlab, tester. You joined as an admin." in err
    assert "The community guidelines, in short:" in err
    points = re.findall(r"^  (\w+): ", err, flags=re.MULTILINE)
    assert points == ["Openness", "Respect", "Evidence"]
    assert "govlab guidelines --accept" in err
    assert "accept_guidelines()" not in err and "## " not in err and "Role." not in err
    # the second time: one line, no guidelines
    main(["init"])
    out, err = capsys.readouterr()
    assert (
        err.strip()
        == "You have not accepted the community guidelines yet: govlab guidelines --accept"
    )
    # in full on request, then accepted: silence
    assert main(["guidelines"]) == 0
    out, _ = capsys.readouterr()
    assert "## Openness" in out and out.rstrip().endswith("`govlab guidelines --accept`.")
    assert main(["guidelines", "--accept"]) == 0
    assert capsys.readouterr().out.strip() == "Thank you, tester: guidelines accepted."
    main(["init", "--json"])
    out, err = capsys.readouterr()
    assert err == "" and json.loads(out)["guidelines_accepted"] is True
    assert json.loads(out)["role"] == "admin"


def test_a_new_member_meets_the_guidelines_on_any_first_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["init"])
    capsys.readouterr()
    monkeypatch.setenv("GOVLAB_USER", "amara")
    assert main(["search", "transit", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["total"] > 0  # stdout stays JSON
    assert "Welcome to govlab, amara. You joined as a member." in err


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (54.0, "municipalities", "54 municipalities"),
        (91032.0, "people", "91,032 people"),
        (160_000_000.0, "GBP", "160 million GBP"),
        (1_240_000.0, "uses", "1.24 million uses"),
        (6_280_000_000.0, "transactions", "6.28 billion transactions"),
        (77.0, "% of people", "77% of people"),
        (4.3, "% change", "4.3% change"),
        (-12.0, "% change", "-12% change"),
        (0.25, "", "0.25"),
        (None, "services", ""),
    ],
)
def test_numbers_are_written_as_people_write_them(
    value: float | None, unit: str, written: str
) -> None:
    assert amount(value, unit) == written


def test_show_prints_no_python_leftovers(capsys: pytest.CaptureFixture[str]) -> None:
    main(["init"])
    capsys.readouterr()
    assert main(["show", "commonwealth-connect"]) == 0
    text = capsys.readouterr().out
    assert "Municipalities using the shared platform: 54 municipalities" in text
    main(["search", "", "--limit", "100", "--json"])
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)["results"]]
    assert len(ids) >= 46
    for practice_id in ids:
        main(["show", practice_id])
        text = capsys.readouterr().out
        leftovers = re.findall(r"\bNone\b|\d\.0\b|self_reported|<\w+\.\w+: ", text)
        assert leftovers == [], f"{practice_id}: {leftovers}"


def _json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_lab_setup_only_writes_the_participants_config_and_trusts_the_notebooks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))  # signatures
    monkeypatch.chdir(ROOT)
    assert main(["lab", "--setup-only"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder.name == "participant" and folder.is_dir()
    disabled = _json(folder / "labconfig" / "page_config.json")["disabledExtensions"]
    assert isinstance(disabled, dict)
    assert disabled["@jupyterlab/apputils-extension:announcements"] is True
    assert disabled["@jupyter/nbgrader:create-assignment"] is True
    assert disabled["@jupyter/nbgrader:formgrader"] is True
    assert disabled["@jupyter/nbgrader:assignment-list"] is False
    server = _json(folder / "jupyter_server_config.json")
    assert server["LabApp"] == {"default_url": "/lab/tree/notebooks/00_start_here.ipynb"}
    assert server["ServerApp"]["contents_manager_class"].endswith("WorkshopContents")  # type: ignore[index]
    notary = NotebookNotary()
    for name in ("00_start_here", "03_rerun_on_your_data"):
        notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        assert notary.check_signature(notebook), f"{name} is not trusted"


def test_lab_facilitator_tools_for_facilitators_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.chdir(ROOT)
    assert main(["lab", "--setup-only", "--facilitator"]) == 0  # the first member: admin
    folder = Path(capsys.readouterr().out.strip())
    disabled = _json(folder / "labconfig" / "page_config.json")["disabledExtensions"]
    assert isinstance(disabled, dict) and disabled["@jupyter/nbgrader:formgrader"] is False
    monkeypatch.setenv("GOVLAB_USER", "amara")
    assert main(["lab", "--setup-only", "--facilitator"]) == 1
    err = capsys.readouterr().err
    assert "--facilitator: only facilitators and admins" in err and "amara is a member" in err
