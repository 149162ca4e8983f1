"""A quarter of work to assess (2026Q2) in the synthetic corner of ``care_world``.

Director t-dir-1 (东村, 社会工作师) looks after t-child-1 (visited quarterly) and
t-child-2 (high risk: monthly). In 2026Q2 they made four visits:

====  ==========  =======  =================================  ======================
id    day         child    evidence                           risk seen → follow-up
====  ==========  =======  =================================  ======================
v1    04-10       child-1  fine                               yes → service 04-20
v2    04-15       child-2  fine (85 days after 01-20's)       yes → none in 30 days
v3    05-15       child-2  flagged, rejected by the supervisor yes (not counted)
v4    06-15       child-2  flagged, not reviewed (half)       yes → still in time
====  ==========  =======  =================================  ======================

They reported child-1 (05-01); someone else reported child-2 (06-01). Their exams:
80/100 (05-20) and 45/50 (06-10). Expected, formula v1: exam 85; coverage 2.5 of 4
due = 62.5; timeliness 2 of 3 = 66.7; validity 2.5 of 4 = 62.5; follow-up 1 of 2 = 50;
reports 1 of 2 = 50; visit 60.6; total 70.36 (C: 1200 + 300 vocational, bonus 1000).

t-dir-2 (西村) has t-child-3 and no visit, no exam: visit 20, total 12 (D). t-dir-3 (远村,
another town) has no child and a 70 from February: total 88 (B). Supervisor t-sup-1
(测试镇): directors' mean 41.2, two ledger entries (66.7), rectifications due 1 on time,
1 late, 1 undone (50): total 49.775 (D).
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
    COUNTY,
    TOWN,
    VILLAGE,
    VILLAGE_2,
    World,
    clear,
    gid,
    populate,
)

PERIOD = "2026Q2"
#: Computed on 2026-07-10 (noon, CST): the quarter is over.
COMPUTED_S = dt.datetime(2026, 7, 10, 12, tzinfo=CST).timestamp()

__all__ = ["COMPUTED_S", "COUNTY", "PERIOD", "assessment_world", "at_ms", "gid", "visit"]


def at_ms(month: int, day: int, hour: int = 10, year: int = 2026) -> int:
    return int(dt.datetime(year, month, day, hour, tzinfo=CST).timestamp() * 1000)


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _event(id_: str, **props: Any) -> dict[str, Any]:
    return _node(id_, recordId=id_, version=1, recordedAt=at_ms(7, 1), **props)


def _rel(start: str, end: str) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test"}}


async def visit(
    store: GraphStore,
    id_: str,
    child: str,
    director: str,
    started: int,
    *,
    flagged: bool = False,
    risk: bool = False,
    village: str = VILLAGE,
) -> None:
    """A visit of ``director`` to ``child`` (30 minutes), as a sync would write it."""
    month, quarter = period_of(started)
    await store.write_rows(
        bulk.node_upsert("Visit"),
        [
            _event(
                id_,
                startedAt=started,
                endedAt=started + 1_800_000,
                villageCode=village,
                month=month,
                quarter=quarter,
                flagged=flagged,
                riskObservations=["情绪异常"] if risk else [],
            )
        ],
    )
    await store.write_rows(bulk.rel_upsert("Visit", "OF", "Child"), [_rel(id_, child)])
    await store.write_rows(bulk.rel_upsert("Visit", "BY", "Director"), [_rel(id_, director)])


async def _quarter(store: GraphStore) -> None:
    await store.write_rows(
        bulk.node_upsert("Director"),
        [_node("t-dir-1", socialWorkQualification="社会工作师")],
    )
    await store.write_rows(bulk.node_upsert("Child"), [_node("t-child-2", riskLevel="high")])
    for args in (
        ("t-v0", "t-child-2", at_ms(1, 20), False, False),
        ("t-v1", "t-child-1", at_ms(4, 10), False, True),
        ("t-v2", "t-child-2", at_ms(4, 15), False, True),
        ("t-v3", "t-child-2", at_ms(5, 15), True, True),
        ("t-v4", "t-child-2", at_ms(6, 15), True, True),
    ):
        key, child, started, flagged, risk = args
        await visit(store, key, child, "t-dir-1", started, flagged=flagged, risk=risk)
    await store.write_rows(
        bulk.node_upsert("VisitReview"),
        [_event("t-review-1", decision="rejected", reviewedAt=at_ms(5, 20), villageCode=VILLAGE)],
    )
    await store.write_rows(
        bulk.rel_upsert("VisitReview", "OF", "Visit"), [_rel("t-review-1", "t-v3")]
    )
    await store.write_rows(
        bulk.node_upsert("Service"),
        [_event("t-service-1", kind="心理疏导", deliveredAt=at_ms(4, 20), villageCode=VILLAGE)],
    )
    await store.write_rows(
        bulk.rel_upsert("Service", "FOR", "Child"), [_rel("t-service-1", "t-child-1")]
    )
    await store.write_rows(
        bulk.node_upsert("MandatoryReport"),
        [
            _event("t-report-1", reportedAt=at_ms(5, 1), villageCode=VILLAGE, status="closed"),
            _event("t-report-2", reportedAt=at_ms(6, 1), villageCode=VILLAGE, status="closed"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("MandatoryReport", "ABOUT", "Child"),
        [_rel("t-report-1", "t-child-1"), _rel("t-report-2", "t-child-2")],
    )
    await store.write_rows(
        bulk.rel_upsert("MandatoryReport", "REPORTED_BY", "Director"),
        [_rel("t-report-1", "t-dir-1")],
    )
    await store.write_rows(
        bulk.node_upsert("Exam"),
        [_node("t-exam-1", title="走访核查", maxScore=100), _node("t-exam-2", maxScore=50)],
    )
    await store.write_rows(
        bulk.node_upsert("ExamResult"),
        [
            _event("t-result-1", score=80.0, takenAt=at_ms(5, 20)),
            _event("t-result-2", score=45.0, takenAt=at_ms(6, 10)),
            _event("t-result-3", score=70.0, takenAt=at_ms(2, 1)),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("ExamResult", "FOR", "Exam"),
        [
            _rel("t-result-1", "t-exam-1"),
            _rel("t-result-2", "t-exam-2"),
            _rel("t-result-3", "t-exam-1"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("ExamResult", "OF", "Director"),
        [
            _rel("t-result-1", "t-dir-1"),
            _rel("t-result-2", "t-dir-1"),
            _rel("t-result-3", "t-dir-3"),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("LedgerEntry"),
        [
            _event("t-entry-1", foundDate="2026-04-12", regionCode=VILLAGE, problem="档案缺失"),
            _event("t-entry-2", foundDate="2026-05-03", regionCode=VILLAGE_2, problem="走访不足"),
            _event("t-entry-3", foundDate="2026-03-20", regionCode=TOWN, problem="值班缺失"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("LedgerEntry", "RECORDED_BY", "Supervisor"),
        [_rel(f"t-entry-{n}", "t-sup-1") for n in (1, 2, 3)],
    )
    await store.write_rows(
        bulk.node_upsert("Rectification"),
        [
            _node("t-rect-1", deadline="2026-04-30", completedDate="2026-04-25"),
            _node("t-rect-2", deadline="2026-05-20", completedDate="2026-05-28"),
            _node("t-rect-3", deadline="2026-06-10"),
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Rectification", "RESOLVES", "LedgerEntry"),
        [_rel(f"t-rect-{n}", f"t-entry-{n}") for n in (1, 2, 3)],
    )


@asynccontextmanager
async def assessment_world(store: GraphStore) -> AsyncIterator[World]:
    """The corner and its quarter, written for the block and removed after it."""
    await clear(store)
    await populate(store)
    await _quarter(store)
    try:
        yield World(store, clock_s=COMPUTED_S)
    finally:
        await clear(store)
