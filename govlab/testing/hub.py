"""A real JupyterHub on 127.0.0.1 with the cohort configuration of ``deploy/``, for tests.

It loads ``deploy/jupyterhub_config.py`` as a facilitator would, and changes only what
a test must: DummyAuthenticator instead of PAM, free ports, a state folder of its own,
no nbgrader course, and two extra services (an admin token for the test, and
"elsewhere", a service whose token must not open govlab). The library is a
PostgreSQL server that asks for a password on every connection
(:func:`guarded_postgres`), and the user servers run as a Unix account of their own,
so a test can check what a participant's kernel can and cannot reach.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from govlab.testing.postgres import FAST_UNSAFE, free_port, postgres_bindir
from govlab.testing.processes import stop

REPO = Path(__file__).resolve().parents[2]
DEPLOY_CONFIG = REPO / "deploy" / "jupyterhub_config.py"
START_SECONDS = 90.0
SERVICE_ROLE = "govlab_service"


@dataclass(frozen=True)
class GuardedPostgres:
    """A PostgreSQL server that wants a password (SCRAM) from everyone, socket included."""

    url: str  # the service's URL, password and all
    host: str
    port: int
    socket_dir: str  # 0700, owned by postgres: no one else can even reach the socket
    password: str
    root: Path


@contextmanager
def guarded_postgres() -> Iterator[GuardedPostgres]:
    """Start a password-only PostgreSQL (as root: run as the postgres account)."""
    bindir, as_postgres = postgres_bindir(), os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="govlab-pgpw-"))
    superuser_password, password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    (root / "pw").write_text(superuser_password)
    if as_postgres:
        for path in (root, root / "pw"):
            shutil.chown(path, "postgres", "postgres")
    port, data = free_port(), root / "data"

    def run(args: list[str]) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if as_postgres else args
        subprocess.run(command, check=True, capture_output=True, cwd="/tmp")

    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {FAST_UNSAFE}"
    try:
        auth = ["--auth-local=scram-sha-256", "--auth-host=scram-sha-256"]
        pwfile = ["--pwfile", str(root / "pw"), "-E", "UTF8", "--no-locale"]
        run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", *auth, *pwfile])
        (root / "pw").unlink()
        run(
            [
                *(str(bindir / "pg_ctl"), "-D", str(data), "-o", options),
                *("-l", str(root / "log"), "-w", "-t", "60", "start"),
            ]
        )
        try:
            _create_service_database(port, superuser_password, password)
            url = f"postgresql+psycopg://{SERVICE_ROLE}:{password}@127.0.0.1:{port}/govlab"
            yield GuardedPostgres(url, "127.0.0.1", port, str(root), password, root)
        finally:
            run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _create_service_database(port: int, superuser: str, password: str) -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", password=superuser, dbname="postgres"
    ) as conn:
        conn.autocommit = True
        conn.execute(f"CREATE ROLE {SERVICE_ROLE} LOGIN PASSWORD '{password}'")
        conn.execute(f"CREATE DATABASE govlab OWNER {SERVICE_ROLE}")


@contextmanager
def unix_account(folder: Path, stem: str) -> Iterator[str]:
    """A throwaway Unix account with its home in ``folder`` (needs root), removed after."""
    name = f"{stem}-{uuid.uuid4().hex[:6]}"
    home = folder / name
    subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", name],
        check=True,
        capture_output=True,
    )
    opened: list[tuple[Path, bool]] = []
    try:
        opened = _let_reach_python(name)
        yield name
    finally:
        for folder_, had_acl in opened:
            undo = ["-x", f"u:{name}"] if had_acl else ["-b"]  # -b: back to no ACL at all
            subprocess.run(["setfacl", *undo, str(folder_)], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _let_reach_python(name: str) -> list[tuple[Path, bool]]:
    """Let ``name`` pass through (not list) the folders above this Python and the repository.

    A Python installed under /root (pyenv) is out of reach of every other account; a
    cohort's machine installs it somewhere all can read. Only this account gets the
    right to pass (an ACL entry ``u:name:--x``), and it is taken away again after.
    """
    uid = pwd.getpwnam(name).pw_uid
    opened: list[tuple[Path, bool]] = []
    for start in {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), REPO}:
        for folder in [*reversed(start.parents), start]:
            mode = folder.stat()
            if mode.st_mode & 0o001 or mode.st_uid == uid:
                continue
            if shutil.which("setfacl") is None:
                raise RuntimeError(f"{folder} is closed to other accounts and setfacl is missing")
            extended = subprocess.run(
                ["getfacl", "--skip-base", "--omit-header", str(folder)],
                capture_output=True,
                text=True,
            ).stdout.strip()
            subprocess.run(["setfacl", "-m", f"u:{name}:--x", str(folder)], check=True)
            opened.append((folder, bool(extended)))
    return opened


@dataclass
class Hub:
    """A running hub: its public URL, the Hub API as the test's admin service, and more."""

    url: str
    api: httpx.Client
    admin_token: str
    other_service_token: str
    service_port: int
    database: GuardedPostgres
    state: Path
    log: Path
    password: str

    @property
    def service_url(self) -> str:
        """The govlab service through the hub's proxy."""
        return f"{self.url}services/govlab/"

    def create_user(self, name: str) -> None:
        """Add a hub user through the Hub API (an existing one is fine)."""
        reply = self.api.post(f"/users/{name}")
        if reply.status_code not in (201, 409):
            raise RuntimeError(f"creating {name}: {reply.status_code} {reply.text}")

    def token(self, name: str, **fields: Any) -> str:
        """A token of hub user ``name``, made through the Hub API (fields: expires_in, scopes)."""
        reply = self.api.post(f"/users/{name}/tokens", json={"note": "govlab test"} | fields)
        reply.raise_for_status()
        return str(reply.json()["token"])

    def start_server(self, name: str) -> None:
        """Start ``name``'s server and wait until the hub says it is ready."""
        reply = self.api.post(f"/users/{name}/server")
        if reply.status_code not in (201, 202, 400):
            raise RuntimeError(
                f"starting {name}'s server: {reply.status_code} {reply.text}\n{_tail(self.log)}"
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            server = self.api.get(f"/users/{name}").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name}'s server did not start:\n{_tail(self.log)}")

    def stop_server(self, name: str) -> None:
        """Stop ``name``'s server and wait until it is gone."""
        self.api.delete(f"/users/{name}/server")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if not self.api.get(f"/users/{name}").json().get("servers"):
                return
            time.sleep(0.5)

    def run_in_kernel(self, name: str, token: str, code: str, timeout: float = 120) -> str:
        """Run ``code`` in a new kernel of ``name``'s server; return what it printed."""
        from govlab.testing.kernel import execute

        return execute(f"{self.url}user/{name}/", token, code, timeout=timeout)


def _hub_config(folder: Path, ports: dict[str, int], tokens: dict[str, str], pw: str) -> Path:
    config = folder / "jupyterhub_config.py"
    config.write_text(
        f"""
c = get_config()  # noqa
load_subconfig({str(DEPLOY_CONFIG)!r})  # noqa: the cohort's own configuration
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {pw!r}
c.JupyterHub.bind_url = "http://127.0.0.1:{ports["public"]}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports["hub"]}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy_api"]}"
c.JupyterHub.services += [
    {{"name": "test-admin", "api_token": {tokens["admin"]!r}}},
    {{"name": "elsewhere", "api_token": {tokens["other"]!r}}},
]
c.JupyterHub.load_roles += [
    {{
        "name": "test-admin",
        "services": ["test-admin"],
        "scopes": ["admin:users", "admin:groups", "tokens", "admin:servers", "list:users"],
    }},
]
c.Spawner.args += ["--ServerApp.shutdown_no_activity_timeout=0"]
""",
        "utf-8",
    )
    return config


@contextmanager
def running_hub(
    folder: Path,
    *,
    admin: str,
    participants: list[str],
    facilitators: list[str],
) -> Iterator[Hub]:
    """Start JupyterHub (and through it configurable-http-proxy and the govlab service)."""
    if shutil.which("configurable-http-proxy") is None:
        raise RuntimeError("configurable-http-proxy is missing: ./run installs it with npm")
    state = folder / "state"
    state.mkdir(mode=0o700)
    with guarded_postgres() as database:
        secret_file = state / "db-url"
        secret_file.write_text(database.url)
        secret_file.chmod(0o600)
        (state / "participants.txt").write_text("\n".join(participants))
        (state / "facilitators.txt").write_text("\n".join(facilitators))
        ports = {key: free_port() for key in ("public", "hub", "proxy_api", "service")}
        tokens = {"admin": secrets.token_hex(16), "other": secrets.token_hex(16)}
        password = secrets.token_urlsafe(12)
        config = _hub_config(state, ports, tokens, password)
        env = _hub_environment(state, ports["service"], admin)
        log = state / "hub.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(config)],
                cwd=state,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{ports['public']}/"
        api = httpx.Client(
            base_url=f"{url}hub/api",
            headers={"Authorization": f"token {tokens['admin']}"},
            timeout=30,
        )
        try:
            _wait(url, process, log)
            yield Hub(
                url=url,
                api=api,
                admin_token=tokens["admin"],
                other_service_token=tokens["other"],
                service_port=ports["service"],
                database=database,
                state=state,
                log=log,
                password=password,
            )
        finally:
            api.close()
            stop(process, grace=20)


def _hub_environment(state: Path, service_port: int, admin: str) -> dict[str, str]:
    """What the hub process sees: the cohort's settings, and no database URL."""
    keep = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}"
    return env | {
        "GOVLAB_STATE": str(state),
        "GOVLAB_DB_URL_FILE": str(state / "db-url"),
        "GOVLAB_PARTICIPANTS": str(state / "participants.txt"),
        "GOVLAB_FACILITATORS": str(state / "facilitators.txt"),
        "GOVLAB_ADMIN": admin,
        "GOVLAB_SERVICE_PORT": str(service_port),
        "GOVLAB_SERVICE_WORKERS": "1",
        "GOVLAB_COURSE": "",
    }


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    health = f"{url}services/govlab/api/v1/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited ({process.returncode}):\n{_tail(log)}")
        try:
            if httpx.get(health, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the hub's govlab service did not answer:\n{_tail(log)}")


def _tail(log: Path, lines: int = 60) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
