"""Fixtures shared by the whole suite: real graph stores.

The embedded FalkorDB is always tested. A live Neo4j 5 is tested too when
``WEIBAO_TEST_NEO4J_URI`` is set (with ``WEIBAO_TEST_NEO4J_USER``,
``WEIBAO_TEST_NEO4J_PASSWORD`` and optionally ``WEIBAO_TEST_NEO4J_DATABASE``);
the tests only touch nodes whose ``source`` is ``"test"`` there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from graph import GraphConfig, GraphStore, migrate, open_graph
from graph.queries import meta

NEO4J_URI = os.environ.get("WEIBAO_TEST_NEO4J_URI")
BACKENDS = ["falkordb"] + (["neo4j"] if NEO4J_URI else [])


def _config(backend: str, data_dir: Path) -> GraphConfig:
    if backend == "neo4j":
        assert NEO4J_URI
        return GraphConfig(
            uri=NEO4J_URI,
            user=os.environ.get("WEIBAO_TEST_NEO4J_USER", "neo4j"),
            password=os.environ.get("WEIBAO_TEST_NEO4J_PASSWORD", ""),
            database=os.environ.get("WEIBAO_TEST_NEO4J_DATABASE") or None,
        )
    return GraphConfig(data_dir=data_dir)


@pytest_asyncio.fixture(scope="session", params=BACKENDS)
async def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphStore]:
    """A migrated store per backend, shared by the session."""
    backend: str = request.param
    async with open_graph(_config(backend, tmp_path_factory.mktemp("graph"))) as opened:
        await migrate(opened)
        yield opened
        await opened.write(meta.DELETE_BY_SOURCE, {"source": "test"})


@pytest_asyncio.fixture
async def clean(store: GraphStore) -> AsyncIterator[GraphStore]:
    """The shared store, with this test's ``source: "test"`` nodes removed afterwards."""
    await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})
    yield store
    await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Cypher lint's tests last: their lint runs in the background meanwhile."""
    items.sort(key=lambda item: "test_cypher_lint" in item.nodeid)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the Cypher lint early when its test is selected (it is the slowest check)."""
    if any("test_cypher_lint" in item.nodeid for item in session.items):
        from tests.support.background_lint import background_lint

        background_lint()


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the city demo data set, loaded once by ``weibao demo --load-only``.

    Tests must not open it directly (one hub per data dir); use ``demo_copy``.
    """
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    done = subprocess.run(
        [sys.executable, "-m", "hub", "demo", "--load-only", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "demo data set loaded" in done.stderr, done.stderr
    return data_dir


@pytest.fixture(scope="session")
def demo_copy(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Make a private copy of the loaded demo data dir (its AOF files copy in a blink)."""

    def copy() -> Path:
        target = tmp_path_factory.mktemp("demo-copy") / "data"
        shutil.copytree(
            demo_data_dir,
            target,
            ignore=shutil.ignore_patterns("*.sock", "*.pid", "hub.lock", "*.log"),
        )
        return target

    return copy


@pytest_asyncio.fixture(scope="session")
async def demo_store(demo_copy: Callable[[], Path]) -> AsyncIterator[GraphStore]:
    """The city demo data set, open in-process on the embedded graph."""
    async with open_graph(GraphConfig(data_dir=demo_copy())) as opened:
        yield opened
