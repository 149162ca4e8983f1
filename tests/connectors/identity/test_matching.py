"""Matching people without a valid ID number: scores, reasons, thresholds, ambiguity."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.identity.matching import (
    AMBIGUITY_MARGIN,
    MERGE_AT,
    REVIEW_AT,
    WEIGHTS,
    Candidate,
    decide,
    score,
)

XI_NI = "370481001205"  # 荆河街道 西倪村
DONG_NI = "370481001204"  # 荆河街道 东倪村 (same town)
GUAN_QIAO = "370481110201"  # 官桥镇, another town


def person(
    name: str | None,
    birth: str | None = "2012-08-15",
    village: str | None = XI_NI,
    gender: str | None = "male",
    *,
    id: str = "c1",
    id_number: str | None = None,
) -> Candidate:
    return Candidate(id, name, birth, village, gender, id_number)


def test_weights_sum_to_one_and_thresholds_are_ordered() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert 0 < REVIEW_AT < MERGE_AT <= 1


def test_everything_equal_is_certain() -> None:
    found = score(person("王晓明"), person("王晓明 "))
    assert found.confidence == 1.0
    assert found.reasons == ["name equal", "birth date equal", "village equal", "gender equal"]


def test_a_homophone_with_birth_date_and_village_matches() -> None:
    found = score(person("王晓明", gender=None), person("王小明", gender=None))
    assert found.reasons == ["name homophone (wang xiao ming)", "birth date equal", "village equal"]
    assert found.confidence >= MERGE_AT
    decision = decide(person("王小明", id="record"), [person("王晓明", id="child-1")])
    assert decision.outcome == "match"
    assert decision.candidate is not None
    assert decision.candidate.id == "child-1"


@pytest.mark.parametrize(
    ("known", "typed"),
    [
        ("王晓明", "Wang Xiaoming"),  # pinyin-typed
        ("阿依古丽·买买提", "阿依古丽买买提"),  # dot left out
        ("阿依古丽·买买提", "阿依古丽•买买提"),
        ("迪丽娜尔·艾力", "Dilinaer Aili"),
        ("张静怡", "张婧怡"),  # homophone
        ("孙胜利", "孙森丽"),  # dialect, everything else equal (gender included)
    ],
)
def test_same_child_spelt_differently_is_matched(known: str, typed: str) -> None:
    decision = decide(person(typed, id="record"), [person(known, id="child-1")])
    assert decision.outcome == "match", decision.reasons


def test_a_dialect_spelling_without_gender_goes_to_review() -> None:
    found = score(person("张晓明", gender=None), person("臧晓明", gender=None))
    assert REVIEW_AT <= found.confidence < MERGE_AT
    assert found.reasons[0] == "name alike in dialect pinyin (zhang/zang xiao ming)"


def test_same_name_other_birth_date_is_another_child() -> None:
    # Two 王浩宇 in one village, born three years apart: common, and not one child.
    found = score(person("王浩宇", "2012-08-15"), person("王浩宇", "2015-03-02"))
    assert found.confidence < REVIEW_AT
    assert "birth date differs (2012-08-15 / 2015-03-02)" in found.reasons
    decision = decide(person("王浩宇", "2015-03-02"), [person("王浩宇", "2012-08-15")])
    assert decision.outcome == "new"
    assert decision.candidate is None


@pytest.mark.parametrize(
    ("known", "typed"),
    [
        ("2012-08-15", "2012-08-16"),  # one digit
        ("2012-08-15", "2021-08-15"),  # two year digits swapped
        ("2012-03-05", "2012-05-03"),  # month and day swapped
        ("2012-08-15", "2013-08-15"),  # the year one off in one digit
    ],
)
def test_a_birth_date_typing_slip_goes_to_review_at_best(known: str, typed: str) -> None:
    found = score(person("王晓明", known), person("王晓明", typed))
    assert REVIEW_AT <= found.confidence < MERGE_AT
    assert any(r.startswith("birth date close") for r in found.reasons)


def test_different_gender_never_auto_merges() -> None:
    found = score(person("王子涵", gender="male"), person("王子涵", gender="female"))
    assert REVIEW_AT <= found.confidence < MERGE_AT
    assert "gender differs (male / female)" in found.reasons


def test_gender_codes_and_chinese_are_understood() -> None:
    assert score(person("王晓明", gender="男"), person("王晓明", gender="1")).confidence == 1.0
    assert "gender equal" in score(person("李静", gender="女"), person("李静", gender="F")).reasons


def test_missing_evidence_does_not_count_as_agreement() -> None:
    no_birth = score(person("王晓明"), person("王晓明", birth=None))
    assert "birth date unknown" in no_birth.reasons
    assert REVIEW_AT <= no_birth.confidence < MERGE_AT
    no_village = score(person("王晓明"), person("王晓明", village=None))
    assert "village unknown" in no_village.reasons
    assert REVIEW_AT <= no_village.confidence < MERGE_AT
    no_name = score(person("王晓明"), person(None))
    assert "name unknown" in no_name.reasons
    assert no_name.confidence < REVIEW_AT


def test_village_in_the_same_town_counts_partly() -> None:
    same_town = score(person("王晓明"), person("王晓明", village=DONG_NI))
    other_town = score(person("王晓明"), person("王晓明", village=GUAN_QIAO))
    assert "same town, other village" in same_town.reasons
    assert "village differs" in other_town.reasons
    assert same_town.confidence > other_town.confidence
    assert other_town.confidence < MERGE_AT


def test_twins_with_similar_names_are_not_merged() -> None:
    # 王晓明 and 王晓亮: same birth date, village and gender, two syllables in common.
    decision = decide(person("王晓亮", id="record"), [person("王晓明", id="child-1")])
    assert decision.outcome == "review"
    assert decision.reasons[0].startswith("name partly alike")


def test_unrelated_people_are_new() -> None:
    decision = decide(
        person("刘梓萱", "2016-01-09", GUAN_QIAO, "female", id="record"),
        [person("王晓明", id="child-1"), person("李建国", "2011-02-03", id="child-2")],
    )
    assert decision.outcome == "new"
    assert decision.reasons[0] == "best candidate too weak"


def test_no_candidates_is_new() -> None:
    decision = decide(person("王晓明"), [])
    assert (decision.outcome, decision.candidate, decision.reasons) == (
        "new",
        None,
        ["no candidate"],
    )


def test_the_best_candidate_wins() -> None:
    decision = decide(
        person("王小明", id="record"),
        [
            person("王晓明", "2012-08-16", id="child-slip"),  # birth date slip: review level
            person("王晓明", id="child-right"),
            person("王晓明", "2009-01-01", id="child-other"),
        ],
    )
    assert decision.outcome == "match"
    assert decision.candidate is not None
    assert decision.candidate.id == "child-right"
    assert [c.id for c, _ in decision.alternatives] == ["child-slip"]


def test_two_close_candidates_go_to_review_not_merge() -> None:
    # 王晓明 and 王小明 are both in the graph (a duplicate already): which one is it?
    decision = decide(
        person("王筱明", id="record"),
        [person("王晓明", id="child-1"), person("王小明", id="child-2")],
    )
    assert decision.outcome == "review"
    assert decision.confidence >= MERGE_AT
    assert (
        decision.reasons[-1]
        == f"ambiguous: 2 candidates within {AMBIGUITY_MARGIN} (child-1, child-2)"
    )
    assert [c.id for c, _ in decision.alternatives] == ["child-2"]


def test_a_clear_winner_is_not_ambiguous() -> None:
    decision = decide(
        person("王晓明", id="record"),
        [person("王晓明", id="child-1"), person("王晓明", birth=None, id="child-2")],
    )
    assert decision.outcome == "match"
    assert decision.candidate is not None
    assert decision.candidate.id == "child-1"


def test_valid_id_numbers_decide_alone() -> None:
    same = score(
        person("王晓明", id_number="370481201208150046"),
        person("Wang Xiaoming", birth=None, village=None, id_number="370481-20120815-0046"),
    )
    assert (same.confidence, same.reasons) == (1.0, ["ID number equal"])
    other = score(
        person("王晓明", id_number="370481201208150046"),
        person("王晓明", id_number="370481201005031231"),
    )
    assert (other.confidence, other.reasons) == (0.0, ["ID numbers differ"])


def test_an_invalid_id_number_is_ignored_but_a_valid_one_fills_gaps() -> None:
    # The record's number fails its checksum: the other evidence decides.
    found = score(person("王晓明"), person("王晓明", id_number="370481201208150047"))
    assert found.confidence == 1.0
    # The candidate has only an ID number: birth date and gender come from it.
    from_id = score(
        person("李静", birth=None, gender=None, id_number="370481201208150046"),
        person("李静", "2012-08-15", gender="female"),
    )
    assert from_id.reasons == ["name equal", "birth date equal", "village equal", "gender equal"]


def test_dates_may_be_given_as_date_objects_or_timestamps() -> None:
    found = score(
        Candidate("c1", "王晓明", date(2012, 8, 15), XI_NI),
        Candidate("r", "王晓明", "2012-08-15T00:00:00", XI_NI),
    )
    assert "birth date equal" in found.reasons
    bad = score(Candidate("c1", "王晓明", "2012年8月15日", XI_NI), person("王晓明"))
    assert "birth date unknown" in bad.reasons
