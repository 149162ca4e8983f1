"""Verifying screening flags through GraphQL: who may, what a decision records and changes."""

from __future__ import annotations

import json
from typing import Any

from graph import GraphStore
from graph.model import NODES
from graph.queries import bulk, meta
from graph.queries.catalog import CATALOG
from schema.care.screening import run_screening
from schema.care.screening_rules import load_rules
from tests.support.care_world import (
    CITY_ADMIN,
    DIRECTOR,
    DIRECTOR_2,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    TOWN,
    VILLAGE,
    World,
    care_world,
    gid,
)
from tests.support.principals import partner

VERIFY = """
mutation($id: ID!, $outcome: ScreeningOutcome!, $category: String, $reasons: [String!]!) {
  verifyScreening(id: $id, outcome: $outcome, category: $category, reasons: $reasons) {
    id recordId version outcome category reasons decidedBy decidedAt signals ruleVersion
    dueDate child { id } director { id }
  }
}"""
PENDING = """
{ screenings(first: 20, filter: {outcome: {eq: "pending"}}) {
  nodes { id outcome category dueDate reasons child { id } director { id } } } }"""
CHILD = """
query($id: ID!) { node(id: $id) { ... on Child { categories primaryCategory foundBy
  categoryChanges(first: 10) { nodes { categories primaryCategory previous reason actor } } } } }"""
RUN = "mutation { runScreening { ruleVersion childrenChecked flagged alreadyOpen unassigned } }"

#: A child in care with no category yet, paired with the first director.
NEW_CHILD = "t-scr-child"


def _node(id_: str, **props: Any) -> dict[str, Any]:
    return {"id": id_, "props": {"source": "test", **props}}


def _rel(start: str, end: str, **props: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "props": {"source": "test", **props}}


async def _families(store: GraphStore) -> None:
    """Parents as the household registry gives them, for three of the world's children."""
    await store.write_rows(
        bulk.node_upsert("Child"),
        [_node(NEW_CHILD, name="小强", villageCode=VILLAGE, status="active")],
    )
    await store.write_rows(
        bulk.rel_upsert("Director", "PAIRED_WITH", "Child"), [_rel("t-dir-1", NEW_CHILD)]
    )
    parents = [
        ("t-g-3f", "t-child-3", "父亲", "服刑"),
        ("t-g-3m", "t-child-3", "母亲", "外出务工（上海市）"),
        ("t-g-1m", "t-child-1", "母亲", "失联"),
        ("t-g-4f", NEW_CHILD, "父亲", "死亡"),
    ]
    await store.write_rows(
        bulk.node_upsert("Guardian"),
        [_node(g, relation=rel, whereabouts=where) for g, _, rel, where in parents],
    )
    await store.write_rows(
        bulk.rel_upsert("Guardian", "GUARDIAN_OF", "Child"),
        [_rel(g, child, relation=rel) for g, child, rel, _ in parents],
    )


async def _screen(w: World) -> dict[str, str]:
    """Run the screening over the world's children: child id → its flag's id."""
    children = ["t-child-1", "t-child-2", "t-child-3", NEW_CHILD]
    report = await run_screening(
        w.store, load_rules(), now_ms=int(w.clock_s * 1000), child_ids=children
    )
    assert report.flagged == 3, report
    flags = await w.run(PENDING, CITY_ADMIN)
    return {n["child"]["id"]: n["id"] for n in flags["screenings"]["nodes"]}


async def _stored(store: GraphStore, key: str) -> dict[str, Any]:
    everything = frozenset(NODES["Screening"].all_properties)
    [row] = await store.read(CATALOG.by_id("Screening", everything), {"ids": [key]})
    return dict(row["node"])


async def test_the_assigned_director_confirms_as_a_new_version(store: GraphStore) -> None:
    async with care_world(store) as w:
        await _families(store)
        flags = await _screen(w)
        flag = flags[gid("Child", "t-child-3")]
        # The director's open tasks: the flag on their paired child, with its reasons.
        tasks = (await w.run(PENDING, DIRECTOR_2))["screenings"]["nodes"]
        assert [t["id"] for t in tasks] == [flag]
        assert tasks[0]["director"] == {"id": gid("Director", "t-dir-2")}
        assert tasks[0]["category"] == "事实无人抚养儿童"
        assert "父亲 whereabouts=服刑 (test)" in tasks[0]["reasons"][0]

        decided = await w.run(
            VERIFY,
            DIRECTOR_2,
            id=flag,
            outcome="CONFIRMED",
            category="事实无人抚养儿童",
            reasons=["入户核实：父亲服刑，母亲外出务工长期失联"],
        )
        new = decided["verifyScreening"]
        old_key = _key(flag)
        assert (new["version"], new["recordId"], new["outcome"]) == (2, old_key, "confirmed")
        assert new["id"] != flag
        assert new["category"] == "事实无人抚养儿童"
        assert new["reasons"] == ["入户核实：父亲服刑，母亲外出务工长期失联"]
        assert new["decidedBy"] == "director"
        assert new["decidedAt"]
        assert new["signals"] == ["parent-imprisoned"]
        assert new["child"] == {"id": gid("Child", "t-child-3")}
        assert new["director"] == {"id": gid("Director", "t-dir-2")}
        # The flag as first recorded is unchanged, only marked superseded.
        old = await _stored(store, old_key)
        assert old["outcome"] == "pending"
        assert old["supersededAt"] is not None
        assert (await _stored(store, _key(new["id"])))["supersededAt"] is None
        assert not (await w.run(PENDING, DIRECTOR_2))["screenings"]["nodes"]
        # The child is in the confirmed category, found by screening, and the log says so.
        child = (await w.run(CHILD, id=gid("Child", "t-child-3")))["node"]
        assert child["categories"] == ["事实无人抚养儿童"]
        assert (child["primaryCategory"], child["foundBy"]) == ("事实无人抚养儿童", "screening")
        changes = child["categoryChanges"]["nodes"]
        assert {(c["actor"], tuple(c["previous"])) for c in changes} == {
            ("screening", ()),
            ("director", ("疑似困境儿童",)),
        }
        # The decision is the hub's version of the child, which later syncs rank first.
        records = [
            n["props"]
            for n in await store.read(meta.DUMP_NODES)
            if n["labels"] == ["SourceRecord"] and n["props"]["id"] == "hub|Child|t-child-3"
        ]
        assert [json.loads(r["props"]) for r in records] == [
            {
                "categories": ["事实无人抚养儿童"],
                "foundBy": "screening",
                "primaryCategory": "事实无人抚养儿童",
            }
        ]
        # Decided once: neither version can be decided again, and a rerun opens nothing.
        again = await w.errors(VERIFY, DIRECTOR_2, id=flag, outcome="CLEARED", reasons=["x"])
        assert "BAD_ARGUMENT" in again
        assert "superseded" in again
        twice = await w.errors(VERIFY, DIRECTOR_2, id=new["id"], outcome="CLEARED", reasons=["x"])
        assert "already decided" in twice
        rerun = await run_screening(
            store, load_rules(), now_ms=int(w.clock_s * 1000) + 1, child_ids=["t-child-3"]
        )
        assert (rerun.flagged, rerun.covered) == (0, 1)  # the category is known now


async def test_cleared_removes_the_suspicion_and_logs_it(store: GraphStore) -> None:
    async with care_world(store) as w:
        await _families(store)
        flags = await _screen(w)
        child_id = gid("Child", NEW_CHILD)
        before = (await w.run(CHILD, id=child_id))["node"]
        assert before["categories"] == ["疑似困境儿童"]

        data = await w.run(
            VERIFY, STAFF, id=flags[child_id], outcome="CLEARED", reasons=["父亲已故，母亲在家照料"]
        )

        assert data["verifyScreening"]["outcome"] == "cleared"
        assert data["verifyScreening"]["version"] == 2
        assert (await _stored(store, _key(flags[child_id])))["supersededAt"] is not None
        after = (await w.run(CHILD, id=child_id))["node"]
        assert (after["categories"], after["primaryCategory"], after["foundBy"]) == ([], None, None)
        latest = [c for c in after["categoryChanges"]["nodes"] if c["actor"] == "station_staff"]
        assert [c["previous"] for c in latest] == [["疑似困境儿童"]]
        assert "cleared" in latest[0]["reason"]
        # The same signals under the same rules do not raise the flag again.
        rerun = await run_screening(
            store, load_rules(), now_ms=int(w.clock_s * 1000) + 1, child_ids=[NEW_CHILD]
        )
        assert (rerun.flagged, rerun.already_decided, rerun.suspected) == (0, 1, 0)
        assert (await w.run(CHILD, id=child_id))["node"]["categories"] == []


async def test_confirming_keeps_a_child_found_by_application_so(store: GraphStore) -> None:
    async with care_world(store) as w:
        await _families(store)
        flags = await _screen(w)
        child_id = gid("Child", "t-child-1")  # 留守儿童, found by application
        missing = await w.errors(
            VERIFY, SUPERVISOR, id=flags[child_id], outcome="CONFIRMED", reasons=["核实"]
        )
        assert "BAD_ARGUMENT" in missing
        assert "category" in missing
        await w.run(
            VERIFY,
            SUPERVISOR,
            id=flags[child_id],
            outcome="CONFIRMED",
            category="事实无人抚养儿童",
            reasons=["母亲失联，父亲服刑"],
        )
        child = (await w.run(CHILD, id=child_id))["node"]
        assert child["categories"] == ["留守儿童", "事实无人抚养儿童"]
        assert (child["primaryCategory"], child["foundBy"]) == ("事实无人抚养儿童", "application")
        # Children found by screening and by application stay apart in the statistics.
        await w.run(
            VERIFY,
            DIRECTOR_2,
            id=flags[gid("Child", "t-child-3")],
            outcome="CONFIRMED",
            category="事实无人抚养儿童",
            reasons=["核实属实"],
        )
        stats = await w.run(
            "query($r: String) { childStats(groupBy: [FOUND_BY], inRegion: $r) { foundBy count } }",
            r=TOWN,
        )
        counts = {b["foundBy"]: b["count"] for b in stats["childStats"]}
        assert counts["application"] == 1
        assert counts["screening"] == 1


async def test_only_the_responsible_may_decide_and_partners_see_nothing(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        await _families(store)
        flags = await _screen(w)
        flag = flags[gid("Child", "t-child-3")]  # assigned to t-dir-2, in 测试镇
        args = {"id": flag, "outcome": "CLEARED", "reasons": ["不属实"]}
        for reader in (DIRECTOR, OTHER_STAFF):
            assert "FORBIDDEN" in await w.errors(VERIFY, reader, **args)
        agency = partner(frozenset({"Child", "Village"}), frozenset())
        for text, variables in ((VERIFY, args), (PENDING, {}), (RUN, {})):
            result = await w.execute(text, agency, **variables)
            assert result.errors
            assert result.errors[0].extensions["code"] == "FORBIDDEN"
            shown = json.dumps(result.data, ensure_ascii=False)
            assert "服刑" not in shown
            assert flag not in shown
        # Nothing was decided by any of them.
        assert (await _stored(store, _key(flag)))["supersededAt"] is None
        # The rules are there for staff, not for partners.
        rules = await w.run("{ screeningRules { version rules { id suggest dueDays } } }", DIRECTOR)
        assert rules["screeningRules"]["version"] == load_rules().version
        assert "FORBIDDEN" in await w.errors("{ screeningRules { version } }", agency)


async def test_run_screening_is_for_center_admins(store: GraphStore) -> None:
    # The run screens every child of the graph: only the world's may be there.
    await store.write(meta.DELETE_ALL_DATA)
    try:
        async with care_world(store) as w:
            assert "FORBIDDEN" in await w.errors(RUN, STAFF)
            await _families(store)
            await run_screening(
                store, load_rules(), now_ms=int(w.clock_s * 1000), child_ids=["t-child-3"]
            )
            run = (await w.run(RUN, CITY_ADMIN))["runScreening"]
            assert run["ruleVersion"] == load_rules().version
            assert (run["childrenChecked"], run["alreadyOpen"]) == (4, 1)
            assert (run["flagged"], run["unassigned"]) == (2, 0)  # t-child-1 and the new child
            again = (await w.run(RUN, CITY_ADMIN))["runScreening"]
            assert (again["flagged"], again["alreadyOpen"]) == (0, 3)
    finally:
        await store.write(meta.DELETE_ALL_DATA)


def _key(global_id: str) -> str:
    from schema.core.ids import from_global_id

    return from_global_id(global_id)[1]
