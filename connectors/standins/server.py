"""Serving the stand-ins over real HTTP on a loopback port, in a background thread.

uvicorn runs in a daemon thread on a socket bound here to a free port (port
0), so parallel test sessions never collide; the context manager returns once
the server accepts connections and stops it on exit.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from connectors.standins.faults import Faults
from connectors.standins.rest_platforms import create_app
from connectors.standins.state import StandinState

_START_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class StandinInfo:
    """Where the stand-ins listen and what they accept (SAMPLE credentials)."""

    base_url: str
    state: StandinState

    @property
    def civil_affairs_token(self) -> str:
        return self.state.civil_affairs_token

    @property
    def hotline_token(self) -> str:
        return self.state.hotline_token

    @property
    def volunteer_client_id(self) -> str:
        return self.state.volunteer_client_id

    @property
    def volunteer_client_secret(self) -> str:
        return self.state.volunteer_client_secret

    @property
    def secrets(self) -> dict[str, str]:
        """Every SAMPLE credential by ``<system>.<name>`` (for a sample sources file)."""
        return {
            "civil_affairs.token": self.civil_affairs_token,
            "hotline.token": self.hotline_token,
            "volunteers.client_id": self.volunteer_client_id,
            "volunteers.client_secret": self.volunteer_client_secret,
        }


def uvicorn_config(app: object, *, host: str, port: int, log_level: str) -> uvicorn.Config:
    """uvicorn settings of the stand-ins: h11, no websockets, no lifespan, no access log."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=host,
        port=port,
        http="h11",
        ws="none",
        lifespan="off",
        log_level=log_level,
        access_log=False,
    )


@contextmanager
def serve_standins(
    data_dir: Path | None = None,
    *,
    faults: dict[str, Faults] | None = None,
    state: StandinState | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[StandinInfo]:
    """Serve the stand-ins until the block ends; ``faults`` replaces the default ones."""
    state = state or StandinState()
    if faults is not None:
        state.faults = faults
    # proto must be IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only
    # then, and without it Nagle's algorithm and delayed ACKs cost 40 ms per request.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn_config(create_app(data_dir, state), host=host, port=bound_port, log_level="warning")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="standins", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the stand-ins did not start")
            time.sleep(0.01)
        yield StandinInfo(f"http://{host}:{bound_port}", state)
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT_S)
        sock.close()
