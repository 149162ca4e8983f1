"""The hub served over real HTTP by ``weibao serve`` on the embedded graph."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.hub_process import Hub


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    running = Hub(tmp_path / "data", "serve")
    running.wait_ready()
    yield running
    running.stop()


def graphql(hub: Hub, query: str) -> dict[str, object]:
    response = httpx.post(f"{hub.url}/graphql", json={"query": query}, timeout=10)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_overview_on_an_empty_graph(hub: Hub) -> None:
    body = graphql(hub, "{ overview { towns directors stations servicePersonTimes } }")
    assert body == {
        "data": {"overview": {"towns": 0, "directors": 0, "stations": 0, "servicePersonTimes": 0}}
    }


def test_graphiql_in_dev(hub: Hub) -> None:
    page = httpx.get(f"{hub.url}/graphql", headers={"accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


def test_graphiql_sends_the_session_csrf_token(hub: Hub) -> None:
    page = httpx.get(f"{hub.url}/graphql", headers={"accept": "text/html"}, timeout=10).text
    assert '"/auth/session"' in page
    assert 'defaultHeaders["x-csrf-token"] = csrfToken' in page
    session = httpx.get(f"{hub.url}/auth/session", timeout=10).json()
    assert session["user"] is None
    assert session["csrfToken"]


def test_graphiql_needs_no_cdn(hub: Hub) -> None:
    page = httpx.get(f"{hub.url}/graphql", headers={"accept": "text/html"}, timeout=10).text
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert len(assets) >= 5
    assert not [a for a in assets if "://" in a], "GraphiQL must not load from a CDN"
    for asset in assets:
        assert httpx.get(f"{hub.url}{asset}", timeout=10).status_code == 200, asset
    assert httpx.get(f"{hub.url}/_graphiql/graphiql/package.json", timeout=10).status_code == 404


def test_home_page_shows_the_live_figures(hub: Hub) -> None:
    page = httpx.get(f"{hub.url}/", timeout=10)
    assert page.status_code == 200
    assert "儿童主任" in page.text
    assert 'lang="zh-CN"' in page.text


def test_healthz_is_503_while_the_graph_is_down(hub: Hub) -> None:
    healthy = httpx.get(f"{hub.url}/healthz", timeout=5)
    assert healthy.status_code == 200
    assert healthy.json()["audit"]["running"] is True
    pid = int((hub.data_dir / "graph" / "server.pid").read_text())
    os.kill(pid, signal.SIGSTOP)  # a hung graph: it answers nothing
    try:
        response = httpx.get(f"{hub.url}/healthz", timeout=15)
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
    finally:
        os.kill(pid, signal.SIGCONT)
    time.sleep(0.2)
    assert httpx.get(f"{hub.url}/healthz", timeout=5).status_code == 200


def test_a_second_hub_on_the_same_data_dir_exits_with_a_clear_error(
    hub: Hub, tmp_path: Path
) -> None:
    second = Hub(hub.data_dir, "serve")
    assert second.process.wait(60) != 0
    second.stop()
    assert "in use by a running hub" in second.log.read_text()
