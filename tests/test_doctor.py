"""``govlab doctor`` passes on this machine and, broken on purpose, names the fix.

Each breakage is real: a Jupyter config folder that disables an extension, a library
left at an old migration, a python3 kernel that dies. Config goes on
``JUPYTER_CONFIG_PATH``, which Jupyter reads before the environment's own settings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from govlab.cli import main
from govlab.library.migrate import HEAD

pytestmark = pytest.mark.xdist_group("doctor")  # starts kernels: keep them on one worker


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["doctor", "--json", *args])
    out = capsys.readouterr().out
    report = json.loads(out)
    return code, {check["name"]: check for check in report["checks"]} | {"ok": report["ok"]}


@pytest.fixture
def jupyter_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "jupyter-config"
    (folder / "labconfig").mkdir(parents=True)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(folder))
    return folder


@pytest.mark.slow
def test_doctor_passes_on_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    code, checks = doctor(capsys)
    failed = {n: c for n, c in checks.items() if n != "ok" and c["required"] and not c["ok"]}
    assert failed == {} and checks["ok"] is True and code == 0
    assert checks["kernel"]["detail"] == "python3 starts and imports govlab 0.1.0"
    assert f"schema {HEAD}, 46 published practices" in checks["library"]["detail"]
    # the text report says the same, one line a check
    assert main(["doctor", "--no-kernel"]) == 0
    text = capsys.readouterr().out
    assert "Ready for the workshop." in text and "FAIL" not in text


def test_a_disabled_extension_fails_with_its_fix(
    capsys: pytest.CaptureFixture[str], jupyter_config: Path
) -> None:
    main(["init"])
    capsys.readouterr()
    (jupyter_config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter-widgets/jupyterlab-manager": True}})
    )
    (jupyter_config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"voila.server_extension": False}}})
    )
    code, checks = doctor(capsys, "--no-kernel")
    assert code == 1 and checks["ok"] is False
    lab = checks["lab extensions"]
    assert not lab["ok"] and lab["detail"] == "disabled: @jupyter-widgets/jupyterlab-manager"
    assert lab["fix"].endswith("jupyter labextension enable @jupyter-widgets/jupyterlab-manager")
    server = checks["server extensions"]
    assert not server["ok"] and server["fix"].endswith(
        "jupyter server extension enable voila.server_extension"
    )
    assert checks["library"]["ok"] and checks["python"]["ok"]  # the rest still passes
    main(["doctor", "--no-kernel"])
    text = capsys.readouterr().out
    assert "FAIL  lab extensions" in text and "fix: " in text and "Not ready" in text


def test_an_unmigrated_library_fails_and_its_fix_mends_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from govlab.library.engine import make_engine
    from govlab.library.migrate import upgrade

    db = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(db)
    upgrade(engine, "0002")  # a library made by an older govlab
    engine.dispose()
    code, checks = doctor(capsys, "--no-kernel", "--db", db)
    library = checks["library"]
    assert code == 1 and not library["ok"]
    assert library["detail"].endswith(f"schema 0002, govlab needs {HEAD} (its migrations)")
    assert library["fix"] == f"govlab init --db {db}"
    # the fix line, run as it reads, mends it
    assert main(library["fix"].split()[1:]) == 0
    capsys.readouterr()
    code, checks = doctor(capsys, "--no-kernel", "--db", db)
    assert code == 0 and checks["library"]["ok"]


def test_no_library_yet_names_govlab_init(capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys, "--no-kernel")
    assert code == 1
    assert checks["library"]["detail"].startswith("no library at sqlite:///")
    assert checks["library"]["fix"] == "govlab init"


def test_a_missing_package_names_the_pip_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import metadata

    real = metadata.requires

    def requires(name: str) -> list[str] | None:
        extra = ["govlab-no-such-package>=1.0", "pytest>=999 ; extra == 'test'"]
        return (real(name) or []) + extra if name == "govlab" else real(name)

    monkeypatch.setattr(metadata, "requires", requires)
    main(["init"])
    capsys.readouterr()
    code, checks = doctor(capsys, "--no-kernel")
    packages = checks["packages"]
    assert code == 1 and packages["detail"] == "wrong or missing: govlab-no-such-package missing"
    assert packages["fix"] == f"{sys.executable} -m pip install 'govlab-no-such-package>=1.0'"


@pytest.mark.slow
def test_a_kernel_that_dies_fails_with_the_kernel_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "jupyter-data" / "kernels" / "python3"
    spec.mkdir(parents=True)
    dies = [sys.executable, "-c", "import sys; sys.exit(3)", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": dies, "display_name": "Python 3", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter-data"))
    main(["init"])
    capsys.readouterr()
    code, checks = doctor(capsys)
    kernel = checks["kernel"]
    assert code == 1 and not kernel["ok"]
    assert kernel["detail"].startswith("the python3 kernel did not answer")
    assert kernel["fix"] == f"{sys.executable} -m ipykernel install --user"
