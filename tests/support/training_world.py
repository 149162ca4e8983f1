"""The care tests' synthetic corner (``tests.support.care_world``), plus what training,
exams and stations need: stations, trainings and attendance, a question bank, services
delivered at a station.

The clock of :class:`~tests.support.care_world.World` is 2026-05-28 (CST). With the
shipped 12-month cycle, ``t-dir-1`` (张主任) was trained on 走访核查 in March 2026, on
强制报告 only in March 2025 (overdue since March 2026) and never on 链接政策资源;
``t-dir-2`` is up to date on all three; ``t-dir-3`` was never trained.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graph import GraphStore
from graph.queries import bulk
from tests.support.care_world import COUNTY, OTHER_TOWN, TOWN, VILLAGE, World, care_world

#: The bank's questions on 强制报告: (id, right option).
BANK = (("t-q-1", "A"), ("t-q-2", "B"), ("t-q-3", "C"), ("t-q-4", "D"), ("t-q-5", "A"),
        ("t-q-6", "B"))  # fmt: skip
TOPIC = "强制报告"


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str, **props: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test", **props}}


async def _populate(store: GraphStore) -> None:
    await store.write_rows(
        bulk.node_upsert("Station"),
        [
            _node("t-station-1", name="测试镇未成年人保护工作站", townCode=TOWN, hasVenue=True,
                  hasTeam=True, hasRules=False, hasServices=True, fourHaves=False),
            _node("t-station-2", name="远方镇未成年人保护工作站", townCode=OTHER_TOWN,
                  hasVenue=True, hasTeam=True, hasRules=True, hasServices=True, fourHaves=True),
        ],
    )  # fmt: skip
    await store.write_rows(
        bulk.node_upsert("Training"),
        [
            _node("t-train-visit", title="走访核查轮训", topic="走访核查", date="2026-03-01",
                  regionCode=COUNTY, round=2),
            _node("t-train-report-old", title="强制报告培训", topic="强制报告",
                  date="2025-03-20", regionCode=COUNTY, round=1),
            _node("t-train-report", title="强制报告轮训", topic="强制报告", date="2026-04-10",
                  regionCode=COUNTY, round=2),
            _node("t-train-policy", title="链接政策资源实务", topic="链接政策资源",
                  date="2026-02-15", regionCode=TOWN, round=2),
            _node("t-train-future", title="心理疏导", topic="心理疏导", date="2026-12-01",
                  regionCode=COUNTY, round=1),
        ],
    )  # fmt: skip
    await store.write_rows(
        bulk.rel_upsert("Director", "ATTENDED", "Training"),
        [
            _rel("t-dir-1", "t-train-visit"),
            _rel("t-dir-1", "t-train-report-old"),
            _rel("t-dir-2", "t-train-visit"),
            _rel("t-dir-2", "t-train-report"),
            _rel("t-dir-2", "t-train-policy"),
        ],
    )
    await store.write_rows(
        bulk.node_upsert("Question"),
        [
            _node(qid, topic=TOPIC, text=f"强制报告题{qid[-1]}：发现疑似侵害应当如何处理？",
                  options=["立即报告", "等待观察", "私下调解", "告知家长"], answer=answer,
                  difficulty=2, createdAt=1_770_000_000_000 + int(qid[-1]))
            for qid, answer in BANK
        ],
    )  # fmt: skip
    await store.write_rows(
        bulk.node_upsert("Service"),
        [
            _node(f"t-svc-{n}", kind="心理疏导", personTimes=times, villageCode=VILLAGE,
                  deliveredAt=1_770_000_000_000, quarter=quarter, month="2026-02",
                  recordId=f"t-svc-{n}", version=1)
            for n, (quarter, times) in enumerate(
                [("2026Q1", 3), ("2026Q1", 2), ("2026Q2", 4)] + [("2026Q2", 1)] * 5, 1
            )
        ],
    )  # fmt: skip
    await store.write_rows(
        bulk.rel_upsert("Service", "AT", "Station"),
        [_rel(f"t-svc-{n}", "t-station-1") for n in range(1, 9)],
    )


@asynccontextmanager
async def training_world(store: GraphStore) -> AsyncIterator[World]:
    """The synthetic corner with trainings and stations, removed after the block."""
    async with care_world(store) as world:
        await _populate(store)
        yield world
