"""Uncertain identity matches: reviewed by a person, merged or kept apart, and undone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from connectors.core.engine import SyncEngine
from connectors.core.records import Extracted, RawRecord
from connectors.core.stream import NodeUpsert, Person, Stream, Upsert
from graph import GraphStore
from graph.queries import sync
from graph.queries.catalog import CATALOG

CANDIDATE = "child-known"


class Kid(BaseModel):
    key: str
    name: str
    birth_date: str
    village_code: str | None = None
    id_number: str | None = None
    category: str | None = None


@dataclass
class KidSource:
    name: str
    rows: list[dict[str, Any]]

    def extract(self, since: str | None) -> Iterator[Extracted]:
        for n, row in enumerate(self.rows):
            yield RawRecord(dict(row), f"{self.name}.xlsx!儿童:{n + 2}")

    def streams(self) -> list[Stream[Any]]:
        def child(k: Kid) -> list[Upsert]:
            key = CANDIDATE if k.id_number else f"child-{self.name}-{k.key}"
            props = {
                "name": k.name,
                "birthDate": k.birth_date,
                "villageCode": k.village_code,
                "idNumber": k.id_number,
                "primaryCategory": k.category,
            }
            return [NodeUpsert("Child", key, props)]

        def person(k: Kid) -> Person:
            return Person("Child", k.id_number, k.name, k.birth_date, k.village_code)

        return [Stream("children", Kid, "key", self.extract, child, person=person)]


async def child(store: GraphStore, key: str) -> dict[str, Any] | None:
    rows = await store.read(CATALOG.by_id("Child"), {"ids": [key]})
    return dict(rows[0]["node"]) if rows else None


async def test_a_review_merged_then_undone_then_kept_apart(empty: GraphStore) -> None:
    engine = SyncEngine(empty, precedence={"scas": 10, "ledger": 5})
    known = KidSource(
        "scas",
        [
            {
                "key": "C1",
                "name": "李诺浩",
                "birth_date": "2015-03-02",
                "village_code": "370481001001",
                "id_number": "370481201503020000",
            }
        ],
    )
    ledger = KidSource(
        "ledger",
        [{"key": "k1", "name": "李诺昊", "birth_date": "2015-03-02", "category": "困境儿童"}],
    )
    own = "child-ledger-k1"
    await engine.sync(known, known.streams()[0])
    first = await engine.sync(ledger, ledger.streams()[0])
    assert first.inserted == 1
    reviews = await empty.read(sync.OPEN_REVIEWS, {"status": "open", "limit": 10})
    assert len(reviews) == 1
    review = reviews[0]["review"]
    assert review["candidateId"] == CANDIDATE
    assert 0.6 <= review["confidence"] < 0.9
    assert await child(empty, own) is not None  # kept apart until someone decides

    # Merged: the record's own node goes, the known child takes its values.
    await engine.decide(review["id"], "merged", "reviewer-1")
    assert await child(empty, own) is None
    again = await engine.sync(ledger, ledger.streams()[0])
    assert again.inserted == 1
    merged = await child(empty, CANDIDATE)
    assert merged is not None
    assert merged["name"] == "李诺浩"  # the higher source keeps the name …
    assert merged["conflicts"] == ["name"]  # … and the disagreement shows
    assert merged["primaryCategory"] == "困境儿童"
    assert await child(empty, own) is None

    # Undone: the known child loses what only the record gave, and the record is
    # matched afresh (a review again).
    await engine.decide(review["id"], "open", "reviewer-2")
    undone = await child(empty, CANDIDATE)
    assert undone is not None
    assert "primaryCategory" not in undone or undone["primaryCategory"] is None
    assert not undone.get("conflicts")
    await engine.sync(ledger, ledger.streams()[0])
    assert await child(empty, own) is not None
    reviews = await empty.read(sync.REVIEW_BY_ID, {"id": review["id"]})
    history = reviews[0]["review"]["history"]
    assert [h.split()[-1] for h in history] == ["merged", "open"]

    # Kept apart: never matched to that child again, no new review.
    await engine.decide(review["id"], "apart", "reviewer-1")
    await engine.sync(ledger, ledger.streams()[0])
    assert await child(empty, own) is not None
    assert (await child(empty, CANDIDATE) or {}).get("primaryCategory") is None
    reviews = await empty.read(sync.OPEN_REVIEWS, {"status": "open", "limit": 10})
    assert reviews == []


async def test_an_unknown_review_is_refused(empty: GraphStore) -> None:
    import pytest

    from connectors.errors import SyncError

    with pytest.raises(SyncError, match="no identity review"):
        await SyncEngine(empty).decide("review-none", "merged", "x")
    with pytest.raises(ValueError, match="merged, apart or open"):
        await SyncEngine(empty).decide("review-none", "maybe", "x")
