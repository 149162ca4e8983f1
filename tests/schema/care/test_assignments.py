"""Grid and assignment: areas, pairings, handovers, each change logged; the coverage view."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from tests.support.care_world import (
    DIRECTOR,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    VILLAGE,
    VILLAGE_2,
    care_world,
    gid,
)

PAIR = """
mutation($d: ID!, $c: ID!) {
  pairChild(directorId: $d, childId: $c, reason: "家访后结对") {
    action actor reason director { id } child { id }
  }
}"""
UNPAIR = """
mutation($d: ID!, $c: ID!) {
  unpairChild(directorId: $d, childId: $c, reason: "调整结对") { action }
}"""
HANDOVER = """
mutation($from: ID!, $moves: [HandoverMove!], $to: ID, $departing: Boolean!) {
  handOverChildren(fromDirectorId: $from, reason: "儿童主任离任", moves: $moves,
                   toDirectorId: $to, departing: $departing) { operationId moved departed }
}"""
CHILDREN_OF = """
query($d: ID!) { node(id: $d) { ... on Director { status children(first: 10) {
  nodes { id } } villages(first: 5) { nodes { code } } } } }"""
LOG = """
query($c: ID!) { node(id: $c) { ... on Child { assignments(first: 20) {
  nodes { action reason actor director { id } } } } } }"""


def _ids(data: dict[str, Any]) -> set[str]:
    return {n["id"] for n in data["node"]["children"]["nodes"]}


async def test_pair_and_unpair_change_the_state_and_log_it(store: GraphStore) -> None:
    async with care_world(store) as w:
        child, director = gid("Child", "t-child-3"), gid("Director", "t-dir-1")
        data = await w.run(PAIR, STAFF, d=director, c=child)
        assert data["pairChild"]["action"] == "pair"
        assert data["pairChild"]["actor"] == "station_staff:station_staff"
        assert gid("Child", "t-child-3") in _ids(await w.run(CHILDREN_OF, d=director))
        # The director now reads the child (the care scope follows the pairing).
        seen = await w.run("{ children(first: 10) { nodes { id } } }", DIRECTOR)
        assert child in {n["id"] for n in seen["children"]["nodes"]}
        assert "already paired" in await w.errors(PAIR, STAFF, d=director, c=child)
        await w.run(UNPAIR, SUPERVISOR, d=director, c=child)
        assert child not in _ids(await w.run(CHILDREN_OF, d=director))
        log = (await w.run(LOG, c=child))["node"]["assignments"]["nodes"]
        assert sorted(e["action"] for e in log) == ["pair", "unpair"]
        assert "not paired" in await w.errors(UNPAIR, STAFF, d=director, c=child)


async def test_only_managers_of_the_town_may_change_pairings(store: GraphStore) -> None:
    async with care_world(store) as w:
        child, director = gid("Child", "t-child-3"), gid("Director", "t-dir-1")
        assert "FORBIDDEN" in await w.errors(PAIR, DIRECTOR, d=director, c=child)
        assert "outside your regions" in await w.errors(PAIR, OTHER_STAFF, d=director, c=child)
        far = gid("Director", "t-dir-3")
        assert "another town" in await w.errors(PAIR, d=far, c=child)
        assert "a Child's id" in await w.errors(PAIR, d=director, c=director)


async def test_assign_a_director_to_a_village_and_a_grid(store: GraphStore) -> None:
    async with care_world(store) as w:
        director = gid("Director", "t-dir-2")
        assign = """mutation($d: ID!, $v: String, $g: ID) {
          assignDirector(directorId: $d, villageCode: $v, gridId: $g, reason: "补充力量") {
            action villageCode } }"""
        data = await w.run(assign, STAFF, d=director, v=VILLAGE)
        assert data["assignDirector"] == {"action": "assign", "villageCode": VILLAGE}
        villages = (await w.run(CHILDREN_OF, d=director))["node"]["villages"]["nodes"]
        assert {v["code"] for v in villages} == {VILLAGE, VILLAGE_2}
        grid = await w.run(assign, STAFF, d=director, g=gid("Grid", "t-grid-1"))
        assert grid["assignDirector"]["villageCode"] == VILLAGE
        assert "exactly one" in await w.errors(assign, STAFF, d=director)
        unassign = """mutation($d: ID!, $v: String) {
          unassignDirector(directorId: $d, villageCode: $v, reason: "调整网格") { action } }"""
        await w.run(unassign, STAFF, d=director, v=VILLAGE)
        villages = (await w.run(CHILDREN_OF, d=director))["node"]["villages"]["nodes"]
        assert {v["code"] for v in villages} == {VILLAGE_2}
        assert "not assigned" in await w.errors(unassign, STAFF, d=director, v=VILLAGE)


async def test_handover_moves_every_child_at_once_and_logs_both_sides(store: GraphStore) -> None:
    async with care_world(store) as w:
        leaving, taking = gid("Director", "t-dir-1"), gid("Director", "t-dir-2")
        # Every child must have a receiver: a partial plan is refused and changes nothing.
        partial = [{"childId": gid("Child", "t-child-1"), "directorId": taking}]
        message = await w.errors(
            HANDOVER, STAFF, **{"from": leaving}, moves=partial, departing=True
        )
        assert "no receiver" in message
        assert len(_ids(await w.run(CHILDREN_OF, d=leaving))) == 2
        # To a director of another town: refused.
        far = gid("Director", "t-dir-3")
        assert "another town" in await w.errors(
            HANDOVER, **{"from": leaving}, to=far, departing=False
        )
        data = await w.run(
            HANDOVER, STAFF, **{"from": leaving}, moves=partial, to=taking, departing=True
        )
        result = data["handOverChildren"]
        assert result["moved"] == 2
        assert result["departed"] is True
        assert _ids(await w.run(CHILDREN_OF, d=leaving)) == set()
        after = await w.run(CHILDREN_OF, d=taking)
        assert _ids(after) == {gid("Child", k) for k in ("t-child-1", "t-child-2", "t-child-3")}
        gone = await w.run(CHILDREN_OF, d=leaving)
        assert gone["node"]["status"] == "departed"
        assert gone["node"]["villages"]["nodes"] == []
        log = (await w.run(LOG, c=gid("Child", "t-child-1")))["node"]["assignments"]["nodes"]
        assert sorted(e["action"] for e in log) == ["handover-from", "handover-to"]
        assert {e["director"]["id"] for e in log} == {leaving, taking}
        assert all(e["reason"] == "儿童主任离任" for e in log)


async def test_coverage_lists_a_vacancy_when_a_village_loses_its_director(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        coverage = """{ coverage(inRegion: "990001001") { villages villagesWithDirector
          towns { vacancies { code } } } }"""
        before = (await w.run(coverage))["coverage"]
        assert (before["villages"], before["villagesWithDirector"]) == (2, 2)
        await w.run(
            HANDOVER,
            STAFF,
            **{"from": gid("Director", "t-dir-2")},
            to=gid("Director", "t-dir-1"),
            departing=True,
        )
        after = (await w.run(coverage))["coverage"]
        assert after["villagesWithDirector"] == 1
        assert [v["code"] for t in after["towns"] for v in t["vacancies"]] == [VILLAGE_2]
