"""The engine's batches overlap (a batch is checked while the one before is written):
what each batch costs the graph, and that the graph ends as if they ran one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel

from connectors.core.engine import SyncEngine
from connectors.core.records import Extracted, RawRecord
from connectors.core.stream import NodeUpsert, Stream, Upsert
from graph import CountingStore, GraphStore, StatementError
from graph.queries import bulk, meta, sync
from graph.statements import Statement
from graph.store import Params, Row, WriteSummary


class Person(BaseModel):
    key: str
    node: str
    name: str
    hours: float


def _map(p: Person) -> list[Upsert]:
    return [
        NodeUpsert("Volunteer", f"volunteer-{p.node}", {"name": p.name, "serviceHours": p.hours})
    ]


@dataclass
class Rows:
    """A source whose stream yields ``rows`` in order (no cursor: read in full)."""

    rows: list[dict[str, Any]]
    name: str = "roster"
    model: type[BaseModel] = Person
    mapping: Callable[[Any], list[Upsert]] = _map

    def extract(self, since: str | None) -> Iterator[Extracted]:
        for n, row in enumerate(self.rows):
            yield RawRecord(dict(row), f"roster.csv:{n + 2}")

    def streams(self) -> list[Stream[Any]]:
        return [Stream("people", self.model, "key", self.extract, self.mapping)]


def people(n: int) -> list[dict[str, Any]]:
    return [
        {"key": f"k{i}", "node": f"n{i}", "name": f"志愿者{i}", "hours": i / 2} for i in range(n)
    ]


async def volunteers(store: GraphStore) -> dict[str, dict[str, Any]]:
    nodes = await store.read(meta.DUMP_NODES)
    return {n["props"]["id"]: n["props"] for n in nodes if n["labels"] == ["Volunteer"]}


async def test_a_batch_of_records_costs_three_statements_and_an_unchanged_one_two(
    empty: GraphStore,
) -> None:
    counting = CountingStore(empty)
    source = Rows(people(30))
    stream = source.streams()[0]
    first = await SyncEngine(counting, batch_size=10).sync(source, stream)
    assert (first.inserted, first.updated, first.unchanged) == (30, 0, 0)
    calls = Counter(counting.calls)
    # Per batch: the check (with the stamp of what it finds), what other sources say
    # of its nodes, nodes and source records in one statement, and the bookmark.
    assert calls[sync.CHECK_SOURCE_RECORDS.name] == 3
    assert calls[sync.OTHER_SOURCE_RECORDS.name] == 3
    # New records are created, not merged.
    assert calls[sync.UPSERT_NEW_RECORDS["Volunteer"].name] == 3
    assert calls[sync.UPSERT_RECORDS["Volunteer"].name] == 0
    assert calls[sync.SAVE_STATE.name] == 3
    assert sum(calls.values()) == 3 * 4 + 3  # and the run's state read, run saved twice
    counting.reset()
    second = await SyncEngine(counting, batch_size=10).sync(source, stream)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 30)
    calls = Counter(counting.calls)
    assert calls[sync.UPSERT_RECORDS["Volunteer"].name] == 0
    assert calls[sync.UPSERT_NEW_RECORDS["Volunteer"].name] == 0
    assert sum(calls.values()) == 3 * 3 + 3
    counting.reset()
    # Changed records and a new one in one batch: one statement for each kind.
    changed = Rows([{**r, "hours": 99} for r in people(9)] + people(31)[30:])
    third = await SyncEngine(counting, batch_size=10).sync(changed, changed.streams()[0])
    assert (third.inserted, third.updated, third.unchanged) == (1, 9, 0)
    calls = Counter(counting.calls)
    assert calls[sync.UPSERT_RECORDS["Volunteer"].name] == 1
    assert calls[sync.UPSERT_NEW_RECORDS["Volunteer"].name] == 1
    assert (await volunteers(empty))["volunteer-n3"]["serviceHours"] == 99


async def test_a_key_again_in_the_next_batch_is_a_duplicate(empty: GraphStore) -> None:
    rows = people(6)
    rows[4] = {**rows[1], "name": "又一个"}  # batch 2 repeats a key of batch 1
    source = Rows(rows)
    report = await SyncEngine(empty, batch_size=3).sync(source, source.streams()[0])
    assert (report.inserted, report.rejected) == (5, 1)
    assert report.errors == [
        "roster.csv:6: duplicate key 'k1' in the source (first at roster.csv:3)"
    ]
    assert (await volunteers(empty))["volunteer-n1"]["name"] == "志愿者1"  # the first wins


async def test_one_node_from_records_in_consecutive_batches_keeps_the_later_values(
    empty: GraphStore,
) -> None:
    rows = people(9)
    rows[4] = {**rows[4], "node": "n1"}  # batches 1, 2 and 3 all describe node n1
    rows[7] = {**rows[7], "node": "n1"}
    source = Rows(rows)
    report = await SyncEngine(empty, batch_size=3).sync(source, source.streams()[0])
    assert report.inserted == 9
    node = (await volunteers(empty))["volunteer-n1"]
    assert (node["name"], node["sourceKey"]) == ("志愿者7", "k7")


class Sparse(BaseModel):
    key: str
    name: str | None = None
    hours: float | None = None


def _sparse_map(p: Sparse) -> list[Upsert]:
    return [
        NodeUpsert("Volunteer", f"volunteer-{p.key}", {"name": p.name, "serviceHours": p.hours})
    ]


async def test_a_value_no_longer_given_and_one_set_by_another_writer_stay(
    empty: GraphStore,
) -> None:
    first = Rows([{"key": "a", "name": "甲", "hours": 2.5}], model=Sparse, mapping=_sparse_map)
    await SyncEngine(empty).sync(first, first.streams()[0])
    # A field no connector gives, set by the hub itself.
    await empty.write_rows(
        bulk.node_upsert("Volunteer"), [{"id": "volunteer-a", "props": {"availability": "周末"}}]
    )
    second = Rows([{"key": "a", "name": "甲乙", "hours": None}], model=Sparse, mapping=_sparse_map)
    report = await SyncEngine(empty).sync(second, second.streams()[0])
    assert report.updated == 1
    node = (await volunteers(empty))["volunteer-a"]
    assert (node["name"], node["serviceHours"], node["availability"]) == ("甲乙", 2.5, "周末")


class FailingStore:
    """A store whose ``fail_at``-th write of ``name`` fails, as a graph error would."""

    def __init__(self, inner: GraphStore, name: str, fail_at: int) -> None:
        self.inner, self.backend = inner, inner.backend
        self.name, self.left = name, fail_at

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        return await self.inner.read(stmt, params)

    def _count(self, stmt: Statement) -> None:
        if stmt.name == self.name:
            self.left -= 1
            if self.left == 0:
                raise StatementError(stmt.name, "the graph refused the batch")

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        self._count(stmt)
        return await self.inner.write(stmt, params)

    async def write_rows(self, stmt: Statement, rows: Any, **kwargs: Any) -> WriteSummary:
        self._count(stmt)
        return await self.inner.write_rows(stmt, rows, **kwargs)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        return None


@pytest.mark.parametrize("fail_at", [1, 2, 4])
async def test_a_failed_write_keeps_the_bookmark_before_it_and_a_rerun_loads_the_rest(
    empty: GraphStore, fail_at: int
) -> None:
    rows = [{**row, "updated_at": f"2026-03-01T08:{i:02d}:00Z"} for i, row in enumerate(people(20))]

    class Dated(Person):
        updated_at: str

    def stream(source: Rows) -> Stream[Any]:
        return Stream(
            "people", Dated, "key", source.extract, _map, cursor_field="updated_at",
            instant_cursor=False,
        )  # fmt: skip

    source = Rows(rows)
    failing = FailingStore(empty, sync.UPSERT_NEW_RECORDS["Volunteer"].name, fail_at)
    with pytest.raises(StatementError):
        await SyncEngine(failing, batch_size=4).sync(source, stream(source))
    state = await empty.read(sync.GET_STATE, {"id": "syncstate-roster-people"})
    # Never past the last batch written before the failed one (batch fail_at).
    limit = rows[4 * (fail_at - 1) - 1]["updated_at"] if fail_at > 1 else None
    if limit is None:
        assert not state or state[0]["cursor"] is None
    else:
        assert state[0]["cursor"] <= limit
    again = await SyncEngine(empty, batch_size=4).sync(source, stream(source))
    assert again.status == "ok"
    stored = await volunteers(empty)
    assert sorted(stored) == sorted(f"volunteer-n{i}" for i in range(20))
    assert {v["name"] for v in stored.values()} == {r["name"] for r in rows}


def test_collections_are_fewer_while_syncs_run_and_as_before_after() -> None:
    import gc

    from connectors.core.collector import YOUNG, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], YOUNG)
        with fewer_collections():  # a second sync at the same time
            assert gc.get_threshold()[0] == max(before[0], YOUNG)
        assert gc.get_threshold()[0] == max(before[0], YOUNG)
    assert gc.get_threshold() == before
