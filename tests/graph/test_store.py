"""The store contract on every backend: batched upserts, immutable events, corrections, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from graph import CountingStore, GraphStore, StatementError
from graph.queries import bulk, events
from graph.queries.catalog import CATALOG

T = {"source": "test"}


async def test_write_rows_batches_and_is_idempotent(clean: GraphStore) -> None:
    rows = [{"id": f"t-village-{i}", "props": {**T, "name": f"村{i}"}} for i in range(25)]
    counting = CountingStore(clean)
    first = await counting.write_rows(bulk.node_upsert("Village"), rows, batch_size=10)
    assert counting.round_trips == 3
    assert first.nodes_created == 25
    again = await clean.write_rows(bulk.node_upsert("Village"), rows, batch_size=10)
    assert again.nodes_created == 0
    found = await clean.read(CATALOG.by_id("Village"), {"ids": ["t-village-3", "nope"]})
    assert [(r["key"], r["node"]["name"]) for r in found] == [("t-village-3", "村3")]


async def test_relationship_upserts_need_both_ends(clean: GraphStore) -> None:
    await clean.write_rows(
        bulk.node_upsert("Town"), [{"id": "t-town", "props": {**T, "code": "370481001"}}]
    )
    await clean.write_rows(
        bulk.node_upsert("Village"), [{"id": "t-v", "props": {**T, "code": "370481001001"}}]
    )
    link = bulk.rel_upsert("Village", "PART_OF", "Town")
    made = await clean.write_rows(
        link,
        [{"start": "t-v", "end": "t-town", "props": T}, {"start": "t-v", "end": "missing"}],
    )
    assert made.relationships_created == 1
    again = await clean.write_rows(link, [{"start": "t-v", "end": "t-town", "props": T}])
    assert again.relationships_created == 0
    one = await clean.read(CATALOG.rel_one("Village.town"), {"keys": ["t-v"]})
    assert one[0]["node"]["code"] == "370481001"


async def test_a_recorded_event_never_changes(clean: GraphStore) -> None:
    upsert = bulk.node_upsert("Visit")
    await clean.write_rows(upsert, [{"id": "t-visit", "props": {**T, "findings": "原始记录"}}])
    await clean.write_rows(upsert, [{"id": "t-visit", "props": {**T, "findings": "篡改"}}])
    rows = await clean.read(CATALOG.by_id("Visit"), {"ids": ["t-visit"]})
    assert rows[0]["node"]["findings"] == "原始记录"


async def test_a_correction_supersedes_once(clean: GraphStore) -> None:
    await clean.write_rows(
        bulk.node_upsert("Service"),
        [{"id": "t-svc", "props": {**T, "recordId": "t-svc", "version": 1, "personTimes": 3}}],
    )
    correct = events.correction("Service")
    params = {"oldId": "t-svc", "newId": "t-svc-v2", "props": {**T, "personTimes": 2}, "at": 5}
    rows, _ = await clean.write(correct, params)
    assert rows == [{"id": "t-svc-v2", "version": 2}]
    again, _ = await clean.write(correct, params)
    assert again == []  # nothing current to correct: a retry changes nothing
    current = await clean.read(CATALOG.count("Service", frozenset()))
    assert current[0]["total"] == 1
    both = await clean.read(CATALOG.by_id("Service"), {"ids": ["t-svc", "t-svc-v2"]})
    by_key = {r["key"]: r["node"] for r in both}
    assert by_key["t-svc"]["personTimes"] == 3  # the old content is untouched
    assert by_key["t-svc"]["supersededAt"] == 5
    assert by_key["t-svc-v2"]["recordId"] == "t-svc"


@pytest.mark.parametrize(
    "value",
    [dt.datetime(2026, 1, 1), dt.date(2026, 1, 1), b"bytes", float("nan"), float("inf")],
    ids=["datetime", "date", "bytes", "nan", "inf"],
)
async def test_values_no_backend_takes_are_refused_clearly(
    store: GraphStore, value: object
) -> None:
    with pytest.raises(StatementError, match="parameter rows"):
        await store.write_rows(bulk.node_upsert("Town"), [{"id": "x", "props": {"v": value}}])


async def test_a_backend_error_is_translated(store: GraphStore) -> None:
    with pytest.raises(StatementError, match=r"events\.correct\.Visit"):
        await store.write(events.correction("Visit"), {"oldId": "x"})  # missing parameters
