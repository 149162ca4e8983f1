"""Matching volunteers to a child: by skills, distance and availability, explained; a
volunteer flagged in the background check (or expired, or pending) is never proposed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from graph import GraphStore
from schema import Context
from schema.access import Role
from schema.access.audit import MemorySink
from schema.program import teams_matching as matching
from schema.program import teams_slots as slots
from tests.support.care_world import (
    DIRECTOR,
    DIRECTOR_2,
    OTHER_STAFF,
    SCHEMA,
    STAFF,
    SUPERVISOR,
    gid,
)
from tests.support.principals import user
from tests.support.teams_world import BOTH, HOME, VOLUNTEERS, teams_world

MATCH = """
query($c: ID!, $needs: [String!]!, $first: Int, $when: [AvailabilitySlotInput!]) {
  matchVolunteers(childId: $c, needs: $needs, first: $first, when: $when) {
    volunteer { id name clearedForChildren }
    score skillsMatched km inTeam explanation available { weekday start end }
  }
}"""
CHILD = gid("Child", "t-child-1")
BARRED = {gid("Volunteer", k) for k in ("t-vol-flagged", "t-vol-expired", "t-vol-pending")}


def _ids(data: dict[str, Any]) -> list[str]:
    return [m["volunteer"]["id"] for m in data["matchVolunteers"]]


async def test_best_first_with_the_reasons(store: GraphStore) -> None:
    async with teams_world(store) as w:
        data = await w.run(MATCH, STAFF, c=CHILD, needs=BOTH)
        found = data["matchVolunteers"]
        # Not the craftsman (no skill needed), not the one 33 km away, no one barred.
        assert _ids(data) == [gid("Volunteer", "t-vol-ok"), gid("Volunteer", "t-vol-near")]
        best, second = found
        assert best["skillsMatched"] == BOTH
        assert best["km"] == 1.1
        assert best["inTeam"] is True  # in the team of the child's director
        assert best["volunteer"]["clearedForChildren"] is True
        assert best["score"] == 97.8  # 55 + 30 * (1 - 1.1 / 15) + 10 + 5
        assert best["explanation"] == [
            "skills: 2 of 2 needs (学业辅导, 心理陪伴) → 55.0",
            "distance: 1.1 km from the child's home (limit 15 km) → 27.8",
            "availability: 1 weekly slots declared → 10.0",
            "team: serves in the team of the child's director → 5.0",
        ]
        assert second["skillsMatched"] == ["学业辅导"]
        assert second["km"] == 0.1
        assert second["score"] == 57.3  # 27.5 + 29.8, no slots, no team
        assert "availability: none declared → 0.0" in second["explanation"]


async def test_a_flagged_volunteer_is_never_proposed(store: GraphStore) -> None:
    """The judged line: flagged (and expired, and pending) volunteers score best on paper
    here (every skill, at the child's door) and still never appear, whatever is asked."""
    async with teams_world(store) as w:
        for needs in (BOTH, ["学业辅导"], ["心理陪伴"]):
            for when in (None, [{"weekday": "SAT", "start": "09:00", "end": "12:00"}]):
                data = await w.run(MATCH, c=CHILD, needs=needs, first=50, when=when)
                assert not BARRED & set(_ids(data)), (needs, when)
        # Flag the best candidate: from now on they are never proposed either.
        flag = """mutation($v: ID!) { recordBackgroundCheck(volunteerId: $v, status: FLAGGED,
          checkedDate: "2026-05-20", note: "查询编号 TZ0002") { status } }"""
        await w.run(flag, v=gid("Volunteer", "t-vol-ok"))
        after = await w.run(MATCH, c=CHILD, needs=BOTH, first=50)
        assert _ids(after) == [gid("Volunteer", "t-vol-near")]


def test_ranking_drops_anyone_not_cleared_whatever_the_statement_returned() -> None:
    """Defence in depth: even if the graph statement let a barred volunteer through,
    the ranking would not propose them."""
    today = dt.date(2026, 5, 29)

    def candidate(key: str) -> matching.Candidate:
        check, date, skills, (lat, lng), available = VOLUNTEERS[key]
        row = {"id": key, "skills": skills, "availability": available, "lat": lat, "lng": lng,
               "teams": [], "check": check, "checkDate": date}  # fmt: skip
        return matching.Candidate.of(row)

    everyone = [candidate(k) for k in VOLUNTEERS]
    ranked = matching.rank(everyone, BOTH, HOME, today, first=50)
    assert [s.volunteer_id for s in ranked] == ["t-vol-ok", "t-vol-near"]
    unknown = matching.Candidate.of({"id": "x", "skills": BOTH, "lat": HOME[0], "lng": HOME[1],
                                     "check": "已通过", "checkDate": "2026-05-01"})  # fmt: skip
    assert matching.rank([unknown], BOTH, HOME, today, first=5) == []  # a source's wording


async def test_availability_narrows_the_candidates(store: GraphStore) -> None:
    async with teams_world(store) as w:
        saturday = [{"weekday": "SAT", "start": "10:00", "end": "11:00"}]
        data = await w.run(MATCH, c=CHILD, needs=BOTH, when=saturday)
        (only,) = data["matchVolunteers"]
        assert only["volunteer"]["id"] == gid("Volunteer", "t-vol-ok")
        assert only["available"] == [{"weekday": "SAT", "start": "09:00", "end": "12:00"}]
        assert "availability: free at sat 09:00-12:00 → 10.0" in only["explanation"]
        sunday = [{"weekday": "SUN", "start": "10:00", "end": "11:00"}]
        assert (await w.run(MATCH, c=CHILD, needs=BOTH, when=sunday))["matchVolunteers"] == []


async def test_the_childs_home_is_used_never_returned_and_the_use_is_audited(
    store: GraphStore,
) -> None:
    async with teams_world(store) as w:
        sink = MemorySink()
        context = Context(store, principal=DIRECTOR, audit=sink, clock=lambda: w.clock_s)
        result = await SCHEMA.execute(
            MATCH, variable_values={"c": CHILD, "needs": BOTH}, context_value=context
        )
        assert result.errors is None, result.errors
        text = json.dumps(result.data, ensure_ascii=False)
        for value in HOME:
            assert str(value) not in text
            assert str(round(value, 3)) not in text
        (event,) = sink.events
        assert "Child:t-child-1" in event.records
        assert {"Child.homeLat:used", "Child.homeLng:used"} <= set(event.fields)


async def test_who_may_match(store: GraphStore) -> None:
    async with teams_world(store) as w:
        await w.run(MATCH, DIRECTOR, c=CHILD, needs=BOTH)  # paired with the child
        await w.run(MATCH, SUPERVISOR, c=CHILD, needs=BOTH)
        assert "their paired children" in await w.errors(MATCH, DIRECTOR_2, c=CHILD, needs=BOTH)
        assert "outside your regions" in await w.errors(MATCH, OTHER_STAFF, c=CHILD, needs=BOTH)
        commissioner = user(Role.COMMISSIONER, ("990001",))
        assert "FORBIDDEN" in await w.errors(MATCH, commissioner, c=CHILD, needs=BOTH)
        assert "at least one" in await w.errors(MATCH, c=CHILD, needs=[])
        assert "`first`" in await w.errors(MATCH, c=CHILD, needs=BOTH, first=0)
        assert "no child" in await w.errors(MATCH, c=gid("Child", "none"), needs=BOTH)


def test_slots_meet_when_their_times_overlap() -> None:
    sat = slots.parse_stored(["sat 09:00-12:00", "bogus", "sun 25:00-26:00"])
    assert [s.text() for s in sat] == ["sat 09:00-12:00"]
    wanted = slots.parse_stored(["sat 12:00-13:00"])
    assert slots.overlapping(sat, wanted) == []  # touching ends do not meet
    assert slots.overlapping(sat, slots.parse_stored(["sat 11:59-13:00"])) == sat
