"""Service hours come from the service records (current versions), per volunteer and team,
and cost one statement per level of a query whatever the page size."""

from __future__ import annotations

from typing import Any

from graph import CountingStore, GraphStore
from schema import Context
from tests.support.care_world import SCHEMA, STAFF, gid
from tests.support.teams_world import teams_world

VOLUNTEER = """
query($v: ID!, $q: String) { node(id: $v) { ... on Volunteer {
  all: serviceHours quarter: serviceHours(quarter: $q) reportedServiceHours } } }"""
TEAM = """
query($t: ID!, $q: String) { node(id: $t) { ... on VolunteerTeam {
  serviceHours(quarter: $q) { total volunteers professionals services unmeasured } } } }"""


async def test_a_volunteers_hours_are_summed_from_their_services(store: GraphStore) -> None:
    async with teams_world(store) as w:
        ok = gid("Volunteer", "t-vol-ok")
        # 2.5 (Q1) + 1.5 (Q2) + one without hours; the superseded version's 9 h not counted.
        data = (await w.run(VOLUNTEER, v=ok, q="2026Q2"))["node"]
        assert data == {"all": 4.0, "quarter": 1.5, "reportedServiceHours": 99.5}
        near = (await w.run(VOLUNTEER, v=gid("Volunteer", "t-vol-near"), q="2026Q1"))["node"]
        assert (near["all"], near["quarter"]) == (1.0, 0.0)
        none = (await w.run(VOLUNTEER, v=gid("Volunteer", "t-vol-craft")))["node"]
        assert none["all"] == 0.0
        assert "2026Q3" in await w.errors(VOLUNTEER, v=ok, q="2026-07")


async def test_a_teams_hours_roll_up_its_members(store: GraphStore) -> None:
    async with teams_world(store) as w:
        team = gid("VolunteerTeam", "t-team-1")
        year = (await w.run(TEAM, STAFF, t=team))["node"]["serviceHours"]
        assert year == {
            "total": 7.0,
            "volunteers": 4.0,
            "professionals": 3.0,  # the social worker's service
            "services": 4,
            "unmeasured": 1,
        }
        q2 = (await w.run(TEAM, STAFF, t=team, q="2026Q2"))["node"]["serviceHours"]
        assert q2 == {
            "total": 4.5,
            "volunteers": 1.5,
            "professionals": 3.0,
            "services": 3,
            "unmeasured": 1,
        }


async def test_hours_of_a_page_cost_one_statement_whatever_its_size(store: GraphStore) -> None:
    async with teams_world(store) as w:
        query = """query($n: Int) { volunteers(first: $n, filter: {name: {startsWith: "志愿者"}}) {
          nodes { serviceHours teams(first: 3) { nodes { serviceHours { total } } } } } }"""

        async def trips(n: int) -> tuple[int, list[Any]]:
            counting = CountingStore(store)
            context = Context(counting, principal=STAFF, clock=lambda: w.clock_s)
            result = await SCHEMA.execute(query, variable_values={"n": n}, context_value=context)
            assert result.errors is None, result.errors
            assert result.data is not None
            return counting.round_trips, result.data["volunteers"]["nodes"]

        one, few = await trips(1)
        many, nodes = await trips(7)
        assert len(few) == 1
        assert len(nodes) == 7
        assert one == many
        assert sorted(n["serviceHours"] for n in nodes) == [0.0] * 5 + [1.0, 4.0]
