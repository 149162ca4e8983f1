"""The assessment engine on a small quarter: every part from the data, the total exactly the
weights applied to the parts, explanations naming the data, reruns that write nothing,
corrections when the data changed, and a new formula version beside the old results."""

from __future__ import annotations

import math
from typing import Any

from graph import CountingStore, GraphStore
from graph.queries import bulk
from schema.program.assessment_engine import run_assessment
from tests.support.assessment_world import (
    COUNTY,
    PERIOD,
    assessment_world,
    at_ms,
    gid,
)
from tests.support.care_world import World

ASSESSMENTS = """
query($d: ID!) { node(id: $d) { ... on Director { assessments(first: 10) { nodes {
  id recordId version period examScore visitScore weights { exam visit } total tier explanation
  allowance vocationalAllowance bonus totalAllowance parts formulaVersion subject throughDate
  villageName townName subjectName
  breakdown { key name parent weight score explanation } } } } } }"""
SUPERVISOR = """
query($s: ID!) { node(id: $s) { ... on Supervisor { assessments(first: 10) { nodes {
  period total tier allowance bonus weights { exam visit } explanation
  breakdown { key weight score explanation } } } } } }"""


async def _run(w: World, version: str = "v1") -> dict[str, Any]:
    report = await run_assessment(
        w.store, PERIOD, version, now_ms=int(w.clock_s * 1000), region=COUNTY
    )
    return report.as_json()


async def _of(w: World, director: str) -> list[dict[str, Any]]:
    data = await w.run(ASSESSMENTS, d=gid("Director", director))
    nodes: list[dict[str, Any]] = data["node"]["assessments"]["nodes"]
    return sorted(nodes, key=lambda a: (a["formulaVersion"], a["version"]))


def _parts(a: dict[str, Any]) -> dict[str, float]:
    return {p["key"]: p["score"] for p in a["breakdown"]}


def _exact(a: dict[str, Any]) -> None:
    """The judged line: the total is the weights applied to the parts, exactly."""
    w = a["weights"]
    assert a["total"] == w["exam"] * a["examScore"] + w["visit"] * a["visitScore"]
    top = [p for p in a["breakdown"] if p["parent"] is None]
    assert [p["key"] for p in top] == ["exam", "visit"]
    assert sum(p["weight"] * p["score"] for p in top) == a["total"]
    subs = [p for p in a["breakdown"] if p["parent"] == "visit"]
    assert math.isclose(sum(p["weight"] for p in subs), 1.0)
    # The visit score is its parts' weighted sum, to 0.1 (moved by hundredths at most).
    assert abs(sum(p["weight"] * p["score"] for p in subs) - a["visitScore"]) <= 0.1


async def test_each_part_is_computed_from_the_data_and_explained(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        report = await _run(w)
        assert report["directors"] == 3
        assert report["supervisors"] == 1
        assert (report["created"], report["corrected"], report["unchanged"]) == (4, 0, 0)
        assert report["through"] == "2026-06-30"
        (a,) = await _of(w, "t-dir-1")
        _exact(a)
        assert _parts(a) == {
            "exam": 85.0,
            "visit": a["visitScore"],
            "visit.coverage": 62.5,
            "visit.timeliness": 66.7,
            "visit.validity": 62.5,
            "visit.followUp": 50.0,
            "visit.reports": 50.0,
        }
        assert abs(a["visitScore"] - 60.6) <= 0.05
        assert abs(a["total"] - 70.36) <= 0.05
        assert (a["weights"], a["tier"]) == ({"exam": 0.4, "visit": 0.6}, "C")
        assert (a["allowance"], a["vocationalAllowance"], a["bonus"]) == (1200, 300, 1000)
        assert a["totalAllowance"] == 1500
        assert (a["period"], a["formulaVersion"], a["subject"]) == (PERIOD, "v1", "director")
        assert (a["throughDate"], a["villageName"], a["townName"]) == (
            "2026-06-30",
            "东村",
            "测试镇",
        )
        lines = {p["key"]: p["explanation"] for p in a["breakdown"]}
        assert a["parts"] == [p["explanation"] for p in a["breakdown"]]
        # Each part's line names the data behind it.
        assert "本期考试2次（80、90分）" in lines["exam"]
        assert (
            "结对儿童2名（按月走访1名、按季走访1名），应访4次，已访3次，折算2.5次"
            in (lines["visit.coverage"])
        )
        assert "计入的走访3次，其中2次" in lines["visit.timeliness"]
        assert "本期走访4次，证据核查存疑2次" in lines["visit.validity"]
        assert "未通过1次不计、未审核1次按0.5次计" in lines["visit.validity"]
        assert (
            "发现风险3次，1次在30天内有服务或强制报告跟进，1次未跟进，1次尚在"
            in (lines["visit.followUp"])
        )
        assert "本人强制报告1次，所结对儿童由他人报告1次" in lines["visit.reports"]
        assert a["explanation"].startswith("2026Q2（公式v1）：学习考试85分×0.4＋走访成效")
        assert "评定C档；季度津贴1200元，持证职业津贴300元（社会工作师）" in a["explanation"]
        for line in lines.values():
            assert line in a["explanation"]


async def test_nothing_due_and_no_exam_and_the_fallback_exam(store: GraphStore) -> None:
    async with assessment_world(store) as w:
        await _run(w)
        (idle,) = await _of(w, "t-dir-2")
        _exact(idle)
        assert _parts(idle)["visit.coverage"] == 0.0
        assert (idle["examScore"], idle["total"], idle["tier"]) == (0.0, 12.0, "D")
        assert (idle["allowance"], idle["vocationalAllowance"], idle["bonus"]) == (900, 0, 0)
        assert "无考试成绩" in idle["explanation"]
        (far,) = await _of(w, "t-dir-3")
        _exact(far)
        assert (far["examScore"], far["visitScore"], far["total"], far["tier"]) == (
            70.0,
            100.0,
            88.0,
            "B",
        )
        assert "沿用此前最近一次（2026-02-01）的成绩" in far["explanation"]


async def test_a_supervisor_is_assessed_on_their_directors_and_supervision(
    store: GraphStore,
) -> None:
    async with assessment_world(store) as w:
        await _run(w)
        data = await w.run(SUPERVISOR, s=gid("Supervisor", "t-sup-1"))
        (a,) = data["node"]["assessments"]["nodes"]
        parts = {p["key"]: p for p in a["breakdown"]}
        assert [p["score"] for p in parts.values()][1:] == [66.7, 50.0]
        assert abs(parts["directors"]["score"] - 41.2) <= 0.05
        assert a["total"] == sum(p["weight"] * p["score"] for p in a["breakdown"])
        assert (a["tier"], a["allowance"], a["bonus"]) == ("D", 1500, 0)
        assert a["weights"] == {"exam": None, "visit": None}
        assert "儿童主任2名" in parts["directors"]["explanation"]
        assert "记录台账问题2条" in parts["ledger"]["explanation"]
        assert (
            "到期整改3项，按期完成1项，逾期完成1项（按0.5项计），未完成1项"
            in (parts["rectification"]["explanation"])
        )


async def test_a_rerun_writes_nothing_and_changed_data_makes_a_new_version(
    store: GraphStore,
) -> None:
    async with assessment_world(store) as w:
        await _run(w)
        (first,) = await _of(w, "t-dir-1")
        counting = CountingStore(store)
        again = await run_assessment(
            counting, PERIOD, "v1", now_ms=int(w.clock_s * 1000), region=COUNTY
        )
        assert (again.created, again.corrected, again.unchanged) == (0, 0, 4)
        # Nine reads and the current assessments; nothing to write, so no write.
        assert counting.round_trips == 10
        # A supervisor accepts the flagged June visit: t-dir-1's inputs changed, and with
        # them their supervisor's (the directors' mean).
        await store.write_rows(
            bulk.node_upsert("VisitReview"),
            [
                {
                    "id": "t-review-2",
                    "props": {
                        "source": "test",
                        "decision": "accepted",
                        "reviewedAt": at_ms(7, 5),
                        "recordId": "t-review-2",
                        "version": 1,
                    },
                }
            ],
        )
        await store.write_rows(
            bulk.rel_upsert("VisitReview", "OF", "Visit"),
            [{"start": "t-review-2", "end": "t-v4", "props": {"source": "test"}}],
        )
        changed = await _run(w)
        assert (changed["created"], changed["corrected"], changed["unchanged"]) == (0, 2, 2)
        (now,) = await _of(w, "t-dir-1")  # lists show the current version only
        assert (now["recordId"], now["version"]) == (first["recordId"], 2)
        assert _parts(now)["visit.coverage"] == 75.0  # June's visit counts in full
        assert now["total"] > first["total"]
        _exact(now)
        old = await w.run(
            "query($id: ID!) { node(id: $id) { ... on Assessment { total version } } }",
            id=first["id"],
        )
        assert old["node"] == {"total": first["total"], "version": 1}
        assert (await _run(w))["unchanged"] == 4


async def test_a_new_formula_version_writes_new_results_beside_the_old(
    store: GraphStore,
) -> None:
    async with assessment_world(store) as w:
        await _run(w)
        (v1,) = await _of(w, "t-dir-1")
        report = await _run(w, "v2")
        assert (report["created"], report["corrected"], report["unchanged"]) == (4, 0, 0)
        old, new = await _of(w, "t-dir-1")
        assert old == v1  # untouched
        assert (new["formulaVersion"], new["version"], new["weights"]) == (
            "v2",
            1,
            {"exam": 0.3, "visit": 0.7},
        )
        _exact(new)
        assert new["recordId"] != old["recordId"]
        # v2 weighs validity more, grades the vocational allowance and has C from 65.
        assert (new["tier"], new["allowance"], new["vocationalAllowance"], new["bonus"]) == (
            "C",
            1200,
            500,
            800,
        )
        assert (await _run(w, "v2"))["unchanged"] == 4
        assert (await _run(w, "v1"))["unchanged"] == 4
