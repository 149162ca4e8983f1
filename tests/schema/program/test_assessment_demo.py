"""The city demo's year of assessments, read back from the graph: computed by the engine
(the engine finds the same inputs in the graph), totals exactly the weights applied to the
parts after the round trip through FalkorDB, and the contract query of ``Director``."""

from __future__ import annotations

import datetime as dt

from graph import CountingStore, GraphStore
from graph.queries import assessment as q
from schema import Context, build_schema
from schema.program.assessment_engine import compute, gather
from schema.program.assessment_facts import Period
from schema.program.assessment_formula import load_formula
from tests.support.principals import ADMIN

SCHEMA = build_schema()
CONTRACT = """
query($after: String) { directors(first: 50, after: $after, inRegion: "370481001") {
  pageInfo { hasNextPage endCursor }
  nodes { name assessments(first: 10) { nodes {
    period examScore visitScore weights { exam visit } total tier explanation
    allowance bonus vocationalAllowance parts appeals(first: 1) { totalCount } } } } } }"""


async def test_the_demo_assessments_are_what_the_engine_computes(demo_store: GraphStore) -> None:
    formula = load_formula("v1")
    # As the demo computed 2026Q1: five days after the quarter (its inputs, not the day, count).
    period = Period.of("2026Q1", dt.date(2026, 4, 5))
    counting = CountingStore(demo_store)
    rows = await gather(counting, period, formula, "370481")
    assert counting.round_trips == 9
    directors, supervisors = compute(rows, period, formula)
    stored = await demo_store.read(
        q.EXISTING, {"period": "2026Q1", "version": "v1", "region": "370481"}
    )
    assert len(stored) == len(directors) + len(supervisors) == 1351
    hashes = {str(r["subject"]): r["inputsHash"] for r in stored}
    assert {s.subject.id: s.inputs_hash for s in (*directors, *supervisors)} == hashes


async def test_the_contract_holds_exactly_after_the_graph(demo_store: GraphStore) -> None:
    after = None
    seen = 0
    while True:
        context = Context(demo_store, principal=ADMIN)
        result = await SCHEMA.execute(
            CONTRACT, variable_values={"after": after}, context_value=context
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        page = result.data["directors"]
        for director in page["nodes"]:
            found = director["assessments"]["nodes"]
            assert sorted(a["period"] for a in found) == [f"2026Q{n}" for n in (1, 2, 3, 4)]
            for a in found:
                w = a["weights"]
                assert a["total"] == w["exam"] * a["examScore"] + w["visit"] * a["visitScore"]
                assert len(a["parts"]) == 7
                assert all(line in a["explanation"] for line in a["parts"])
                assert a["allowance"] in (900, 1200, 1500, 1800)
                assert a["appeals"] == {"totalCount": 0}
            seen += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen > 40
