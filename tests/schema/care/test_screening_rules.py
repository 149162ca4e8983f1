"""Screening rules and signals: the rules file validated with errors naming the rule, the
values connectors write mapped to signals, working days counted on China's calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from schema.care.screening import evaluate, flag_id
from schema.care.screening_rules import (
    DEFAULT_RULES,
    RulesError,
    add_working_days,
    load_rules,
    parse_rules,
)
from schema.care.screening_signals import ChildFacts, derive_signals, origins_of, parent_state

GOOD_RULE = 'id = "ok"\ndescription = "fine"\nany = ["school-dropout"]\nsuggest = "困境儿童"\n'


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules.version
    assert [r.id for r in rules.rules][:1] == ["parent-absent"]
    assert load_rules(DEFAULT_RULES) == rules


@pytest.mark.parametrize(
    ("rule", "named", "problem"),
    [
        (
            'id = "bad-signal"\ndescription = "x"\nany = ["parent-on-holiday"]\n'
            'suggest = "困境儿童"\ndue_days = 5\n',
            "rule 'bad-signal' (rules[1]) any.0",
            "parent-deceased",  # the message lists what would do
        ),
        (
            'id = "no-signal"\ndescription = "x"\nsuggest = "困境儿童"\ndue_days = 5\n',
            "rule 'no-signal' (rules[1])",
            "give `all` and/or `any`",
        ),
        (
            'id = "bad-category"\ndescription = "x"\nall = ["low-income"]\n'
            'suggest = "贫困儿童"\ndue_days = 5\n',
            "rule 'bad-category' (rules[1]) suggest",
            "事实无人抚养儿童",
        ),
        (
            'id = "no-due"\ndescription = "x"\nall = ["low-income"]\nsuggest = "困境儿童"\n',
            "rule 'no-due' (rules[1]) due_days",
            "Field required",
        ),
        (
            'id = "typo"\ndescription = "x"\nal = ["low-income"]\nsuggest = "困境儿童"\n'
            "due_days = 5\n",
            "rule 'typo' (rules[1]) al",
            "Extra inputs",
        ),
        (
            'description = "x"\nall = ["low-income"]\nsuggest = "困境儿童"\ndue_days = 5\n',
            "rules[1] id",
            "Field required",
        ),
    ],
)
def test_a_bad_rule_is_refused_by_name(tmp_path: Path, rule: str, named: str, problem: str) -> None:
    text = f'version = "t1"\n[[rules]]\n{GOOD_RULE}due_days = 3\n[[rules]]\n{rule}'
    with pytest.raises(RulesError) as caught:
        load_rules(_file(tmp_path, text))
    message = str(caught.value)
    assert str(tmp_path / "rules.toml") in message
    assert named in message
    assert problem in message
    assert "rules[0]" not in message  # the good rule is not blamed


def test_bad_files_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "missing.toml")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(_file(tmp_path, "version = \n"))
    with pytest.raises(RulesError, match="version"):
        load_rules(_file(tmp_path, f"[[rules]]\n{GOOD_RULE}due_days = 3\n"))
    twice = (
        f'version = "t"\n[[rules]]\n{GOOD_RULE}due_days = 3\n[[rules]]\n{GOOD_RULE}due_days = 4\n'
    )
    with pytest.raises(RulesError, match="rule 'ok' is defined twice"):
        load_rules(_file(tmp_path, twice))


def _facts(*guardians: tuple[str, str], **child: Any) -> ChildFacts:
    return ChildFacts.from_row(
        {
            "id": "c",
            "source": "civil_affairs",
            "relations": [g[0] for g in guardians],
            "whereabouts": [g[1] for g in guardians],
            "guardianSources": ["household"] * len(guardians),
            **child,
        }
    )


@pytest.mark.parametrize(
    ("whereabouts", "state"),
    [
        ("服刑", "parent-imprisoned"),
        ("服刑在押", "parent-imprisoned"),
        ("强制隔离戒毒", "parent-imprisoned"),
        ("失联", "parent-missing"),
        ("失踪", "parent-missing"),
        ("死亡", "parent-deceased"),
        ("重残", "parent-disabled"),
        ("外出务工（广东省东莞市）", "away"),
        ("在家", None),
        ("", None),
        ("imprisoned", "parent-imprisoned"),  # the demo data set's codes
        ("home", None),
    ],
)
def test_whereabouts_as_the_connectors_write_them(whereabouts: str, state: str | None) -> None:
    assert parent_state(whereabouts) == state


def test_signals_come_with_the_facts_they_are_read_from() -> None:
    facts = _facts(
        ("父亲", "服刑"),
        ("母亲", "失联"),
        ("祖母", "死亡"),  # a grandparent is not a parent
        schoolStatus="辍学",
        healthNotes="先天性心脏病，需定期复查",
        disability="肢体残疾三级",
        categories=["低保家庭"],
    )
    assert derive_signals(facts) == {
        "parent-missing": ("母亲 whereabouts=失联 (household)",),
        "parent-imprisoned": ("父亲 whereabouts=服刑 (household)",),
        "school-dropout": ("schoolStatus=辍学 (civil_affairs)",),
        "serious-illness": (
            "healthNotes=先天性心脏病，需定期复查 (civil_affairs)",
            "disability=肢体残疾三级 (civil_affairs)",
        ),
        "low-income": ("categories∋低保家庭 (civil_affairs)",),
    }


def test_both_parents_away_needs_both_and_health_needs_a_problem() -> None:
    one_away = _facts(
        ("父亲", "外出务工"), ("母亲", "在家"), healthNotes="健康", schoolStatus="在校"
    )
    assert derive_signals(one_away) == {}
    both = _facts(("父亲", "外出务工（北京市）"), ("母亲", "外出务工（上海市）"))
    assert derive_signals(both) == {
        "both-parents-away": (
            "父亲 whereabouts=外出务工（北京市） (household)",
            "母亲 whereabouts=外出务工（上海市） (household)",
        )
    }


def test_rules_match_explain_and_respect_known_categories() -> None:
    rules = load_rules()
    facts = _facts(("父亲", "外出务工"), ("母亲", "外出务工"), schoolStatus="辍学")
    finding, matched = evaluate(facts, rules)
    assert matched
    assert finding is not None
    assert [r.id for r in finding.rules] == ["school-dropout", "left-behind"]
    assert finding.signals == ("school-dropout", "both-parents-away")
    assert finding.category == "困境儿童"  # the first rule's
    assert finding.due_days == 5  # the soonest
    assert (
        finding.reasons[0] == "school-dropout: school-dropout ← schoolStatus=辍学 (civil_affairs)"
    )
    # Already a left-behind child: only the dropout is news.
    known = _facts(("父亲", "外出务工"), ("母亲", "外出务工"), categories=["留守儿童"])
    assert evaluate(known, rules) == (None, True)
    assert evaluate(_facts(("父亲", "在家")), rules) == (None, False)


def test_a_flags_id_says_what_it_flags() -> None:
    a = flag_id("c1", "v1", ["parent-missing"])
    assert a == flag_id("c1", "v1", ["parent-missing"])
    assert len({a, flag_id("c2", "v1", ["parent-missing"]), flag_id("c1", "v2", ["parent-missing"]),
                flag_id("c1", "v1", ["parent-deceased"])}) == 4  # fmt: skip


def test_due_dates_count_chinese_working_days() -> None:
    pytest.importorskip("chinese_calendar")
    # From Tuesday 29 September 2026: the National Day holiday (1–7 October) does not
    # count, Saturday 10 October (worked in lieu) does.
    assert add_working_days(dt.date(2026, 9, 29), 5) == dt.date(2026, 10, 12)


def test_due_dates_skip_weekends_where_no_holiday_data() -> None:
    # 2031 is beyond any calendar's data: Monday to Friday.
    assert add_working_days(dt.date(2031, 1, 3), 1) == dt.date(2031, 1, 6)
    assert add_working_days(dt.date(2031, 1, 3), 6) == dt.date(2031, 1, 13)


def test_rules_given_as_a_mapping_are_validated_too() -> None:
    data = {"version": "x", "rules": [{"id": "r", "description": "d", "all": ["nope"],
            "suggest": "孤儿", "due_days": 1}]}  # fmt: skip
    with pytest.raises(RulesError, match=r"rule 'r' \(rules\[0\]\) all.0"):
        parse_rules(data)


def test_a_childs_fields_are_credited_to_the_systems_that_gave_them() -> None:
    facts = _facts(schoolStatus="辍学", healthNotes="重度哮喘", categories=["低保家庭"])
    versions = [
        ("civil_affairs", '{"schoolStatus": "在校", "healthNotes": "重度哮喘"}'),
        ("education", '{"schoolStatus": "辍学"}'),
        ("child_welfare", '{"healthNotes": "重度哮喘", "categories": ["低保家庭"]}'),
        ("broken", "not json"),
    ]
    origins = origins_of(facts, versions)
    assert derive_signals(facts, origins) == {
        "school-dropout": ("schoolStatus=辍学 (education)",),
        "serious-illness": ("healthNotes=重度哮喘 (child_welfare, civil_affairs)",),
        "low-income": ("categories∋低保家庭 (child_welfare)",),
    }
