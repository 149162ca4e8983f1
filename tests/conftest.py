"""Fixtures shared by the whole suite: real graph stores.

The embedded FalkorDB is always tested. A live Neo4j 5 is tested too when
``WEIBAO_TEST_NEO4J_URI`` is set (with ``WEIBAO_TEST_NEO4J_USER``,
``WEIBAO_TEST_NEO4J_PASSWORD`` and optionally ``WEIBAO_TEST_NEO4J_DATABASE``);
the tests only touch nodes whose ``source`` is ``"test"`` there.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the Cypher lint early when its test is selected (it is the slowest check)."""
    if any("test_cypher_lint" in item.nodeid for item in session.items):
        from tests.support.background_lint import background_lint

        background_lint()
