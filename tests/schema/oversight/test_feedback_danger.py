"""Danger disclosures: urgent at once, a mandatory report for those on duty, out of the queue."""

from __future__ import annotations

import pytest

from graph import GraphStore
from schema.oversight.feedback_danger import danger_words_in, situation_of
from schema.oversight.feedback_rules import DEFAULT_DANGER_WORDS
from tests.support.care_world import (
    DIRECTOR,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    TOWN,
    VILLAGE,
)
from tests.support.feedback_world import (
    STATUS,
    feedback_world,
    key_of_ref,
    one,
    submit,
)
from tests.support.principals import PUBLIC

REPORTS = """{ mandatoryReports(first: 10) { totalCount nodes {
  id status situation reporterRole reporterName reporterContact description villageCode
  dueAt overdue steps(first: 5) { nodes { action actorRole } } } } }"""
DANGER = "村里有个孩子经常被继父打骂，身上有伤，晚上被关在门外。"


async def test_a_danger_disclosure_is_urgent_and_reported_to_those_on_duty(
    store: GraphStore,
) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(
            w,
            kind="CONCERN",
            subject={"villageCode": VILLAGE},
            description=DANGER,
        )
        assert receipt["urgent"] is True
        emergency = receipt["emergency"]
        assert emergency["police"] == "110"
        assert emergency["hotline"] == "12345"
        assert "110" in emergency["message"]
        assert "12345" in emergency["message"]
        # No place in the normal queue: no acceptance deadline.
        assert receipt["acceptBy"] is None
        # The on-duty station staff of the town see the report at once, with its timer.
        reports = (await w.run(REPORTS, STAFF))["mandatoryReports"]
        assert reports["totalCount"] == 1
        report = reports["nodes"][0]
        assert report["status"] == "routed"
        assert report["reporterRole"] == "public"
        assert report["situation"] == "疑似遭受家庭暴力"
        assert report["villageCode"] == VILLAGE
        assert report["description"] == DANGER
        assert (report["reporterName"], report["reporterContact"]) == ("王先生", "13800001234")
        assert report["overdue"] is False
        assert [s["action"] for s in report["steps"]["nodes"]] == ["received", "routed"]
        # Who reported is not for the supervisor; another town sees nothing.
        seen = (await w.run(REPORTS, SUPERVISOR))["mandatoryReports"]["nodes"][0]
        assert (seen["reporterName"], seen["reporterContact"]) == (None, None)
        assert (await w.run(REPORTS, OTHER_STAFF))["mandatoryReports"]["totalCount"] == 0
        # Directors see no report they are not paired with the child of.
        assert (await w.run(REPORTS, DIRECTOR))["mandatoryReports"]["totalCount"] == 0
        # The feedback links to it and is out of the normal queue.
        node = await one(w, await key_of_ref(w, receipt["reference"]))
        assert node is not None
        assert node["urgent"] is True
        assert node["status"] == "reported"
        assert node["mandatoryReport"]["id"] == report["id"]
        assert node["acceptDueDate"] is None
        assert node["acceptedOnTime"] is True
        assert node["replyDueDate"] == "2026-06-03"  # a concern: 5 working days
        assert [s["stage"] for s in node["steps"]["nodes"]] == ["提交", "转强制报告"]
        # The public sees that it was passed on at once, not who handles it.
        status = (
            await w.run(STATUS, PUBLIC, ref=receipt["reference"], code=receipt["accessCode"])
        )["feedbackStatus"]
        assert status["urgent"] is True
        assert status["statusLabel"] == "紧急处理中"
        assert [s["stage"] for s in status["stages"]] == ["提交", "转强制报告"]


async def test_the_explicit_flag_is_enough_and_a_town_subject_scopes_the_report(
    store: GraphStore,
) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(
            w,
            kind="COMPLAINT",
            subject={"townCode": TOWN},
            description="镇上有个孩子情况很不好，请赶快去看看。",
            childInDanger=True,
            anonymous=True,
            contactName=None,
            contactPhone=None,
        )
        assert receipt["urgent"] is True
        report = (await w.run(REPORTS, STAFF))["mandatoryReports"]["nodes"][0]
        assert report["situation"] == "其他严重侵害情形"
        assert report["villageCode"] == TOWN
        assert report["reporterName"] is None
        assert (await w.run(REPORTS, OTHER_STAFF))["mandatoryReports"]["totalCount"] == 0


async def test_ordinary_feedback_files_no_report(store: GraphStore) -> None:
    async with feedback_world(store) as w:
        receipt = await submit(w, kind="SUGGESTION", description="建议周末也开放儿童之家。")
        assert receipt["urgent"] is False
        assert (await w.run(REPORTS, STAFF))["mandatoryReports"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("怀疑孩子被性侵了", "疑似遭受性侵害"),
        ("孩子说不想活了，想轻生", "自杀自残风险"),
        ("邻居家孩子失踪三天了", "失踪或疑似被拐卖"),
        ("孩子经常饿肚子", "严重营养不良"),
        ("孩子被ＯＯ关在屋里", "监护缺失"),
    ],
)
def test_danger_words_suggest_a_situation(text: str, situation: str) -> None:
    found = danger_words_in(text, DEFAULT_DANGER_WORDS)
    assert found
    assert situation_of(found).value == situation


def test_words_are_found_in_full_width_forms_too() -> None:
    assert danger_words_in("Ｘ村孩子被遗弃", ("遗弃",)) == ["遗弃"]
    assert danger_words_in("一切都好", DEFAULT_DANGER_WORDS) == []
