"""One child one file: the timeline across systems, corrections as versions, ``asOf``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import GraphStore
from graph.model import CST, period_of
from graph.queries import bulk, events
from tests.support.care_world import (
    DIRECTOR,
    DIRECTOR_2,
    STAFF,
    VILLAGE,
    World,
    care_world,
    gid,
)
from tests.support.principals import PUBLIC, partner

FILE = """
query($id: ID!, $asOf: Date) {
  childFile(id: $id, asOf: $asOf) {
    asOf categories child { id name }
    entries { kind version corrected source recordId at
      record { id ... on Visit { findings } ... on Assignment { action } } }
    sources { system }
  }
}"""

DAY = 86_400_000


def _ms(day: str, hour: int = 10) -> int:
    return int(
        dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=CST).timestamp() * 1000
    )


async def _visit(store: GraphStore, key: str, started: int, findings: str) -> None:
    month, quarter = period_of(started)
    await store.write_rows(
        bulk.node_upsert("Visit"),
        [
            {
                "id": key,
                "props": {
                    "source": "smart-civil-affairs",
                    "sourceKey": key,
                    "recordId": key,
                    "version": 1,
                    "recordedAt": started + 3_600_000,
                    "startedAt": started,
                    "endedAt": started + 1_800_000,
                    "findings": findings,
                    "villageCode": VILLAGE,
                    "month": month,
                    "quarter": quarter,
                },
            }
        ],
    )
    await store.write_rows(
        bulk.rel_upsert("Visit", "OF", "Child"),
        [{"start": key, "end": "t-child-1", "props": {"source": "test"}}],
    )


async def _file(w: World, reader: Any = None, **variables: Any) -> dict[str, Any]:
    data = await w.run(FILE, reader or STAFF, id=gid("Child", "t-child-1"), **variables)
    return data["childFile"]


async def test_the_file_gathers_the_timeline_and_shows_an_earlier_version_as_of_a_day(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        await _visit(store, "t-visit-1", _ms("2026-03-02"), "情绪稳定")
        await _visit(store, "t-visit-2", _ms("2026-04-06"), "学习成绩下降")
        await w.run(
            "mutation($d: ID!, $c: ID!) { "
            'pairChild(directorId: $d, childId: $c, reason: "补充结对") { id } }',
            STAFF,
            d=gid("Director", "t-dir-2"),
            c=gid("Child", "t-child-1"),
        )
        # A correction on 2026-04-10: a new version; the old one is kept, superseded.
        corrected_at = _ms("2026-04-10")
        await store.write(
            events.correction("Visit"),
            {
                "oldId": "t-visit-2",
                "newId": "t-visit-2-v2",
                "props": {
                    "source": "smart-civil-affairs",
                    "startedAt": _ms("2026-04-06"),
                    "findings": "学习成绩下降，已联系班主任",
                    "villageCode": VILLAGE,
                },
                "at": corrected_at,
            },
        )
        await store.write_rows(
            bulk.rel_upsert("Visit", "OF", "Child"),
            [{"start": "t-visit-2-v2", "end": "t-child-1", "props": {"source": "test"}}],
        )

        now = await _file(w)
        kinds = [e["kind"] for e in now["entries"]]
        assert kinds == ["visit", "visit", "assignment"]  # oldest first
        latest = now["entries"][1]
        assert latest["version"] == 2
        assert latest["corrected"] is True
        assert latest["record"]["findings"] == "学习成绩下降，已联系班主任"
        assert latest["recordId"] == gid("Visit", "t-visit-2")
        assert now["child"]["name"] == "小明"
        assert {s["system"] for s in now["sources"]} == {"test"}

        before = await _file(w, asOf="2026-04-08")
        assert before["asOf"] == "2026-04-08"
        visits = [e for e in before["entries"] if e["kind"] == "visit"]
        assert [(v["version"], v["record"]["findings"]) for v in visits] == [
            (1, "情绪稳定"),
            (1, "学习成绩下降"),
        ]
        # The pairing of today is not in the file as it stood in April.
        assert "assignment" not in [e["kind"] for e in before["entries"]]
        earliest = await _file(w, asOf="2026-03-01")
        assert earliest["entries"] == []


async def test_the_file_follows_the_access_rules(store: GraphStore) -> None:
    async with care_world(store) as w:
        await _visit(store, "t-visit-1", _ms("2026-03-02"), "情绪稳定")
        mine = await _file(w, DIRECTOR)
        assert [e["kind"] for e in mine["entries"]] == ["visit"]
        # Not paired with the child: no file at all, as for a missing child.
        assert (await _file(w, DIRECTOR_2)) is None
        # A partner granted children but not visits: the file without the visits.
        school = partner(frozenset({"Child"}), frozenset(), regions=("990001",))
        seen = await _file(w, school)
        assert seen["entries"] == []
        assert seen["child"]["name"] is None
        assert "FORBIDDEN" in await w.errors(FILE, PUBLIC, id=gid("Child", "t-child-1"))
        assert "future" in await w.errors(
            FILE, STAFF, id=gid("Child", "t-child-1"), asOf="2099-01-01"
        )
