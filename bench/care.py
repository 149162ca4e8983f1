"""Frontline care figures on the city demo data: ``recordVisit`` with its evidence checks
and one photo (p50/p95 at concurrency 1 and 8) and ``childFile`` of a child with 100 events.

In-process GraphQL on the embedded graph, as a director's request would run it
behind the HTTP layer; photos are real JPEGs (decoded, hashed, stored in a file
blob store). What the bench writes is removed afterwards (``source`` "hub"/"bench").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.table import Table

from graph import CountingStore, GraphConfig, GraphStore, migrate, open_graph
from graph.model import CST, period_of
from graph.queries import bench, bulk, meta
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.core.ids import to_global_id
from schema.media import FileBlobStore, PhotoSigner
from tests.schema.media.images import encode, exif_of, scene

RECORD = """mutation($input: RecordVisitInput!, $photos: [Upload!]) {
  recordVisit(input: $input, photos: $photos) { id validity { score flagged codes } } }"""
FILE = """query($id: ID!) { childFile(id: $id) { categories
  entries { kind at version record { id ... on Visit { findings validity { score } } } }
  sources { system } } }"""
EVENTS = 100


class _Upload:
    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self) -> bytes:
        return self._data


async def _pairs(store: GraphStore, n: int) -> list[dict[str, Any]]:
    """Directors with a paired child and the child's home, from the demo graph."""
    rows = await store.read(bench.PAIRS, {"n": n})
    return [
        {
            "director": r["director"],
            "child": {
                "id": r["child"],
                "homeLat": r["homeLat"],
                "homeLng": r["homeLng"],
                "villageCode": r["villageCode"],
            },
        }
        for r in rows
    ]


def _director(person_id: str) -> Principal:
    return Principal(
        kind="user",
        subject=f"user-bench-{person_id}",
        name="bench-director",
        role=Role.DIRECTOR,
        regions=(),
        purposes=("care",),
        purpose="care",
        person_id=person_id,
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[
        min(len(samples) - 1, round(0.95 * (len(samples) - 1)))
    ]


async def _record_visits(
    store: GraphStore, pairs: list[dict[str, Any]], runs: int, concurrency: int, blobs: Path
) -> tuple[float, float, int]:
    schema = build_schema()
    store_blobs = FileBlobStore(blobs)
    signer = PhotoSigner(b"b" * 32)
    now = time.time()
    photos = [
        encode(
            scene(1000 + i, size=(1024, 768)),
            "JPEG",
            exif=exif_of(
                taken=dt.datetime.fromtimestamp(now - 2400, CST).strftime("%Y:%m:%d %H:%M:%S"),
                lat=pairs[i % len(pairs)]["child"]["homeLat"],
                lng=pairs[i % len(pairs)]["child"]["homeLng"],
            ),
        )
        for i in range(runs)
    ]
    counting = CountingStore(store)
    samples: list[float] = []
    trips: list[int] = []
    next_call = 0

    async def one(i: int) -> None:
        pair = pairs[i % len(pairs)]
        child = pair["child"]
        start = dt.datetime.fromtimestamp(now - 3000 + i, CST)
        variables = {
            "input": {
                "childId": to_global_id("Child", child["id"]),
                "startedAt": start.isoformat(),
                "endedAt": (start + dt.timedelta(minutes=30)).isoformat(),
                "location": {
                    "lat": child["homeLat"],
                    "lng": child["homeLng"],
                    "accuracy": 10,
                    "deviceTime": dt.datetime.fromtimestamp(now, CST).isoformat(),
                },
                "findings": "基准测试走访",
            },
            "photos": [_Upload(photos[i])],
        }
        context = Context(
            counting,
            principal=_director(pair["director"]),
            blobs=store_blobs,
            photo_signer=signer,
        )
        before = counting.round_trips
        started = time.perf_counter()
        result = await schema.execute(RECORD, variable_values=variables, context_value=context)
        samples.append((time.perf_counter() - started) * 1000)
        trips.append(counting.round_trips - before)
        if result.errors:
            raise RuntimeError(f"recordVisit: {result.errors}")

    async def worker() -> None:
        nonlocal next_call
        while next_call < runs:
            i = next_call
            next_call += 1
            await one(i)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    p50, p95 = _percentiles(samples)
    return p50, p95, max(trips) if concurrency == 1 else 0


async def _child_with_events(store: GraphStore, pair: dict[str, Any]) -> str:
    """A bench child in a demo village with ``EVENTS`` visits and services."""
    child = pair["child"]
    key = "bench-child-file"
    village = child["villageCode"]
    await store.write_rows(
        bulk.node_upsert("Child"),
        [
            {
                "id": key,
                "props": {
                    "source": "bench",
                    "name": "基准儿童",
                    "villageCode": village,
                    "homeLat": child["homeLat"],
                    "homeLng": child["homeLng"],
                    "categories": ["留守儿童"],
                    "primaryCategory": "留守儿童",
                },
            }
        ],
    )
    base = int(time.time() * 1000) - EVENTS * 86_400_000
    rows: dict[str, list[dict[str, Any]]] = {"Visit": [], "Service": []}
    for i in range(EVENTS):
        at = base + i * 86_400_000
        month, quarter = period_of(at)
        label = "Visit" if i % 2 == 0 else "Service"
        event_id = f"bench-{label.lower()}-{i}"
        props: dict[str, Any] = {
            "source": "bench",
            "recordId": event_id,
            "version": 1,
            "recordedAt": at,
            "villageCode": village,
            "month": month,
            "quarter": quarter,
        }
        if label == "Visit":
            props |= {"startedAt": at, "endedAt": at + 1_800_000, "findings": f"第{i}次走访"}
            props |= {"validityScore": 95, "flagged": False, "validityReasons": []}
        else:
            props |= {"deliveredAt": at, "kind": "counselling", "personTimes": 1}
        rows[label].append({"id": event_id, "props": props})
    await store.write_rows(bulk.node_upsert("Visit"), rows["Visit"])
    await store.write_rows(bulk.node_upsert("Service"), rows["Service"])
    await store.write_rows(
        bulk.rel_upsert("Visit", "OF", "Child"),
        [{"start": r["id"], "end": key, "props": {"source": "bench"}} for r in rows["Visit"]],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "FOR", "Child"),
        [{"start": r["id"], "end": key, "props": {"source": "bench"}} for r in rows["Service"]],
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "PAIRED_WITH", "Child"),
        [{"start": pair["director"], "end": key, "props": {"source": "bench"}}],
    )
    return key


async def _child_file(
    store: GraphStore, pair: dict[str, Any], runs: int
) -> tuple[float, float, int, int]:
    key = await _child_with_events(store, pair)
    schema = build_schema()
    counting = CountingStore(store)
    reader = _director(pair["director"])
    samples: list[float] = []
    entries = 0
    for i in range(runs + 3):
        context = Context(counting, principal=reader)
        counting.reset()
        started = time.perf_counter()
        result = await schema.execute(
            FILE, variable_values={"id": to_global_id("Child", key)}, context_value=context
        )
        elapsed = (time.perf_counter() - started) * 1000
        if result.errors or result.data is None:
            raise RuntimeError(f"childFile: {result.errors}")
        entries = len(result.data["childFile"]["entries"])
        if i >= 3:
            samples.append(elapsed)
    p50, p95 = _percentiles(samples)
    return p50, p95, counting.round_trips, entries


async def care_table(data_dir: Path, runs: int) -> Table:
    table = Table(title="Frontline care (in-process GraphQL on the city demo graph)")
    for col in ("operation", "p50 ms", "p95 ms", "round trips", "note"):
        table.add_column(col, justify="left" if col in ("operation", "note") else "right")
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        await migrate(store)  # a bench graph loaded before the care indexes existed
        pairs = await _pairs(store, 16)
        try:
            with tempfile.TemporaryDirectory() as blobs:
                for concurrency in (1, 8):
                    p50, p95, trips = await _record_visits(
                        store, pairs, runs, concurrency, Path(blobs)
                    )
                    table.add_row(
                        f"recordVisit + 1 photo, c={concurrency}",
                        f"{p50:.1f}",
                        f"{p95:.1f}",
                        str(trips) if trips else "",
                        "evidence checks, 1024x768 JPEG inspected and stored",
                    )
            p50, p95, trips, entries = await _child_file(store, pairs[0], runs)
            table.add_row(
                f"childFile, {EVENTS} events",
                f"{p50:.1f}",
                f"{p95:.1f}",
                str(trips),
                f"{entries} entries returned",
            )
        finally:
            await store.write(meta.DELETE_BY_SOURCE, {"source": "hub"})
            await store.write(meta.DELETE_BY_SOURCE, {"source": "bench"})
    return table
