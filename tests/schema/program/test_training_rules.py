"""The rotation (轮训), certification and scoring rules, as pure functions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schema.program.training_rules import (
    Result,
    TrainingRulesError,
    add_months,
    certification,
    default_rules,
    load_rules,
    rotation,
    score_answers,
)

RULES = default_rules()
TODAY = dt.date(2026, 5, 28)


def test_the_shipped_rules_name_the_three_rotation_topics() -> None:
    assert RULES.keys == ("走访核查", "强制报告", "链接政策资源")
    assert RULES.cycle_months == 12
    assert RULES.required("走访核查实务") == "走访核查"
    assert RULES.required("心理疏导") is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
        (dt.date(2026, 5, 28), 12, dt.date(2027, 5, 28)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_scores_count_right_answers_against_the_key() -> None:
    scored = score_answers(["a", "B", "", "D", "C"], list("ABCDA"), max_score=100, pass_score=60)
    assert (scored.correct, scored.total, scored.score, scored.passed) == (3, 5, 60.0, True)
    failed = score_answers(["B"] * 3, list("ABC"), max_score=100, pass_score=60)
    assert (failed.correct, failed.score, failed.passed) == (1, 33.3, False)
    with pytest.raises(ValueError, match="one answer per question"):
        score_answers(["A"], list("AB"), max_score=100, pass_score=60)


def test_rotation_is_overdue_a_cycle_after_the_last_session() -> None:
    states = {
        s.topic: s
        for s in rotation(
            [
                ("走访核查实务", "2026-05-01"),
                ("走访核查", "2025-06-01"),
                ("强制报告", "2025-05-28"),
                ("链接政策资源", "2026-12-01"),  # scheduled, not held yet
                ("心理疏导", "2026-01-01"),
            ],
            TODAY,
            RULES,
        )
    }
    visits = states["走访核查"]
    assert (visits.last_trained, visits.due_on, visits.overdue) == (
        dt.date(2026, 5, 1),
        dt.date(2027, 5, 1),
        False,
    )
    assert states["强制报告"].overdue
    assert states["强制报告"].due_on == TODAY
    assert states["链接政策资源"].overdue
    assert states["链接政策资源"].last_trained is None
    soon = rotation([("强制报告", "2025-06-20")], TODAY, RULES)[1]
    assert soon.due_soon
    assert not soon.overdue


def _result(topic: str, day: dt.date, passed: bool = True) -> Result:
    return Result(topic=topic, taken_on=day, passed=passed, score=80.0 if passed else 40.0)


def test_certified_with_a_valid_pass_on_every_topic_expiring_with_the_oldest() -> None:
    results = [
        _result("走访核查", dt.date(2025, 9, 1)),
        _result("强制报告", dt.date(2026, 3, 1)),
        _result("强制报告", dt.date(2026, 4, 1), passed=False),
        _result("链接政策资源", dt.date(2026, 1, 10)),
    ]
    state = certification(results, TODAY, RULES)
    assert state.status == "certified"
    assert state.certified_on == dt.date(2026, 3, 1)
    assert state.expires_on == dt.date(2026, 9, 1)
    assert state.missing == []


def test_expired_when_a_pass_is_older_than_the_cycle_and_not_certified_when_missing() -> None:
    results = [
        _result("走访核查", dt.date(2025, 5, 1)),
        _result("强制报告", dt.date(2026, 3, 1)),
        _result("链接政策资源", dt.date(2026, 1, 10)),
    ]
    expired = certification(results, TODAY, RULES)
    assert (expired.status, expired.missing, expired.expires_on) == ("expired", ["走访核查"], None)
    missing = certification(results[1:], TODAY, RULES)
    assert (missing.status, missing.missing) == ("not_certified", ["走访核查"])
    failed = certification([_result("走访核查", TODAY, passed=False)], TODAY, RULES)
    assert failed.status == "not_certified"
    assert failed.topics == []


def test_a_broken_rules_file_is_refused_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        "cycle_months = 0\ndue_soon_days = 30\nmax_score = 100\npass_score = 60\n"
        "min_questions = 5\nmax_questions = 50\n[[topics]]\nkey = 'x'\nname = 'x'\n",
        encoding="utf-8",
    )
    with pytest.raises(TrainingRulesError, match="cycle_months"):
        load_rules(bad)
    bad.write_text("not toml [", encoding="utf-8")
    with pytest.raises(TrainingRulesError, match="not valid TOML"):
        load_rules(bad)
