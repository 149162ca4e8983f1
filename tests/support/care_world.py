"""A small synthetic corner of the program for tests that write: two towns, three
villages, directors, children with homes, a supervisor and station staff.

Codes are outside Tengzhou's (county ``990001``) so they never meet the demo
data; every node has ``source: "test"``, and what the API records
(``source: "hub"``) is removed with it by :func:`care_world`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from graph import GraphStore
from graph.queries import bulk, meta
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.core.ids import to_global_id
from tests.support.principals import ADMIN, user

COUNTY = "990001"
TOWN = "990001001"
OTHER_TOWN = "990001002"
VILLAGE = "990001001001"
VILLAGE_2 = "990001001002"
FAR_VILLAGE = "990001002001"
#: The first child's registered home (a village near 滕州).
HOME = (35.0850, 117.1500)

SCHEMA = build_schema()

CITY_ADMIN = replace(ADMIN, regions=(COUNTY,))
STAFF = user(Role.STATION_STAFF, (TOWN,))
SUPERVISOR = user(Role.SUPERVISOR, (TOWN,), person_id="t-sup-1")
OTHER_STAFF = user(Role.STATION_STAFF, (OTHER_TOWN,))
DIRECTOR = user(Role.DIRECTOR, (VILLAGE,), person_id="t-dir-1")
DIRECTOR_2 = user(Role.DIRECTOR, (VILLAGE_2,), person_id="t-dir-2")


def gid(type_name: str, key: str) -> str:
    return to_global_id(type_name, key)


@dataclass
class World:
    store: GraphStore
    clock_s: float = 1_780_000_000.0  # 2026-05-28, a Thursday, 12:53 CST
    blobs: Any = None
    signer: Any = None

    async def run(
        self, text: str, reader: Principal = CITY_ADMIN, **variables: Any
    ) -> dict[str, Any]:
        """Execute and return ``data``; fail the test on errors."""
        result = await self.execute(text, reader, **variables)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    async def errors(self, text: str, reader: Principal = CITY_ADMIN, **variables: Any) -> str:
        """Execute a request that must fail; the error messages, with their codes."""
        result = await self.execute(text, reader, **variables)
        assert result.errors, result.data
        return " | ".join(f"{(e.extensions or {}).get('code')}: {e.message}" for e in result.errors)

    async def execute(self, text: str, reader: Principal, **variables: Any) -> Any:
        context = Context(
            self.store,
            principal=reader,
            clock=lambda: self.clock_s,
            blobs=self.blobs,
            photo_signer=self.signer,
        )
        return await SCHEMA.execute(text, variable_values=variables, context_value=context)


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str, **props: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test", **props}}


async def populate(store: GraphStore) -> None:
    await store.write_rows(bulk.node_upsert("County"), [_node("t-county", code=COUNTY)])
    await store.write_rows(
        bulk.node_upsert("Town"),
        [
            _node("t-town-1", code=TOWN, name="测试镇"),
            _node("t-town-2", code=OTHER_TOWN, name="远方镇"),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("Village"),
        [
            _node("t-vil-1", code=VILLAGE, name="东村", townCode=TOWN),
            _node("t-vil-2", code=VILLAGE_2, name="西村", townCode=TOWN),
            _node("t-vil-3", code=FAR_VILLAGE, name="远村", townCode=OTHER_TOWN),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("Grid"),
        [_node("t-grid-1", code=VILLAGE + "01", name="东村一网格", villageCode=VILLAGE)],
    )
    await store.write_rows(
        bulk.node_upsert("Director"),
        [
            _node("t-dir-1", name="张主任", villageCode=VILLAGE, status="active"),
            _node("t-dir-2", name="李主任", villageCode=VILLAGE_2, status="active"),
            _node("t-dir-3", name="王主任", villageCode=FAR_VILLAGE, status="active"),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("Supervisor"), [_node("t-sup-1", name="赵督导", townCode=TOWN)]
    )
    await store.write_rows(
        bulk.node_upsert("Child"),
        [
            _node(
                "t-child-1",
                name="小明",
                villageCode=VILLAGE,
                homeLat=HOME[0],
                homeLng=HOME[1],
                categories=["留守儿童"],
                primaryCategory="留守儿童",
                foundBy="application",
                status="active",
            ),
            _node(
                "t-child-2",
                name="小红",
                villageCode=VILLAGE,
                homeLat=HOME[0] + 0.002,
                homeLng=HOME[1],
                categories=["困境儿童"],
                primaryCategory="困境儿童",
                status="active",
            ),
            _node(
                "t-child-3",
                name="小刚",
                villageCode=VILLAGE_2,
                homeLat=HOME[0] + 0.01,
                homeLng=HOME[1] + 0.01,
                status="active",
            ),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Village", "PART_OF", "Town"),
        [_rel("t-vil-1", "t-town-1"), _rel("t-vil-2", "t-town-1"), _rel("t-vil-3", "t-town-2")],
    )
    await store.write_rows(
        bulk.rel_upsert("Child", "LIVES_IN", "Village"),
        [
            _rel("t-child-1", "t-vil-1"),
            _rel("t-child-2", "t-vil-1"),
            _rel("t-child-3", "t-vil-2"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "ASSIGNED_TO", "Village"),
        [_rel("t-dir-1", "t-vil-1"), _rel("t-dir-2", "t-vil-2"), _rel("t-dir-3", "t-vil-3")],
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "PAIRED_WITH", "Child"),
        [
            _rel("t-dir-1", "t-child-1", sinceDate="2026-01-05"),
            _rel("t-dir-1", "t-child-2", sinceDate="2026-01-05"),
            _rel("t-dir-2", "t-child-3", sinceDate="2026-01-05"),
        ],
    )


async def clear(store: GraphStore) -> None:
    await store.write(meta.DELETE_BY_SOURCE, {"source": "test"})
    await store.write(meta.DELETE_BY_SOURCE, {"source": "hub"})


@asynccontextmanager
async def care_world(store: GraphStore) -> AsyncIterator[World]:
    """The synthetic corner, written for the block and removed after it."""
    await clear(store)
    await populate(store)
    try:
        yield World(store)
    finally:
        await clear(store)
