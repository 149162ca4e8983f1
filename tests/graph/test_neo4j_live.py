"""A live Neo4j 5: skipped unless ``WEIBAO_TEST_NEO4J_URI`` is set (see README).

With the variable set, every test using the ``store`` fixture runs on Neo4j
too; this module makes the suite say so when it is not, and checks the
Neo4j-only parts (connection, migrations, routing of reads) on its own.
"""

from __future__ import annotations

import os

import pytest

from graph import Backend, GraphConfig, migrate, open_graph
from graph.queries import bulk, meta
from graph.queries.catalog import CATALOG

URI = os.environ.get("WEIBAO_TEST_NEO4J_URI")

pytestmark = pytest.mark.skipif(
    not URI, reason="no live Neo4j: set WEIBAO_TEST_NEO4J_URI (and _USER, _PASSWORD)"
)


async def test_neo4j_migrates_writes_and_reads() -> None:
    assert URI
    config = GraphConfig(
        uri=URI,
        user=os.environ.get("WEIBAO_TEST_NEO4J_USER", "neo4j"),
        password=os.environ.get("WEIBAO_TEST_NEO4J_PASSWORD", ""),
        database=os.environ.get("WEIBAO_TEST_NEO4J_DATABASE") or None,
    )
    async with open_graph(config) as store:
        assert store.backend is Backend.NEO4J
        await migrate(store)
        assert await migrate(store) == []  # idempotent
        try:
            await store.write_rows(
                bulk.node_upsert("Town"), [{"id": "t-neo4j", "props": {"source": "test"}}]
            )
            rows = await store.read(CATALOG.by_id("Town"), {"ids": ["t-neo4j"]})
            assert rows[0]["key"] == "t-neo4j"
        finally:
            await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})
