"""The sync engine on the real embedded graph, with small in-test sources.

The sources here are the engine's input, not stand-ins for a remote system:
plain generators of records, so each cursor and failure case is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from connectors.core.engine import SyncEngine
from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert
from graph import GraphStore
from graph.queries import sync
from graph.queries.catalog import CATALOG

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    updated_at: dt.datetime


def _place_map(p: Place) -> list[Upsert]:
    if not p.code.isdigit():
        raise ValueError(f"division code {p.code!r} is not digits")
    return [
        NodeUpsert("Village", f"village-{p.code}", {"code": p.code, "name": p.name}),
        RelUpsert("Village", f"village-{p.code}", "PART_OF", "Town", f"town-{p.code[:9]}"),
        NodeUpsert("Town", f"town-{p.code[:9]}", {"code": p.code[:9]}, primary=False),
    ]


@dataclass
class ListSource:
    """A source whose one stream yields the given records (from ``since``, inclusive)."""

    rows: list[dict[str, Any]]
    name: str = "ledger"
    fail_after: int | None = None  # raise after yielding this many rows (a crash)
    extra: list[Extracted] = field(default_factory=list)

    def extract(self, since: str | None) -> Iterator[Extracted]:
        yield from self.extra
        ordered = sorted(self.rows, key=lambda r: (str(r["updated_at"]), r["code"]))
        for n, row in enumerate(ordered):
            if self.fail_after is not None and n >= self.fail_after:
                raise OSError("connection reset while reading")
            stamp = (
                row["updated_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                if isinstance(row["updated_at"], dt.datetime)
                else str(row["updated_at"])
            )
            if since is None or stamp >= since:
                yield RawRecord(dict(row), f"ledger.xlsx!村:{n + 2}")

    def streams(self) -> list[Stream[Any]]:
        return [
            Stream(
                name="villages",
                model=Place,
                primary_key="code",
                cursor_field="updated_at",
                extract=self.extract,
                map=_place_map,
            )
        ]


def rows(n: int, *, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "code": f"370481{101 + (i % 3):03d}{i:03d}",
            "name": f"村{i}",
            "updated_at": T0 + dt.timedelta(minutes=i),
        }
        for i in range(start, start + n)
    ]


async def villages(store: GraphStore) -> list[dict[str, Any]]:
    found = await store.read(CATALOG.page("Village", "code", "asc", frozenset()), {"limit": 10_000})
    return [{k: r["node"].get(k) for k in ("id", "code", "name", "source")} for r in found]


@pytest.fixture
def engine(empty: GraphStore) -> SyncEngine:
    return SyncEngine(empty, batch_size=7, clock=lambda: T0.timestamp() + 86_400)


async def test_first_run_inserts_second_changes_nothing(
    empty: GraphStore, engine: SyncEngine
) -> None:
    source = ListSource(rows(20))
    first = await engine.sync(source, source.streams()[0])
    assert (first.read, first.inserted, first.updated, first.rejected) == (20, 20, 0, 0)
    assert first.status == "ok"
    assert first.cursor_after == "2026-03-01T08:19:00.000000Z"
    stored = await villages(empty)
    assert len(stored) == 20
    assert {v["source"] for v in stored} == {"ledger"}
    second = await engine.sync(source, source.streams()[0])
    # Only the record at the inclusive bound is read again, and it is unchanged.
    assert (second.read, second.inserted, second.updated, second.unchanged) == (1, 0, 0, 1)
    assert await villages(empty) == stored


async def test_changed_records_are_updated(empty: GraphStore, engine: SyncEngine) -> None:
    data = rows(5)
    source = ListSource(data)
    await engine.sync(source, source.streams()[0])
    data[4] = {**data[4], "name": "新名", "updated_at": T0 + dt.timedelta(hours=2)}
    again = await engine.sync(source, source.streams()[0])
    assert (again.inserted, again.updated) == (0, 1)
    names = {v["code"]: v["name"] for v in await villages(empty)}
    assert names[data[4]["code"]] == "新名"


async def test_a_crash_resumes_without_loss_or_duplicates(
    empty: GraphStore, engine: SyncEngine
) -> None:
    data = rows(30)
    crashing = ListSource(data, fail_after=17)
    failed = await engine.sync(crashing, crashing.streams()[0])
    assert failed.status == "failed"
    assert "connection reset" in failed.errors[-1]
    runs = await empty.read(CATALOG.page("SyncRun", "startedAt", "asc", frozenset()), {"limit": 5})
    assert runs[0]["node"]["status"] == "failed"
    state = await empty.read(sync.GET_STATE, {"id": "syncstate-ledger-villages"})
    # Two batches of 7 were committed: the bookmark is the 14th record's cursor.
    assert state[0]["cursor"] == "2026-03-01T08:13:00.000000Z"
    resumed = await engine.sync(ListSource(data), ListSource(data).streams()[0])
    assert resumed.inserted == 16  # records 15..30 (the 14th is re-read, unchanged)
    assert resumed.unchanged == 1
    stored = await villages(empty)
    assert len(stored) == 30
    # The graph equals a clean run's.
    clean_codes = sorted(r["code"] for r in data)
    assert sorted(v["code"] for v in stored) == clean_codes


async def test_bad_rows_are_rejected_with_reasons_and_the_rest_loads(
    empty: GraphStore, engine: SyncEngine
) -> None:
    data = rows(6)
    data[1] = {**data[1], "code": "37048x"}  # the mapping refuses it
    data[2] = {**data[2], "updated_at": "not a date"}  # the model refuses it
    data[3] = {**data[3], "code": data[0]["code"], "updated_at": data[0]["updated_at"]}
    source = ListSource(
        data, extra=[RawReject("ledger.xlsx!村:99", "bad date in 出生日期: '2023年13月1日'")]
    )
    report = await engine.sync(source, source.streams()[0])
    assert report.read == 7
    assert report.inserted == 3
    assert report.rejected == 4
    rejects = await empty.read(sync.REJECTS_OF_RUN, {"runId": report.run_id, "limit": 10})
    reasons = " | ".join(f"{r['location']}: {r['reason']}" for r in rejects)
    assert "not digits" in reasons
    assert "updated_at" in reasons
    assert "duplicate key" in reasons
    assert "ledger.xlsx!村:99: bad date" in reasons


async def test_the_bookmark_never_passes_the_syncs_start(empty: GraphStore) -> None:
    future = [{"code": "370481101001", "name": "村", "updated_at": T0 + dt.timedelta(days=9)}]
    engine = SyncEngine(empty, clock=lambda: T0.timestamp())
    source = ListSource(future)
    report = await engine.sync(source, source.streams()[0])
    assert report.cursor_after == "2026-03-01T08:00:00.000000Z"


async def test_precedence_decides_each_field_and_conflicts_stay_visible(
    empty: GraphStore,
) -> None:
    engine = SyncEngine(empty, precedence={"scas": 10, "ledger": 5})
    code = "370481101001"
    ledger = ListSource([{"code": code, "name": "东村", "updated_at": T0}], name="ledger")
    scas = ListSource([{"code": code, "name": "东庄村", "updated_at": T0}], name="scas")
    await engine.sync(ledger, ledger.streams()[0])
    await engine.sync(scas, scas.streams()[0])
    found = await empty.read(CATALOG.by_id("Village"), {"ids": [f"village-{code}"]})
    node = found[0]["node"]
    assert node["name"] == "东庄村"
    assert node["source"] == "scas"
    assert node["conflicts"] == ["name"]
    # The lower source syncing again does not take the field back.
    ledger.rows[0]["updated_at"] = T0 + dt.timedelta(hours=1)
    ledger.rows[0]["name"] = "东村2"
    await engine.sync(ledger, ledger.streams()[0])
    found = await empty.read(CATALOG.by_id("Village"), {"ids": [f"village-{code}"]})
    assert found[0]["node"]["name"] == "东庄村"
