"""The care world (:mod:`tests.support.care_world`) with 1+X+N teams, volunteers whose
background checks passed, expired, are pending or flagged, services with hours, and
two purchased-service projects that share a service.

The clock is the care world's: 2026-05-29 04:26 CST, so a check of 2025-04-01 has expired
(older than a year) and one of 2026-03-01 clears. Every node has ``source: "test"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graph import GraphStore
from graph.model import CST, period_of
from graph.queries import bulk
from tests.support.care_world import (
    FAR_VILLAGE,
    HOME,
    OTHER_TOWN,
    TOWN,
    VILLAGE,
    VILLAGE_2,
    World,
    care_world,
)

#: About 0.11 km of latitude per 0.001 degree near the child's home.
NEAR = (HOME[0] + 0.001, HOME[1])
KM_1 = (HOME[0] + 0.01, HOME[1])
FAR = (HOME[0] + 0.3, HOME[1])  # about 33 km: beyond the matching limit

BOTH = ["学业辅导", "心理陪伴"]

#: volunteer key → (background check, checked date, skills, position, availability)
VOLUNTEERS: dict[str, tuple[str, str, list[str], tuple[float, float], list[str]]] = {
    "t-vol-ok": ("passed", "2026-03-01", BOTH, KM_1, ["sat 09:00-12:00"]),
    "t-vol-near": ("passed", "2026-01-10", ["学业辅导"], NEAR, []),
    # On paper the best of all (every skill, at the child's door): never proposed.
    "t-vol-flagged": ("flagged", "2026-04-01", BOTH, HOME, ["sat 09:00-12:00"]),
    "t-vol-expired": ("passed", "2025-04-01", BOTH, HOME, ["sat 09:00-12:00"]),
    "t-vol-pending": ("pending", "2026-05-01", BOTH, HOME, ["sat 09:00-12:00"]),
    "t-vol-far": ("passed", "2026-03-01", BOTH, FAR, ["sat 09:00-12:00"]),
    "t-vol-craft": ("passed", "2026-03-01", ["手工艺"], HOME, []),
}


def ms(day: str, hour: int = 10) -> int:
    """Epoch ms of ``day`` at ``hour`` China Standard Time."""
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), CST)
    return int(moment.timestamp() * 1000)


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str, **props: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test", **props}}


def _service(
    id_: str, day: str, village: str, person_times: int, hours: float | None, **extra: Any
) -> dict[str, Any]:
    at = ms(day)
    month, quarter = period_of(at)
    props: dict[str, Any] = {
        "kind": "学业辅导",
        "deliveredAt": at,
        "personTimes": person_times,
        "villageCode": village,
        "month": month,
        "quarter": quarter,
        "recordId": id_,
        "version": 1,
        "recordedAt": at,
        **extra,
    }
    if hours is not None:
        props["hours"] = hours
    return _node(id_, **props)


async def populate(store: GraphStore) -> None:
    await store.write_rows(
        bulk.node_upsert("Volunteer"),
        [
            _node(
                key,
                name=f"志愿者{n}",
                backgroundCheck=check,
                backgroundCheckDate=date,
                skills=skills,
                lat=pos[0],
                lng=pos[1],
                availability=slots,
                serviceHours=99.5,  # as a platform reports it: never summed into the hours
            )
            for n, (key, (check, date, skills, pos, slots)) in enumerate(VOLUNTEERS.items())
        ],
    )
    await store.write_rows(
        bulk.node_upsert("SocialWorker"),
        [_node("t-sw-1", name="钱社工", profession="社会工作者")],
    )
    await store.write_rows(
        bulk.node_upsert("VolunteerTeam"),
        [_node("t-team-1", name="东村1+X+N关爱服务队", villageCode=VILLAGE)],
    )
    await store.write_rows(
        bulk.rel_upsert("VolunteerTeam", "LED_BY", "Director"), [_rel("t-team-1", "t-dir-1")]
    )
    await store.write_rows(
        bulk.rel_upsert("Volunteer", "MEMBER_OF", "VolunteerTeam"),
        [_rel("t-vol-ok", "t-team-1", role="volunteer", sinceDate="2026-03-02")],
    )
    await store.write_rows(
        bulk.rel_upsert("SocialWorker", "MEMBER_OF", "VolunteerTeam"),
        [_rel("t-sw-1", "t-team-1", role="social_worker", sinceDate="2026-01-02")],
    )
    await _projects(store)


async def _projects(store: GraphStore) -> None:
    await store.write_rows(
        bulk.node_upsert("Project"),
        [
            _node(
                "t-proj-a",
                name="东村困境儿童关爱服务项目",
                startDate="2026-01-01",
                endDate="2026-06-30",
                targetServices=4,
                targetChildren=2,
                targetPersonTimes=10,
                status="in_progress",
            ),
            _node(
                "t-proj-b",
                name="测试镇未成年人心理健康服务项目",
                startDate="2026-03-01",
                endDate="2026-12-31",
                targetServices=8,
                targetChildren=4,
                status="in_progress",
            ),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Project", "COVERS", "Town"),
        [_rel("t-proj-a", "t-town-1"), _rel("t-proj-b", "t-town-1"), _rel("t-proj-b", "t-town-2")],
    )
    await store.write_rows(
        bulk.node_upsert("Service"),
        [
            _service("t-svc-1", "2026-02-10", VILLAGE, 2, 2.5),
            # Under both projects: once in each, once in their total.
            _service("t-svc-2", "2026-04-05", VILLAGE, 3, 1.5),
            _service("t-svc-3", "2026-04-06", VILLAGE_2, 1, None),
            _service("t-svc-4", "2025-12-20", VILLAGE, 4, 1.0),  # before project A began
            _service("t-svc-5", "2026-05-01", FAR_VILLAGE, 6, 2.0),  # outside A's town
            # An earlier version of t-svc-1, superseded by it: never counted.
            _service("t-svc-1-old", "2026-02-10", VILLAGE, 7, 9.0, supersededAt=ms("2026-02-11")),
            _service("t-svc-6", "2026-05-02", VILLAGE, 1, 3.0),  # by the social worker
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "UNDER", "Project"),
        [
            _rel("t-svc-1", "t-proj-a"),
            _rel("t-svc-2", "t-proj-a"),
            _rel("t-svc-2", "t-proj-b"),
            _rel("t-svc-3", "t-proj-b"),
            _rel("t-svc-4", "t-proj-a"),
            _rel("t-svc-5", "t-proj-a"),
            _rel("t-svc-1-old", "t-proj-a"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "FOR", "Child"),
        [
            _rel("t-svc-1", "t-child-1"),
            _rel("t-svc-2", "t-child-1"),
            _rel("t-svc-3", "t-child-3"),
            _rel("t-svc-4", "t-child-2"),
            _rel("t-svc-1-old", "t-child-2"),
            _rel("t-svc-6", "t-child-2"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "DELIVERED_BY", "Volunteer"),
        [
            _rel("t-svc-1", "t-vol-ok"),
            _rel("t-svc-2", "t-vol-ok"),
            _rel("t-svc-3", "t-vol-ok"),
            _rel("t-svc-1-old", "t-vol-ok"),
            _rel("t-svc-4", "t-vol-near"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "DELIVERED_BY", "SocialWorker"), [_rel("t-svc-6", "t-sw-1")]
    )


@asynccontextmanager
async def teams_world(store: GraphStore) -> AsyncIterator[World]:
    """The care world plus teams, volunteers, services and projects; removed afterwards."""
    async with care_world(store) as world:
        await populate(store)
        yield world


__all__ = [
    "BOTH",
    "FAR_VILLAGE",
    "HOME",
    "OTHER_TOWN",
    "TOWN",
    "VILLAGE",
    "VILLAGE_2",
    "VOLUNTEERS",
    "World",
    "ms",
    "teams_world",
]
