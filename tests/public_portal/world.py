"""A small synthetic corner for the portal's in-process tests: one town with a station,
two villages (one with a facility and a director), all ``source: "test"``.

Codes are outside Tengzhou's (county ``990009``) so they never meet the demo
data; what the portal records (feedback, mandatory reports: ``source: "hub"``)
is removed with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graph import GraphStore
from graph.queries import bulk, meta
from schema.core.ids import to_global_id

COUNTY = "990009"
TOWN = "990009001"
VILLAGE = "990009001001"
QUIET_VILLAGE = "990009001002"
STATION_ID = to_global_id("Station", "pp-station")
FACILITY_ID = to_global_id("Facility", "pp-facility")


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test"}}


async def populate(store: GraphStore) -> None:
    await store.write_rows(
        bulk.node_upsert("County"), [_node("pp-county", code=COUNTY, name="测试市")]
    )
    await store.write_rows(
        bulk.node_upsert("Town"), [_node("pp-town", code=TOWN, name="门户测试镇", kind="镇")]
    )
    await store.write_rows(
        bulk.node_upsert("Village"),
        [
            _node("pp-village", code=VILLAGE, name="门户东村", townCode=TOWN, kind="村"),
            _node("pp-village-2", code=QUIET_VILLAGE, name="门户西村", townCode=TOWN, kind="村"),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("Station"),
        [_node("pp-station", name="门户测试镇未成年人保护工作站", townCode=TOWN)],
    )
    await store.write_rows(
        bulk.node_upsert("Facility"),
        [_node("pp-facility", name="门户东村儿童之家", villageCode=VILLAGE)],
    )
    await store.write_rows(
        bulk.node_upsert("Director"),
        [_node("pp-director", name="门户主任", villageCode=VILLAGE, status="active")],
    )
    await store.write_rows(
        bulk.rel_upsert("Town", "PART_OF", "County"), [_rel("pp-town", "pp-county")]
    )
    await store.write_rows(
        bulk.rel_upsert("Village", "PART_OF", "Town"),
        [_rel("pp-village", "pp-town"), _rel("pp-village-2", "pp-town")],
    )
    await store.write_rows(
        bulk.rel_upsert("Station", "SERVES", "Town"), [_rel("pp-station", "pp-town")]
    )
    await store.write_rows(
        bulk.rel_upsert("Facility", "LOCATED_IN", "Village"), [_rel("pp-facility", "pp-village")]
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "ASSIGNED_TO", "Village"),
        [_rel("pp-director", "pp-village")],
    )


async def clear(store: GraphStore) -> None:
    await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})
    await store.write(meta.DELETE_BY_SOURCE, {"source": "hub"})


@asynccontextmanager
async def portal_world(store: GraphStore) -> AsyncIterator[GraphStore]:
    """The corner, written for the block and removed after it."""
    await clear(store)
    await populate(store)
    try:
        yield store
    finally:
        await clear(store)
