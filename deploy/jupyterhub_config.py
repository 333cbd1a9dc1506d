"""JupyterHub for a govlab workshop of about 30 people on one machine.

The library lives in PostgreSQL, and only the govlab service (``govlab serve``, a
hub-managed service) holds its URL and password: user servers get the service's
address and their own hub token, nothing else (see "Running a workshop for 30
people" in the README). Start it as root from this repository's environment::

    sudo GOVLAB_ADMIN=ana .venv/bin/jupyterhub -f deploy/jupyterhub_config.py

Everything a cohort changes is an environment variable (defaults in brackets):

- ``GOVLAB_DB_URL_FILE`` [/etc/govlab/db-url]: a root-only (0600) file holding the
  library's ``postgresql+psycopg://govlab:PASSWORD@127.0.0.1/govlab`` URL.
- ``GOVLAB_ADMIN``: the lead facilitator, the library's admin.
- ``GOVLAB_PARTICIPANTS`` [/etc/govlab/participants.txt] and ``GOVLAB_FACILITATORS``
  [/etc/govlab/facilitators.txt]: one login per line. Facilitators are the hub's
  ``facilitators`` group, which the service maps to the library's facilitator role,
  and they grade the course.
- ``GOVLAB_STATE`` [/srv/govlab]: the hub's own database, cookie secret, the exchange.
- ``GOVLAB_SERVICE_PORT`` [10101], ``GOVLAB_SERVICE_ACCOUNT`` [govlab if it exists]:
  where the service listens, and the Unix account it runs as.
- ``GOVLAB_COURSE`` [govlab101] (empty: no course), ``GOVLAB_COURSE_PORT`` [10102]:
  the nbgrader course, graded in its own server run as ``grader-<course>``.
- ``GOVLAB_SUBDOMAIN_HOST`` (optional, e.g. ``https://hub.example.org``): per-user
  subdomains, which make the formgrader's iframe safe (see below).
- ``GOVLAB_IDLE_MINUTES`` [60]: idle servers and kernels are stopped after this.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (traitlets provides it)

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the hub runs from the environment govlab is installed in
STATE = Path(os.environ.get("GOVLAB_STATE", "/srv/govlab"))
SERVICE = "govlab"
SERVICE_PORT = int(os.environ.get("GOVLAB_SERVICE_PORT", "10101"))
SERVICE_URL = f"http://127.0.0.1:{SERVICE_PORT}"
FACILITATORS_GROUP = "facilitators"
COURSE = os.environ.get("GOVLAB_COURSE", "govlab101")
COURSE_PORT = int(os.environ.get("GOVLAB_COURSE_PORT", "10102"))
IDLE_SECONDS = int(os.environ.get("GOVLAB_IDLE_MINUTES", "60")) * 60
SUBDOMAIN_HOST = os.environ.get("GOVLAB_SUBDOMAIN_HOST", "")


def _logins(variable: str, default: str) -> list[str]:
    path = Path(os.environ.get(variable, default))
    if not path.exists():
        return []
    lines = (line.split("#")[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def _library_url() -> str:
    path = Path(os.environ.get("GOVLAB_DB_URL_FILE", "/etc/govlab/db-url"))
    if path.stat().st_mode & 0o077:
        raise SystemExit(f"{path} must be readable by its owner only: chmod 600 {path}")
    return path.read_text("utf-8").strip()


def _account(name: str, *, required: bool = False) -> str:
    """``name`` if that Unix account exists ("" runs as the hub's own account)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        if required:
            raise SystemExit(f"Create the Unix account first: sudo useradd -m {name}") from None
        return ""
    return name


PARTICIPANTS = _logins("GOVLAB_PARTICIPANTS", "/etc/govlab/participants.txt")
FACILITATORS = _logins("GOVLAB_FACILITATORS", "/etc/govlab/facilitators.txt")
ADMIN = os.environ.get("GOVLAB_ADMIN") or (FACILITATORS[0] if FACILITATORS else "")

# --- the hub ----------------------------------------------------------------------------
STATE.mkdir(parents=True, exist_ok=True, mode=0o755)
c.JupyterHub.bind_url = os.environ.get("GOVLAB_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
if SUBDOMAIN_HOST:
    c.JupyterHub.subdomain_host = SUBDOMAIN_HOST
c.JupyterHub.ssl_cert = os.environ.get("GOVLAB_TLS_CERT", "")
c.JupyterHub.ssl_key = os.environ.get("GOVLAB_TLS_KEY", "")

# System accounts (PAM passwords); the hub creates the accounts of allowed users.
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.create_system_users = True
c.Authenticator.allowed_users = set(PARTICIPANTS) | set(FACILITATORS)
c.Authenticator.admin_users = set(FACILITATORS)
c.JupyterHub.load_groups = {FACILITATORS_GROUP: {"users": FACILITATORS}}
if COURSE:
    c.JupyterHub.load_groups |= {
        f"formgrade-{COURSE}": {"users": [*FACILITATORS, f"grader-{COURSE}"]},
        f"nbgrader-{COURSE}": {"users": PARTICIPANTS},
    }

# --- user servers: the workshop files, the service's address, no credentials ----------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/govlab/notebooks/00_start_here.ipynb"
EXCHANGE = STATE / "exchange"  # where nbgrader releases assignments and collects them
EXCHANGE.mkdir(exist_ok=True)
EXCHANGE.chmod(0o1777)  # everyone may submit; the sticky bit keeps submissions apart
c.Spawner.environment = {
    "GOVLAB_SERVICE_URL": f"{SERVICE_URL}/services/{SERVICE}/",  # open_library() uses it
    "GOVLAB_EXCHANGE": str(EXCHANGE),
    "JUPYTER_CONFIG_PATH": str(REPO / "deploy" / "learner"),  # nbgrader as a learner
}
# A user server's token may reach the govlab service, and nothing more than it needs.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    f"access:services!service={SERVICE}",
    # nbgrader's JupyterHubAuthPlugin: which courses the learner is in
    *(
        ["read:users:groups!user", "list:services", f"read:services!service={COURSE}"]
        if COURSE
        else []
    ),
]
c.Spawner.mem_limit = os.environ.get("GOVLAB_MEM_LIMIT", "1G")  # enforced by systemd spawners
c.Spawner.args = [
    # idle kernels are shut down by the server itself ...
    f"--MappingKernelManager.cull_idle_timeout={IDLE_SECONDS}",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=True",
    "--LabApp.news_url=",
]
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120


def copy_workshop_files(spawner: object) -> None:
    """Give each participant their own copy of the notebooks and the Voila apps (once)."""
    name = spawner.user.name  # type: ignore[attr-defined]
    account = pwd.getpwnam(name)
    target = Path(account.pw_dir) / "govlab"
    for folder in ("notebooks", "widgets"):
        source, copy = REPO / folder, target / folder
        if source.is_dir() and not copy.exists():
            shutil.copytree(source, copy)
    for path in [target, *target.rglob("*")] if target.exists() else []:
        os.chown(path, account.pw_uid, account.pw_gid)


c.Spawner.pre_spawn_hook = copy_workshop_files

# --- roles ------------------------------------------------------------------------------
c.JupyterHub.load_roles = [
    {
        "name": "user",
        "scopes": ["self", f"access:services!service={SERVICE}"],
    },
    {
        # the service reads the facilitators group to map it to the library's role
        "name": "govlab-service",
        "services": [SERVICE],
        "scopes": [f"read:groups!group={FACILITATORS_GROUP}", "read:users:name"],
    },
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
]
if COURSE:
    c.JupyterHub.load_roles += [
        {
            "name": f"formgrade-{COURSE}",
            "groups": [f"formgrade-{COURSE}"],
            "scopes": [f"access:services!service={COURSE}"],
        },
        {
            "name": f"nbgrader-{COURSE}",
            "groups": [f"nbgrader-{COURSE}"],
            "scopes": ["list:services", f"read:services!service={COURSE}"],
        },
    ]

# --- services ---------------------------------------------------------------------------
govlab_service = {
    "name": SERVICE,
    "url": SERVICE_URL,
    "command": [
        str(BIN / "govlab"),
        "serve",
        "--admin",
        ADMIN,
        "--facilitator-group",
        FACILITATORS_GROUP,
        "--workers",
        os.environ.get("GOVLAB_SERVICE_WORKERS", "1"),
    ],
    # the one process that holds the library's credentials
    "environment": {"GOVLAB_DB_URL": _library_url(), "PATH": f"{BIN}:/usr/bin:/bin"},
    "user": os.environ.get("GOVLAB_SERVICE_ACCOUNT", _account("govlab")),
    "oauth_no_confirm": True,
    "display": True,
    "info": {"description": "The govlab practice library"},
}
culler = {
    "name": "idle-culler",
    "command": [
        sys.executable,
        "-m",
        "jupyterhub_idle_culler",
        f"--timeout={IDLE_SECONDS}",  # ... and idle servers by jupyterhub-idle-culler
        "--cull-every=300",
        "--remove-named-servers",
    ],
}
c.JupyterHub.services = [govlab_service, culler]

if COURSE:
    # The course's grading server (nbgrader's "one class, multiple graders"): a
    # jupyterhub-singleuser run as grader-<course>, which facilitators reach through
    # the formgrade-<course> group. Its own config folder sets the
    # Content-Security-Policy `frame-ancestors 'self'` on that server only, so the
    # formgrader's iframe shows under JupyterHub >= 4.1 (see deploy/formgrader/).
    grader = f"grader-{COURSE}"
    c.JupyterHub.services.append(
        {
            "name": COURSE,
            "url": f"http://127.0.0.1:{COURSE_PORT}",
            "command": [str(BIN / "jupyterhub-singleuser")],
            "user": _account(grader, required=True),
            "cwd": f"/home/{grader}",
            "environment": {
                "JUPYTERHUB_DEFAULT_URL": "/lab",
                "JUPYTER_CONFIG_DIR": str(REPO / "deploy" / "formgrader"),
                # a copy of courses/<course> the grader account owns (see the README)
                "GOVLAB_COURSE_ROOT": os.environ.get(
                    "GOVLAB_COURSE_ROOT", f"/home/{grader}/{COURSE}"
                ),
                "GOVLAB_EXCHANGE": str(EXCHANGE),
                "PATH": f"{BIN}:/usr/bin:/bin",  # nbgrader runs alembic from PATH
            },
            "oauth_no_confirm": True,
        }
    )
