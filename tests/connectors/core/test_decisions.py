"""A verified decision on a child's categories outlasts the ledgers that still say otherwise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from connectors.core.engine import SyncEngine
from connectors.core.records import Extracted, RawRecord
from connectors.core.stream import NodeUpsert, Stream, Upsert
from graph import GraphStore
from graph.queries import meta
from graph.queries import screening as q


class Entry(BaseModel):
    key: str
    name: str
    categories: list[str]


def _child(e: Entry) -> list[Upsert]:
    return [NodeUpsert("Child", f"child-{e.key}", {"name": e.name, "categories": e.categories})]


@dataclass
class Ledger:
    rows: list[dict[str, Any]]
    name: str = "ledger"

    def extract(self, since: str | None) -> Iterator[Extracted]:
        for n, row in enumerate(self.rows):
            yield RawRecord(dict(row), f"台账.xlsx:{n + 2}")

    def streams(self) -> list[Stream[Any]]:
        return [Stream("children", Entry, "key", self.extract, _child)]


async def _sync(store: GraphStore, name: str, categories: list[str]) -> None:
    ledger = Ledger([{"key": "a", "name": name, "categories": categories}])
    report = await SyncEngine(store).sync(ledger, ledger.streams()[0])
    assert report.status == "ok"


async def _child_node(store: GraphStore) -> dict[str, Any]:
    nodes = await store.read(meta.DUMP_NODES)
    (child,) = [n["props"] for n in nodes if n["labels"] == ["Child"]]
    return dict(child)


async def test_a_later_sync_keeps_the_decided_categories_and_shows_the_conflict(
    empty: GraphStore,
) -> None:
    await _sync(empty, "甲", ["留守儿童"])
    decided = {"categories": ["留守儿童", "困境儿童"], "primaryCategory": "困境儿童"}
    await empty.write(
        q.SET_CATEGORIES,
        {
            "childId": "child-a",
            **decided,
            "foundBy": "screening",
            "changeId": "categorychange-t",
            "props": {"source": "test"},
            "source": q.DECISION_SOURCE,
            "values": json.dumps({**decided, "foundBy": "screening"}, ensure_ascii=False),
            "at": 1,
        },
    )
    await _sync(empty, "甲乙", ["留守儿童"])  # the ledger changed, its categories did not
    child = await _child_node(empty)
    assert child["name"] == "甲乙"
    assert (child["categories"], child["primaryCategory"]) == (
        ["留守儿童", "困境儿童"],
        "困境儿童",
    )
    assert child["conflicts"] == ["categories"]
    assert child["source"] == "ledger"  # the child's record is still the ledger's


async def test_without_a_decision_the_ledger_gives_the_categories(empty: GraphStore) -> None:
    await _sync(empty, "甲", ["留守儿童"])
    await _sync(empty, "甲乙", ["困境儿童"])
    child = await _child_node(empty)
    assert (child["categories"], child["conflicts"]) == (["困境儿童"], [])
