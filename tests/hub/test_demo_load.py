"""Loading the demo data set: order of writes, the report, and a real load of a small county."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from graph import GraphConfig, GraphStore, migrate, open_graph
from graph.queries import meta, overview
from graph.statements import Backend, Statement
from graph.store import Params, Row, WriteSummary
from hub.demo import DemoDataSet, build_demo, load_demo
from hub.demo.divisions import shandong

#: A small real county (few villages), so a full load takes about a second.
SMALL = min(shandong(), key=lambda c: c.village_count)


class RecordingStore:
    """A store that only records what it is asked to write."""

    backend = Backend.FALKORDB

    def __init__(self) -> None:
        self.writes: list[tuple[str, int]] = []

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        raise AssertionError("the loader does not read")

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        raise AssertionError("the loader writes rows in batches")

    async def write_rows(
        self,
        stmt: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = 2000,
        extra: Params | None = None,
    ) -> WriteSummary:
        batch = list(rows)
        assert len(batch) <= batch_size
        self.writes.append((stmt.name, len(batch)))
        return WriteSummary(nodes_created=len(batch))

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        return None


def _small() -> DemoDataSet:
    return DemoDataSet(2024, "province", (SMALL,))


async def test_nodes_are_written_before_relationships_in_batches() -> None:
    store = RecordingStore()
    seen: list[tuple[str, int]] = []
    report = await load_demo(
        store, _small(), batch_size=50, progress=lambda name, n: seen.append((name, n))
    )
    names = [name for name, _ in store.writes]
    first_rel = next(i for i, n in enumerate(names) if n.startswith("bulk.upsert_rel."))
    assert all(n.startswith("bulk.upsert_node.") for n in names[:first_rel])
    assert all(n.startswith("bulk.upsert_rel.") for n in names[first_rel:])
    assert sum(n for _, n in store.writes) == report.nodes + report.relationships
    assert len(seen) == len(store.writes)
    part = next(_small().parts())
    assert report.node_counts == {label: len(rows) for label, rows in part.nodes.items()}
    assert report.rels_by_type()["PART_OF"] == sum(
        len(rows) for key, rows in part.rels.items() if key[1] == "PART_OF"
    )
    assert report.seconds >= 0


@pytest_asyncio.fixture
async def own_store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    """An embedded graph of this test's own, so demo rows never reach the shared one."""
    async with open_graph(GraphConfig(data_dir=tmp_path / "graph")) as store:
        await migrate(store)
        yield store


async def test_a_county_loads_into_the_embedded_graph(own_store: GraphStore) -> None:
    data = _small()
    report = await load_demo(own_store, data)
    assert report.summary.nodes_created == report.nodes
    assert report.summary.relationships_created == report.relationships
    count = await own_store.read(meta.NODE_COUNT)
    migrations = await own_store.read(meta.APPLIED_MIGRATIONS)
    assert count[0]["nodes"] == report.nodes + len(migrations)
    (figures,) = await own_store.read(overview.OVERVIEW)
    part = next(data.parts())
    assert figures["villages"] == SMALL.village_count
    assert figures["directors"] == len(part.nodes["Director"])
    person_times: list[Any] = [row["props"]["personTimes"] for row in part.nodes["Service"]]
    assert figures["servicePersonTimes"] == sum(person_times)
    again = await load_demo(own_store, data)
    assert again.summary.nodes_created == 0
    assert again.summary.relationships_created == 0


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        build_demo(scale="country")  # type: ignore[arg-type]
