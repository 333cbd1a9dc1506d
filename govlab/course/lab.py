"""Which of nbgrader's JupyterLab tools each role sees, written as Jupyter config.

nbgrader ships one JupyterLab extension with six plugins and four server
extensions. A learner needs the **Assignments** list (fetch, submit, fetch feedback)
and the **Validate** button; a facilitator also needs the **Formgrader**, the
**Create Assignment** sidebar, the **Courses** list and the **Nbgrader** menu.

:func:`write_lab_config` writes a Jupyter config folder for a role: JupyterLab's
``labconfig/page_config.json`` (``disabledExtensions``) and the server's
``jupyter_server_config.json`` (``ServerApp.jpserver_extensions``), so the hidden tools
are neither shown nor served. Point JupyterLab at it with ``JUPYTER_CONFIG_DIR`` (one
folder per role, e.g. in a JupyterHub spawner's environment), or write it into a
user's own config folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govlab.errors import InvalidInput

PLUGINS = {
    "assignment-list": "@jupyter/nbgrader:assignment-list",
    "validate": "@jupyter/nbgrader:validate-assignment",
    "course-list": "@jupyter/nbgrader:course-list",
    "formgrader": "@jupyter/nbgrader:formgrader",
    "create-assignment": "@jupyter/nbgrader:create-assignment",
    "menu": "@jupyter/nbgrader:menu",
}
SERVER_EXTENSIONS = {
    "assignment-list": "nbgrader.server_extensions.assignment_list",
    "validate": "nbgrader.server_extensions.validate_assignment",
    "course-list": "nbgrader.server_extensions.course_list",
    "formgrader": "nbgrader.server_extensions.formgrader",
}
#: The nbgrader tools each role gets; everything else is disabled.
ROLES: dict[str, tuple[str, ...]] = {
    "learner": ("assignment-list", "validate", "menu"),
    "facilitator": tuple(PLUGINS),
}


def role_config(role: str) -> dict[str, dict[str, Any]]:
    """``{"page_config": ..., "server_config": ...}`` for a role (see the module notes)."""
    if role not in ROLES:
        raise InvalidInput(f"--role must be one of {', '.join(ROLES)}, not {role!r}")
    tools = set(ROLES[role])
    return {
        "page_config": {"disabledExtensions": {v: k not in tools for k, v in PLUGINS.items()}},
        "server_config": {
            "ServerApp": {
                "jpserver_extensions": {v: k in tools for k, v in SERVER_EXTENSIONS.items()}
            }
        },
    }


def write_lab_config(role: str, config_dir: Path) -> list[Path]:
    """Write (or update) a role's nbgrader settings into a Jupyter config folder.

    Other settings already in those files are kept.
    """
    config = role_config(role)
    targets = {
        config_dir / "labconfig" / "page_config.json": config["page_config"],
        config_dir / "jupyter_server_config.json": config["server_config"],
    }
    for path, values in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        path.write_text(json.dumps(_merge(current, values), indent=2) + "\n", encoding="utf-8")
    return list(targets)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out.get(key, {}), value) if isinstance(value, dict) else value
    return out
