"""Appeals: the director assessed appeals, a center admin other than them decides; an upheld
appeal is a corrected version of the assessment (a new total, or the data counted again)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graph import GraphStore
from schema.access import Role
from schema.core.ids import from_global_id
from schema.program.assessment_engine import run_assessment
from tests.support.assessment_world import COUNTY, PERIOD, assessment_world, at_ms, gid, visit
from tests.support.care_world import CITY_ADMIN, DIRECTOR, DIRECTOR_2, STAFF, World
from tests.support.principals import user

APPEAL = """mutation($id: ID!, $reason: String!) {
  appealAssessment(id: $id, reason: $reason) {
    id status outcome reason period assessment { id } } }"""
DECIDE = """mutation($id: ID!, $outcome: AppealOutcome!, $note: String!, $total: Float) {
  decideAppeal(id: $id, outcome: $outcome, note: $note, newTotal: $total) {
    id status outcome note newTotal decidedBy version recordId correctedId
    assessment { id version recordId total tier allowance bonus examScore visitScore
                 weights { exam visit } explanation appealId
                 appeals(first: 5) { nodes { outcome } } } } }"""
MINE = """query($d: ID!) { node(id: $d) { ... on Director { assessments(first: 5) {
  nodes { id version total appeals(first: 5) { nodes { status outcome } } } } } } }"""
PENDING = """{ assessmentAppeals(first: 5, filter: { status: { eq: "pending" } }) {
  totalCount nodes { reason } } }"""
REASON = "六月的走访已经督导审核通过，应计入覆盖"


def waiting_reason(data: dict[str, Any]) -> list[str]:
    return [n["reason"] for n in data["assessmentAppeals"]["nodes"]]


async def _assessed(w: World) -> str:
    await run_assessment(w.store, PERIOD, now_ms=int(w.clock_s * 1000), region=COUNTY)
    data = await w.run(MINE, d=gid("Director", "t-dir-1"))
    (node,) = data["node"]["assessments"]["nodes"]
    return str(node["id"])


async def _appeal(w: World, assessment: str) -> dict[str, Any]:
    data = await w.run(APPEAL, DIRECTOR, id=assessment, reason=REASON)
    return dict(data["appealAssessment"])


async def test_the_director_appeals_and_a_rejection_changes_nothing(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        assessment = await _assessed(w)
        appeal = await _appeal(w, assessment)
        assert (appeal["status"], appeal["outcome"], appeal["period"]) == ("pending", None, PERIOD)
        assert appeal["assessment"]["id"] == assessment
        # One appeal at a time; only the person assessed; only with a reason.
        assert "waiting for its decision" in await w.errors(
            APPEAL, DIRECTOR, id=assessment, reason=REASON
        )
        assert "FORBIDDEN" in await w.errors(APPEAL, DIRECTOR_2, id=assessment, reason=REASON)
        assert "FORBIDDEN" in await w.errors(APPEAL, STAFF, id=assessment, reason=REASON)
        # Waiting for a decision: the center lists it; the director sees their own only.
        for reader, count in ((CITY_ADMIN, 1), (DIRECTOR, 1), (DIRECTOR_2, 0)):
            waiting = (await w.run(PENDING, reader))["assessmentAppeals"]
            assert waiting["totalCount"] == count
        assert waiting_reason(await w.run(PENDING)) == [REASON]
        decided = (
            await w.run(DECIDE, id=appeal["id"], outcome="REJECTED", note="审核在考核期之后")
        )["decideAppeal"]
        assert (decided["status"], decided["outcome"], decided["version"]) == (
            "decided",
            "rejected",
            2,
        )
        assert decided["recordId"] == from_global_id(appeal["id"])[1]
        assert decided["decidedBy"] == "center_admin:admin"
        assert decided["correctedId"] is None
        assert decided["assessment"]["id"] == assessment  # unchanged, still current
        assert decided["assessment"]["version"] == 1
        assert [a["outcome"] for a in decided["assessment"]["appeals"]["nodes"]] == ["rejected"]
        assert "decided already" in await w.errors(
            DECIDE, id=appeal["id"], outcome="UPHELD", note="再议"
        )
        # Decided, the director may appeal again.
        assert (await _appeal(w, assessment))["status"] == "pending"


async def test_an_upheld_appeal_with_a_new_total_is_a_corrected_version(
    store: GraphStore,
) -> None:
    async with assessment_world(store) as w:
        assessment = await _assessed(w)
        appeal = await _appeal(w, assessment)
        # The admin deciding may not be the appellant.
        same = replace(CITY_ADMIN, subject=user(Role.DIRECTOR, ()).subject)
        assert "FORBIDDEN" in await w.errors(
            DECIDE, same, id=appeal["id"], outcome="UPHELD", note="同意", total=82.0
        )
        assert "FORBIDDEN" in await w.errors(
            DECIDE, STAFF, id=appeal["id"], outcome="UPHELD", note="同意", total=82.0
        )
        assert "between" in await w.errors(
            DECIDE, id=appeal["id"], outcome="UPHELD", note="同意", total=99.5
        )
        assert "upheld appeal only" in await w.errors(
            DECIDE, id=appeal["id"], outcome="REJECTED", note="不同意", total=82.0
        )
        decided = (
            await w.run(DECIDE, id=appeal["id"], outcome="UPHELD", note="核实后同意", total=82.0)
        )["decideAppeal"]
        fixed = decided["assessment"]
        assert decided["outcome"] == "upheld"
        assert decided["newTotal"] == 82.0
        assert fixed["id"] != assessment
        assert fixed["id"] == gid("Assessment", decided["correctedId"])
        assert fixed["version"] == 2
        assert abs(fixed["total"] - 82.0) <= 0.01
        w_ = fixed["weights"]
        assert fixed["total"] == w_["exam"] * fixed["examScore"] + w_["visit"] * fixed["visitScore"]
        assert fixed["examScore"] == 85.0  # the visit score moved
        assert (fixed["tier"], fixed["allowance"], fixed["bonus"]) == ("B", 1500, 2000)
        assert "申诉维持" in fixed["explanation"]
        assert "核实后同意" in fixed["explanation"]
        assert fixed["appealId"] == from_global_id(appeal["id"])[1]
        assert [a["outcome"] for a in fixed["appeals"]["nodes"]] == ["upheld"]
        # The director's list shows the corrected version; a rerun on unchanged data keeps it.
        mine = (await w.run(MINE, d=gid("Director", "t-dir-1")))["node"]["assessments"]["nodes"]
        assert [(a["id"], a["version"]) for a in mine] == [(fixed["id"], 2)]
        again = await run_assessment(
            store, PERIOD, now_ms=int(w.clock_s * 1000) + 86_400_000, region=COUNTY
        )
        assert again.corrected == 0
        # The superseded version can no longer be appealed.
        assert "superseded" in await w.errors(APPEAL, DIRECTOR, id=assessment, reason=REASON)


async def test_an_upheld_appeal_without_a_total_counts_the_data_again(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        assessment = await _assessed(w)
        before = (await w.run(MINE, d=gid("Director", "t-dir-1")))["node"]["assessments"]
        total = before["nodes"][0]["total"]
        appeal = await _appeal(w, assessment)
        # The May visit was recorded late: it is on the platform now.
        await visit(store, "t-v5", "t-child-2", "t-dir-1", at_ms(5, 28))
        decided = (
            await w.run(DECIDE, id=appeal["id"], outcome="UPHELD", note="补录的五月走访属实")
        )["decideAppeal"]
        fixed = decided["assessment"]
        assert fixed["version"] == 2
        assert fixed["total"] > total
        assert "按现有数据重新计算" in fixed["explanation"]
        # A rerun keeps the director's corrected version (its data is what it counted);
        # their supervisor, whose directors' mean moved, gets a new version.
        again = await run_assessment(store, PERIOD, now_ms=int(w.clock_s * 1000), region=COUNTY)
        assert (again.corrected, again.created) == (1, 0)
        mine = (await w.run(MINE, d=gid("Director", "t-dir-1")))["node"]["assessments"]["nodes"]
        assert [a["version"] for a in mine] == [2]
        w_ = fixed["weights"]
        assert fixed["total"] == w_["exam"] * fixed["examScore"] + w_["visit"] * fixed["visitScore"]
