"""The care tests' synthetic corner (:mod:`tests.support.care_world`) plus what supervision needs:
the town's supervisor over it, a station, a second supervisor, an oversight commissioner, and
the principals who oversee, do and judge the work.

Everything is ``source: "test"``; what the API writes (``source: "hub"``) is removed with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graph import GraphStore
from graph.model import CST
from graph.queries import bulk
from schema.access import Role
from tests.support.care_world import (
    CITY_ADMIN,
    OTHER_TOWN,
    TOWN,
    VILLAGE,
    World,
    clear,
    gid,
    populate,
)
from tests.support.principals import user

ADMIN = CITY_ADMIN
SUPERVISOR = user(Role.SUPERVISOR, (TOWN,), person_id="t-sup-1")
OTHER_SUPERVISOR = user(Role.SUPERVISOR, (OTHER_TOWN,), person_id="t-sup-2")
STAFF = user(Role.STATION_STAFF, (TOWN,))
DIRECTOR = user(Role.DIRECTOR, (VILLAGE,), person_id="t-dir-1")
COMMISSIONER = user(Role.COMMISSIONER, (TOWN,), person_id="t-com-1")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: float = 0) -> float:
    """Seconds since the epoch of a wall-clock time in China Standard Time (the world's clock)."""
    whole = int(second)
    moment = dt.datetime(year, month, day, hour, minute, whole, tzinfo=CST)
    return moment.timestamp() + (second - whole)


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test"}}


async def _populate(store: GraphStore) -> None:
    await populate(store)
    await store.write_rows(
        bulk.node_upsert("Supervisor"), [_node("t-sup-2", name="钱督导", townCode=OTHER_TOWN)]
    )
    await store.write_rows(
        bulk.rel_upsert("Supervisor", "SUPERVISES", "Town"),
        [_rel("t-sup-1", "t-town-1"), _rel("t-sup-2", "t-town-2")],
    )
    await store.write_rows(
        bulk.node_upsert("Station"), [_node("t-station-1", name="测试镇未保站", townCode=TOWN)]
    )
    await store.write_rows(
        bulk.rel_upsert("Station", "SERVES", "Town"), [_rel("t-station-1", "t-town-1")]
    )
    await store.write_rows(
        bulk.node_upsert("Commissioner"),
        [_node("t-com-1", name="孙委员", body="人大代表", regionCodes=[TOWN])],
    )
    await store.write_rows(
        bulk.rel_upsert("Commissioner", "OVERSEES", "Town"), [_rel("t-com-1", "t-town-1")]
    )


@asynccontextmanager
async def supervision_world(
    store: GraphStore, clock_s: float | None = None
) -> AsyncIterator[World]:
    """The corner, written for the block and removed after it; the clock as given.

    By default the clock shows Monday 1 June 2026, 09:00 China Standard Time.
    """
    await clear(store)
    await _populate(store)
    try:
        yield World(store, clock_s=at(2026, 6, 1, 9) if clock_s is None else clock_s)
    finally:
        await clear(store)


CREATE_TASK = """
mutation($input: CreateSupervisionTaskInput!) {
  createSupervisionTask(input: $input) {
    id title period status origin regionCode issuedDate dueDate supervisor { id } town { code }
  }
}"""
RECORD = """
mutation($input: RecordLedgerEntryInput!) {
  recordLedgerEntry(input: $input) {
    id problem category severity regionCode foundDate quarter version recordedBy { id }
  }
}"""
OPEN = """
mutation($entry: ID!, $assignee: RectificationAssignee!, $days: Int, $deadline: Date) {
  openRectification(ledgerEntryId: $entry, assignee: $assignee,
                    deadlineWorkingDays: $days, deadline: $deadline) {
    id status stage deadline workingDays assigneeRole assigneeName urgeTo noticeTo
    escalationLevel overdue round
  }
}"""
RECT = """
fragment R on Rectification {
  id status stage deadline overdue escalationLevel escalation urgedAt noticedAt
  noticeDueDate completedDate signedOffBy signedOffRole recheckDate recheckOutcome round
  evidence evidencePhoto submitterRole workingDays
  steps(first: 20, orderBy: {field: AT, direction: ASC}) { nodes { action note round actorRole } }
}"""
STATE = RECT + "query($id: ID!) { node(id: $id) { ...R } }"


async def new_task(w: World, reader: Any = None, **fields: Any) -> str:
    """A task of the test town, issued by the city admin unless said otherwise."""
    data = await w.run(
        CREATE_TASK,
        reader or ADMIN,
        input={
            "title": "走访质量专项督导",
            "period": "2026Q2",
            "dueDate": "2026-12-31",
            "townCodes": [TOWN],
            **fields,
        },
    )
    task_id: str = data["createSupervisionTask"]["id"]
    return task_id


async def new_entry(w: World, task_id: str, reader: Any = None, **fields: Any) -> str:
    """A ledger entry about the first director's work, found under ``task_id``."""
    data = await w.run(
        RECORD,
        reader or SUPERVISOR,
        input={
            "taskId": task_id,
            "problem": "本月走访未按要求全覆盖",
            "category": "VISITS",
            "severity": "MINOR",
            "directorId": gid("Director", "t-dir-1"),
            **fields,
        },
    )
    entry_id: str = data["recordLedgerEntry"]["id"]
    return entry_id


async def new_rectification(
    w: World, entry_id: str, role: str = "DIRECTOR", reader: Any = None, **variables: Any
) -> dict[str, Any]:
    """A rectification of ``entry_id`` by a doer of ``role``, ordered by the supervisor."""
    data = await w.run(
        OPEN, reader or SUPERVISOR, entry=entry_id, assignee={"role": role}, **variables
    )
    rect: dict[str, Any] = data["openRectification"]
    return rect


async def state(w: World, rect_id: str, reader: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = (await w.run(STATE, reader or ADMIN, id=rect_id))["node"]
    return node
