"""Screening signals: what other systems' data says about a child, named and explained.

The facts are what the connectors write: the household registry's parents'
whereabouts (在家, 外出务工（广东省东莞市）, 服刑, 失联, 死亡 …), the education
bureau's school status (辍学), the civil-affairs platform's and the welfare
ledgers' health, disability and categories. Each signal comes with the facts
it was derived from, as ``母亲 whereabouts=服刑 (household)``, so a director
can check every flag against its source.

The provenance in parentheses of a child's field is the systems whose own
version of the child gives the field its current value (``origins``, read
from their source records); without those, and for guardians (whom records
only name), the node's recorded ``source``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

Signal = Literal[
    "parent-deceased",
    "parent-missing",
    "parent-imprisoned",
    "parent-disabled",
    "school-dropout",
    "serious-illness",
    "low-income",
    "both-parents-away",
]

#: Every signal with what it means, in the order flags list them.
SIGNALS: dict[str, str] = {
    "parent-deceased": "父母一方或双方死亡 / a parent is deceased",
    "parent-missing": "父母一方或双方失联、失踪 / a parent is missing",
    "parent-imprisoned": "父母一方或双方服刑在押、强制隔离戒毒 / a parent is imprisoned",
    "parent-disabled": "父母一方或双方重残、重病 / a parent is severely disabled or ill",
    "school-dropout": "义务教育阶段辍学 / dropped out of school",
    "serious-illness": "儿童本人患重病或残疾 / the child is seriously ill or disabled",
    "low-income": "低保、特困或低收入家庭 / a low-income family",
    "both-parents-away": "父母双方外出务工 / both parents work away from home",
}
assert tuple(SIGNALS) == get_args(Signal)

#: Words in a guardian's whereabouts, per parent signal, first match wins (the
#: household registry writes Chinese; the demo data set English codes).
_PARENT_STATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("parent-deceased", ("死亡", "去世", "已故", "亡故", "病故", "deceased")),
    ("parent-missing", ("失联", "失踪", "下落不明", "missing")),
    ("parent-imprisoned", ("服刑", "在押", "羁押", "强制隔离戒毒", "imprisoned")),
    ("parent-disabled", ("重残", "残疾", "重病", "disabled")),
)
_AWAY = ("外出务工", "外出", "务工", "away")
FATHERS = frozenset({"父亲", "父", "生父", "养父", "father"})
MOTHERS = frozenset({"母亲", "母", "生母", "养母", "mother"})
_DROPOUT = ("辍学", "dropout", "dropped_out")
#: Health and disability entries that say there is nothing to report.
_HEALTHY = frozenset({"健康", "良好", "正常", "一般", "无", "否", "healthy", "good", "none"})
_LOW_INCOME = ("低保", "特困", "低收入", "贫困", "low-income", "low_income")
#: A child's status saying they left the program (not screened any more).
EXITED = frozenset({"已退出", "退出", "exited"})


@dataclass(frozen=True)
class GuardianFact:
    relation: str
    whereabouts: str
    source: str


@dataclass(frozen=True)
class ChildFacts:
    """One child's facts as the facts statement returns them."""

    id: str
    categories: tuple[str, ...]
    primary_category: str | None
    school_status: str | None
    health_notes: str | None
    disability: str | None
    found_by: str | None
    status: str | None
    village_code: str | None
    source: str
    guardians: tuple[GuardianFact, ...]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ChildFacts:
        relations: Sequence[Any] = row.get("relations") or []
        whereabouts: Sequence[Any] = row.get("whereabouts") or []
        sources: Sequence[Any] = row.get("guardianSources") or []
        return cls(
            id=str(row["id"]),
            categories=tuple(str(c) for c in row.get("categories") or ()),
            primary_category=_text(row.get("primaryCategory")),
            school_status=_text(row.get("schoolStatus")),
            health_notes=_text(row.get("healthNotes")),
            disability=_text(row.get("disability")),
            found_by=_text(row.get("foundBy")),
            status=_text(row.get("status")),
            village_code=_text(row.get("villageCode")),
            source=_text(row.get("source")) or "",
            guardians=tuple(
                GuardianFact(str(r), str(w), str(s))
                for r, w, s in zip(relations, whereabouts, sources, strict=True)
            ),
        )

    @property
    def exited(self) -> bool:
        return self.status in EXITED


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _from(source: str) -> str:
    return f"({source or 'unknown source'})"


def parent_state(whereabouts: str) -> str | None:
    """The parent signal a whereabouts value gives, ``"away"``, or None (at home, unknown)."""
    for signal, words in _PARENT_STATES:
        if any(w in whereabouts for w in words):
            return signal
    if any(w in whereabouts for w in _AWAY):
        return "away"
    return None


#: ``(field, value)`` → the systems that give a child's field that value.
Origins = Mapping[tuple[str, str], str]


def origins_of(
    facts: ChildFacts, versions: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Which systems give the child's fields their current values.

    ``versions``: ``(source, JSON of its values)`` per system that describes the child.
    """
    held = {
        "schoolStatus": facts.school_status,
        "healthNotes": facts.health_notes,
        "disability": facts.disability,
    }
    given: dict[tuple[str, str], set[str]] = {}
    for source, text in versions:
        try:
            values = json.loads(text)
        except (TypeError, ValueError):
            continue
        if not isinstance(values, dict):
            continue
        for field, value in held.items():
            if value is not None and _text(values.get(field)) == value:
                given.setdefault((field, value), set()).add(source)
        for category in values.get("categories") or ():
            if category in facts.categories:
                given.setdefault(("categories", str(category)), set()).add(source)
    return {k: ", ".join(sorted(v)) for k, v in given.items()}


def derive_signals(facts: ChildFacts, origins: Origins | None = None) -> dict[str, tuple[str, ...]]:
    """The child's signals, each with the facts it comes from, in :data:`SIGNALS` order."""
    found: dict[str, list[str]] = {}
    known = origins or {}

    def child(field: str, value: str, shown: str) -> str:
        return f"{shown} {_from(known.get((field, value), facts.source))}"

    def add(signal: str, fact: str) -> None:
        found.setdefault(signal, []).append(fact)

    away: dict[str, list[str]] = {"father": [], "mother": []}
    for g in facts.guardians:
        parent = "father" if g.relation in FATHERS else "mother" if g.relation in MOTHERS else None
        if parent is None:
            continue  # grandparents and other carers are not parents
        state = parent_state(g.whereabouts)
        fact = f"{g.relation} whereabouts={g.whereabouts} {_from(g.source)}"
        if state == "away":
            away[parent].append(fact)
        elif state is not None:
            add(state, fact)
    if away["father"] and away["mother"]:
        for fact in away["father"] + away["mother"]:
            add("both-parents-away", fact)
    school = facts.school_status
    if school and any(w in school for w in _DROPOUT):
        add("school-dropout", child("schoolStatus", school, f"schoolStatus={school}"))
    for field, value in (("healthNotes", facts.health_notes), ("disability", facts.disability)):
        if value and value not in _HEALTHY:
            add("serious-illness", child(field, value, f"{field}={value}"))
    for category in facts.categories:
        if any(w in category for w in _LOW_INCOME):
            add("low-income", child("categories", category, f"categories∋{category}"))
    return {s: tuple(found[s]) for s in SIGNALS if s in found}
