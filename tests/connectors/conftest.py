"""Fixtures of the connector tests: a throwaway PostgreSQL server holding the education sample.

The server is a private cluster in a temporary directory: ``initdb`` with trust
authentication, listening only on a Unix socket in that directory (no TCP),
fsync off. ``initdb`` and ``postgres`` refuse to run as root, so as root (CI
containers) they run as an unprivileged user (``postgres``, else ``nobody``)
through ``runuser`` (or ``su``); the directory is created under ``/tmp`` and
handed to that user. When the binaries, or such a user, are missing, the
PostgreSQL tests are skipped with the reason; SQLite runs regardless.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from connectors.samples.education import SQL_PATH

_ROLE = "weibao"
_RUN_AS = ("postgres", "nobody")


@dataclass
class PostgresServer:
    """A running throwaway server: connect as ``weibao`` through the socket in ``socket_dir``."""

    socket_dir: Path
    _databases: set[str] = field(default_factory=set)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one of its databases (psycopg 3 over the Unix socket)."""
        return f"postgresql+psycopg://{_ROLE}@/{database}?host={self.socket_dir}"

    def create_database(self, name: str, script: str | None = None) -> str:
        """Create database ``name`` (once), run ``script`` in it, and return its URL."""
        import psycopg

        if name not in self._databases:
            with psycopg.connect(self._conninfo("postgres"), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"'.encode())
            self._databases.add(name)
            if script:
                with psycopg.connect(self._conninfo(name), autocommit=True) as conn:
                    conn.execute(script.encode())
        return self.url(name)

    def _conninfo(self, database: str) -> str:
        return f"host={self.socket_dir} user={_ROLE} dbname={database}"


def _binaries() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres (PATH first, then Debian's layout)."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _runner() -> tuple[list[str], int | None, str]:
    """The command prefix that runs a program unprivileged, its uid, and why if impossible."""
    if os.geteuid() != 0:
        return [], None, ""
    for name in _RUN_AS:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        if shutil.which("runuser"):
            return ["runuser", "-u", name, "--"], uid, ""
        if shutil.which("su"):
            # `su -c` takes one shell command line; the arguments are quoted below.
            return ["su", "-s", "/bin/sh", name, "-c"], uid, ""
        return [], None, "running as root and neither runuser nor su is available"
    return [], None, f"running as root and none of the users {', '.join(_RUN_AS)} exists"


def _run(
    prefix: list[str], args: list[str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    command = [*prefix, *args]
    if prefix and prefix[0] == "su":
        import shlex

        command = [*prefix, shlex.join(args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL cluster for the session (skipped, with the reason, if impossible)."""
    folder = _binaries()
    if folder is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl, postgres) not found")
    prefix, uid, why_not = _runner()
    if why_not:
        pytest.skip(f"cannot start PostgreSQL: {why_not}")
    # Short and under /tmp: a socket path has a length limit, and the server's user
    # must be able to reach it (pytest's own tmp dirs are private to their owner).
    base = Path(tempfile.mkdtemp(prefix="weibao-pg-", dir="/tmp"))
    try:
        if uid is not None:
            os.chown(base, uid, -1)
        data, log = base / "data", base / "server.log"
        done = _run(prefix, ["test", "-w", str(base)])
        if done.returncode != 0:
            pytest.skip(f"cannot start PostgreSQL: {base} is not writable by the server's user")
        initdb = [str(folder / "initdb"), "-D", str(data), "-U", _ROLE, "--auth=trust"]
        done = _run(prefix, [*initdb, "--no-sync", "-E", "UTF8", "--locale=C"])
        if done.returncode != 0:
            pytest.skip(f"cannot start PostgreSQL: initdb failed: {done.stderr.strip()[-500:]}")
        options = f"-k {base} -c listen_addresses='' -F"
        start = [str(folder / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30"]
        done = _run(prefix, [*start, "-o", options, "start"])
        if done.returncode != 0:
            reason = log.read_text(errors="replace")[-500:] if log.exists() else done.stderr
            pytest.skip(f"cannot start PostgreSQL: {reason.strip()}")
        try:
            yield PostgresServer(base)
        finally:
            stop = [str(folder / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
            if _run(prefix, stop).returncode != 0:
                _kill_server(data)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _kill_server(data: Path) -> None:
    """Stop the server by its pid when pg_ctl could not: never leave one running."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown; the cluster is thrown away


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    """The SQLAlchemy URL of a PostgreSQL database loaded from the education sample script."""
    return postgres.create_database("education", SQL_PATH.read_text(encoding="utf-8"))
