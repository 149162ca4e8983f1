"""`weibao demo` end to end: the seed's figures, served; kill -9 loses and leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.support.hub_process import Hub
from tests.support.processes import alive

FIGURES = (
    "{ overview { towns villages directors supervisors stations facilities trainings "
    "servicePersonTimes } }"
)
EXPECTED = {
    "towns": 21,
    "villages": 1180,
    "directors": 1330,
    "supervisors": 21,
    "stations": 21,
    "facilities": 1195,
    "trainings": 58,
    "servicePersonTimes": 22000,
}


@pytest.fixture
def demo_dir(demo_copy: Callable[[], Path]) -> Path:
    return demo_copy()


def figures(hub: Hub) -> dict[str, int]:
    response = httpx.post(f"{hub.url}/graphql", json={"query": FIGURES}, timeout=10)
    assert response.status_code == 200, response.text
    data: dict[str, int] = response.json()["data"]["overview"]
    return data


def test_demo_serves_the_seed_figures_and_survives_kill_9(demo_dir: Path) -> None:
    hub = Hub(demo_dir, "serve")
    hub.wait_ready()
    assert figures(hub) == EXPECTED
    server_pid = int((demo_dir / "graph" / "server.pid").read_text())
    hub.stop(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server_pid), "the graph server outlived the killed hub"

    again = Hub(demo_dir, "serve")
    started = time.monotonic()
    again.wait_ready()
    restart_s = time.monotonic() - started
    try:
        assert figures(again) == EXPECTED
        # A compacted AOF loads in well under a second; the rest is Python start-up.
        assert restart_s < 30, f"restart took {restart_s:.1f}s"
    finally:
        again.stop()


def test_demo_on_a_loaded_graph_does_not_load_twice(demo_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hub", "demo", "--load-only", "--data-dir", str(demo_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "already loaded" in done.stderr


def test_demo_with_another_seed_on_a_loaded_graph_is_refused(demo_dir: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hub",
            "demo",
            "--load-only",
            "--seed",
            "7",
            "--data-dir",
            str(demo_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "another demo data set" in done.stderr


def test_demo_prints_credentials_in_dev_only(demo_dir: Path) -> None:
    from hub.demo.accounts import demo_secret

    def run(environment: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "hub", "demo", "--load-only", "--data-dir", str(demo_dir)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={
                **os.environ,
                "WEIBAO_ENVIRONMENT": environment,
                "WEIBAO_AUTH__SESSION_SECRET": "s" * 40,
                "COLUMNS": "200",
            },
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    dev = run("dev")
    for name in ("admin", "auditor", "commissioner", "supervisor-370481001", "edu-bureau"):
        assert name in dev
        assert demo_secret(2024, name) in dev
    production = run("production")
    assert "admin" not in production
    assert demo_secret(2024, "admin") not in production
