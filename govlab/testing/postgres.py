"""A throwaway PostgreSQL server from the machine's own binaries, for tests and benchmarks.

``initdb`` refuses to run as root, so as root the server runs as the ``postgres``
user in a temporary folder it owns. It listens on 127.0.0.1 and a free port only,
with durability switched off (fsync) since the data is thrown away.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FAST_UNSAFE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def postgres_bindir() -> Path:
    """The newest PostgreSQL server binaries on this machine."""
    override = os.environ.get("GOVLAB_PG_BINDIR")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    for folder in reversed(candidates):
        if folder and (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries not found (install postgresql-15)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], as_postgres: bool) -> None:
    command = ["runuser", "-u", "postgres", "--", *args] if as_postgres else args
    subprocess.run(command, check=True, capture_output=True, cwd="/tmp")


@contextmanager
def throwaway_postgres(dbname: str = "govlab") -> Iterator[str]:
    """Start a PostgreSQL server, yield a SQLAlchemy URL to a fresh database, then remove it all.

    ``$GOVLAB_TEST_PG_URL`` names an existing server to use instead.
    """
    existing = os.environ.get("GOVLAB_TEST_PG_URL")
    if existing:
        yield existing
        return
    bindir = postgres_bindir()
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="govlab-pg-"))
    data, port = root / "data", free_port()
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            as_postgres,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {FAST_UNSAFE}"
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            as_postgres,
        )
        try:
            _run(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    dbname,
                ],
                as_postgres,
            )
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{dbname}"
        finally:
            _run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                as_postgres,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A new empty database on the server behind ``url``; returns its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
