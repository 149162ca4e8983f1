"""Scoring: from a director's or supervisor's facts to parts, total, tier and money.

Pure functions, used alike by the engine (facts from the graph) and the demo
generator (facts from its own rows). Every part comes with the line naming the
data behind it.

Numbers: part scores are rounded to 0.1; the total is the weighted sum of the
parts as stored, not rounded again, so ``total == Σ weight × score`` holds
exactly (in that order, in IEEE doubles). The graph returns numbers with 15
significant digits, so a total that would not survive that (one in five, such
as ``89.13999999999999``) has one part moved by the fewest hundredths that make
it survive (a director's visit score, a supervisor's directors' part, unless
another part needs a smaller move); the part's line says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schema.program.assessment_facts import (
    DAY_MS,
    DirectorFacts,
    Period,
    Subject,
    SupervisorFacts,
    day_ms,
    day_of,
)
from schema.program.assessment_formula import Formula, tier_of

#: Part names as shown (Chinese: the program's language).
NAMES = {
    "exam": "学习考试",
    "visit": "走访成效",
    "visit.coverage": "走访覆盖",
    "visit.timeliness": "走访及时",
    "visit.validity": "走访有效",
    "visit.followUp": "问题跟进",
    "visit.reports": "强制报告",
    "directors": "所辖儿童主任考核",
    "ledger": "监督台账",
    "rectification": "督促整改",
}


@dataclass(frozen=True)
class Part:
    """One part of an assessment: its weight in its parent, score (0–100) and explanation.

    Keys without a dot are the total's parts; ``visit.*`` are visit effectiveness's.
    """

    key: str
    weight: float
    score: float
    line: str

    @property
    def name(self) -> str:
        return NAMES.get(self.key, self.key)

    @property
    def parent(self) -> str | None:
        return self.key.split(".", 1)[0] if "." in self.key else None


@dataclass(frozen=True)
class Score:
    """An assessment as computed: what the ``Assessment`` node stores."""

    subject: Subject
    period: Period
    formula_version: str
    parts: tuple[Part, ...]
    total: float
    tier: str
    allowance: int
    vocational: int
    bonus: int
    inputs_hash: str
    summary: str
    appeal_id: str = ""

    @property
    def top(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.parent is None)

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def explanation(self) -> str:
        return "\n".join([self.summary, *(p.line for p in self.parts)])

    def props(self, computed_at: int) -> dict[str, Any]:
        """The ``Assessment`` properties (no ids, provenance or versioning)."""
        props: dict[str, Any] = {
            "period": self.period.code,
            "throughDate": self.period.through.isoformat(),
            "subject": self.subject.kind,
            "subjectName": self.subject.name,
            "villageName": self.subject.village_name,
            "townName": self.subject.town_name,
            "regionCode": self.subject.region_code,
            "formulaVersion": self.formula_version,
            "total": self.total,
            "tier": self.tier,
            "allowance": self.allowance,
            "vocationalAllowance": self.vocational,
            "bonus": self.bonus,
            "explanation": self.explanation,
            "partKeys": [p.key for p in self.parts],
            "partWeights": [p.weight for p in self.parts],
            "partScores": [p.score for p in self.parts],
            "parts": [p.line for p in self.parts],
            "inputsHash": self.inputs_hash,
            "computedAt": computed_at,
        }
        exam, visit = self.part("exam"), self.part("visit")
        if exam is not None and visit is not None:
            props.update(
                examScore=exam.score,
                visitScore=visit.score,
                weightExam=exam.weight,
                weightVisit=visit.weight,
            )
        if self.appeal_id:
            props["appealId"] = self.appeal_id
        return props


def survives(value: float) -> bool:
    """Whether a number reads back unchanged from a graph that keeps 15 significant digits."""
    return float(f"{value:.15g}") == value


def weighted(
    weights: Sequence[float], scores: Sequence[float], prefer: int
) -> tuple[list[float], float]:
    """The scores, one moved by the fewest hundredths needed, and their weighted total.

    The total is ``Σ weights[i] × scores[i]`` in order, as a reader recomputes
    it; it must survive the graph's 15 significant digits, and so must the
    scores. ``scores[prefer]`` is moved first; if no move of it is small enough
    (its term cannot cancel the others' rounding), another score is.
    """
    order = [prefer, *(i for i in range(len(scores)) if i != prefer)]
    for step in range(0, 10_001):
        for index in order:
            for move in (step, -step) if step else (0,):
                value = round(scores[index] + move / 100, 2)
                if not 0 <= value <= 100:
                    continue
                tried = list(scores)
                tried[index] = value
                total = sum(w * s for w, s in zip(weights, tried, strict=True))
                if survives(total):
                    return tried, total
            if not step:
                break
    raise AssertionError(f"no exact total near {scores}")  # pragma: no cover - never seen


MOVED = "；为使总分可精确复核，微调为{new}分（原{old}分）"


def fmt(value: float) -> str:
    """A number as shown: at most three decimals (a total's), no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _pct(part: float, whole: float, empty: float = 100.0) -> float:
    return round(100.0 * part / whole, 1) if whole else empty


def _hash(kind: str, period: Period, formula: Formula, facts: Mapping[str, Any]) -> str:
    blob = json.dumps(
        {
            "kind": kind,
            "period": period.code,
            "through": period.through.isoformat(),
            "formula": formula.version,
            "facts": facts,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _subject(subject: Subject) -> list[str]:
    # Names are shown, not scored: they are left out.
    return [subject.id, subject.region_code, subject.qualification]


def _director_inputs(facts: DirectorFacts) -> dict[str, Any]:
    """The facts a director's score depends on, as plain lists (``asdict`` is 10x slower)."""
    return {
        "subject": _subject(facts.subject),
        "children": [[c.id, c.monthly, c.since] for c in facts.children],
        "visits": [
            [
                v.id,
                v.child,
                v.started_at,
                v.flagged,
                v.review,
                v.credit,
                v.paired,
                v.previous_at,
                v.risk,
                v.followed_at,
            ]
            for v in facts.visits
        ],
        "exams": [[x.taken_at, x.score, x.in_period] for x in facts.exams],
        "reportsMade": list(facts.reports_made),
        "reportsMissed": list(facts.reports_missed),
    }


def score_director(facts: DirectorFacts, period: Period, formula: Formula) -> Score:
    """A director's assessment from their facts."""
    f = formula.director
    exam, exam_line = _exam(facts)
    spans = _due_spans(facts, period)
    coverage, coverage_line = _coverage(facts, spans, formula)
    timeliness, timeliness_line = _timeliness(facts, period, formula, bool(spans))
    validity, validity_line = _validity(facts, formula, bool(spans))
    follow_up, follow_line = _follow_up(facts, period, formula)
    reports, reports_line = _reports(facts)
    w = f.visit
    subs = (
        Part("visit.coverage", w.coverage, coverage, coverage_line),
        Part("visit.timeliness", w.timeliness, timeliness, timeliness_line),
        Part("visit.validity", w.validity, validity, validity_line),
        Part("visit.followUp", w.follow_up, follow_up, follow_line),
        Part("visit.reports", w.reports, reports, reports_line),
    )
    visit = round(sum(p.weight * p.score for p in subs), 1)
    (exam_kept, moved), total = weighted((f.weights.exam, f.weights.visit), (exam, visit), prefer=1)
    terms = "＋".join(f"{p.name}{fmt(p.score)}×{fmt(p.weight)}" for p in subs)
    visit_line = f"走访成效{fmt(moved)}分＝{terms}（取一位小数）"
    if moved != visit:
        visit_line += MOVED.format(new=fmt(moved), old=fmt(visit))
    if exam_kept != exam:
        exam_line += MOVED.format(new=fmt(exam_kept), old=fmt(exam))
    exam = exam_kept
    parts = (
        Part("exam", f.weights.exam, exam, exam_line),
        Part("visit", f.weights.visit, moved, visit_line),
        *subs,
    )
    tier = tier_of(f.tiers, total)
    vocational = f.vocational.amount(facts.subject.qualification)
    money = f"季度津贴{tier.allowance}元"
    if vocational:
        money += f"，持证职业津贴{vocational}元（{facts.subject.qualification}）"
    money += f"，村（居）委会绩效奖励{tier.bonus}元"
    summary = (
        f"{_period_text(period)}（公式{formula.version}）：学习考试{fmt(exam)}分×"
        f"{fmt(f.weights.exam)}＋走访成效{fmt(moved)}分×{fmt(f.weights.visit)}＝"
        f"{fmt(total)}分，评定{tier.name}档；{money}"
    )
    return Score(
        subject=facts.subject,
        period=period,
        formula_version=formula.version,
        parts=parts,
        total=total,
        tier=tier.name,
        allowance=tier.allowance,
        vocational=vocational,
        bonus=tier.bonus,
        inputs_hash=_hash("director", period, formula, _director_inputs(facts)),
        summary=summary,
    )


def _period_text(period: Period) -> str:
    return period.code if period.complete else f"{period.code}（截至{period.through}）"


def _exam(facts: DirectorFacts) -> tuple[float, str]:
    if not facts.exams:
        return 0.0, "学习考试0分：无考试成绩"
    if facts.exams[0].in_period:
        score = round(sum(x.score for x in facts.exams) / len(facts.exams), 1)
        scores = "、".join(fmt(x.score) for x in facts.exams)
        return score, f"学习考试{fmt(score)}分：本期考试{len(facts.exams)}次（{scores}分）的平均"
    last = facts.exams[-1]
    score = round(last.score, 1)
    day = day_of(last.taken_at)
    return score, f"学习考试{fmt(score)}分：本期无考试，沿用此前最近一次（{day}）的成绩"


def _due_spans(facts: DirectorFacts, period: Period) -> list[tuple[str, str, str]]:
    """(child, first day, last day) of each visit due in the period."""
    out = []
    for child in facts.children:
        since = dt.date.fromisoformat(child.since) if child.since else None
        for first, last in period.spans(child.monthly):
            lo = max(first, since) if since else first
            hi = min(last, period.through)
            if lo <= hi:
                out.append((child.id, lo.isoformat(), hi.isoformat()))
    return out


def _coverage(
    facts: DirectorFacts, spans: list[tuple[str, str, str]], formula: Formula
) -> tuple[float, str]:
    by_child: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for v in facts.visits:
        if v.paired:
            by_child[v.child].append((v.day, v.credit))
    due = made = 0
    covered = 0.0
    for child, lo, hi in spans:
        due += 1
        best = max((c for day, c in by_child.get(child, ()) if lo <= day <= hi), default=0.0)
        covered += best
        made += best > 0
    score = _pct(covered, due)
    monthly = sum(c.monthly for c in facts.children)
    credit = fmt(formula.director.rules.unreviewed_credit)
    line = (
        f"走访覆盖{fmt(score)}分：结对儿童{len(facts.children)}名（按月走访{monthly}名、"
        f"按季走访{len(facts.children) - monthly}名），应访{due}次，已访{made}次，"
        f"折算{fmt(covered)}次（存疑未审核的走访按{credit}次计，审核未通过的不计）"
    )
    return score, line


def _timeliness(
    facts: DirectorFacts, period: Period, formula: Formula, due: bool
) -> tuple[float, str]:
    rules = formula.director.rules
    children = {c.id: c for c in facts.children}
    window = period.window_ms(formula)
    counted = on_time = unknown = 0
    for v in facts.visits:
        child = children.get(v.child)
        if child is None or v.credit <= 0:
            continue
        limit = (rules.monthly_gap_days if child.monthly else rules.quarterly_gap_days) * DAY_MS
        since = day_ms(dt.date.fromisoformat(child.since)) if child.since else None
        reference = v.previous_at
        if reference is None and since is not None and since >= window:
            reference = since  # care began recently: measured from its start
        if reference is None:
            unknown += 1  # no earlier visit on record to measure from
            continue
        counted += 1
        on_time += v.started_at - reference <= limit
    # Nothing to measure: full marks, unless visits were due and none was made.
    nothing = 0.0 if due and not unknown else 100.0
    score = _pct(on_time, counted, nothing)
    line = (
        f"走访及时{fmt(score)}分：计入的走访{counted}次，其中{on_time}次距该儿童上次走访"
        f"（或结对起）不超过规定间隔（按月{rules.monthly_gap_days}天、"
        f"按季{rules.quarterly_gap_days}天）；{unknown}次此前无走访记录可比，不计"
    )
    return score, line


def _validity(facts: DirectorFacts, formula: Formula, due: bool) -> tuple[float, str]:
    visits = facts.visits
    flagged = [v for v in visits if v.flagged]
    accepted = sum(v.review == "accepted" for v in flagged)
    rejected = sum(v.review == "rejected" for v in visits)
    pending = sum(v.review == "" for v in flagged)
    score = _pct(sum(v.credit for v in visits), len(visits), 0.0 if due else 100.0)
    credit = fmt(formula.director.rules.unreviewed_credit)
    line = (
        f"走访有效{fmt(score)}分：本期走访{len(visits)}次，证据核查存疑{len(flagged)}次"
        f"（督导审核通过{accepted}次、未通过{rejected}次不计、未审核{pending}次按{credit}次计）"
    )
    return score, line


def _follow_up(facts: DirectorFacts, period: Period, formula: Formula) -> tuple[float, str]:
    days = formula.director.rules.follow_up_days
    risks = [v for v in facts.visits if v.risk]
    followed = sum(v.followed_at is not None for v in risks)
    waiting = sum(
        v.followed_at is None and v.started_at + days * DAY_MS >= period.to_ms for v in risks
    )
    missed = len(risks) - followed - waiting
    score = _pct(followed, followed + missed)
    line = (
        f"问题跟进{fmt(score)}分：走访发现风险{len(risks)}次，{followed}次在{days}天内"
        f"有服务或强制报告跟进，{missed}次未跟进，{waiting}次尚在跟进期内不计"
    )
    return score, line


def _reports(facts: DirectorFacts) -> tuple[float, str]:
    made, missed = len(facts.reports_made), len(facts.reports_missed)
    score = _pct(made, made + missed)
    line = f"强制报告{fmt(score)}分：本人强制报告{made}次，所结对儿童由他人报告{missed}次"
    return score, line


def score_supervisor(
    facts: SupervisorFacts,
    period: Period,
    formula: Formula,
    directors: Mapping[str, Score],
) -> Score:
    """A supervisor's assessment: their town's directors' results and their supervision work."""
    f = formula.supervisor
    town = facts.town_code
    mine = sorted(
        (s for s in directors.values() if town and s.subject.region_code.startswith(town)),
        key=lambda s: s.subject.id,
    )
    mean = round(sum(s.total for s in mine) / len(mine), 1) if mine else 0.0
    ledger = round(100.0 * min(1.0, len(facts.entries) / f.rules.ledger_target), 1)
    credit = 0.0
    on_time = late = 0
    for r in facts.rectifications:
        if r.completed and r.completed <= r.deadline:
            on_time += 1
            credit += 1.0
        elif r.completed:
            late += 1
            credit += f.rules.late_credit
    rectification = _pct(credit, len(facts.rectifications))
    w = f.weights
    raw = (mean, ledger, rectification)
    kept, total = weighted((w.directors, w.ledger, w.rectification), raw, prefer=0)
    undone = len(facts.rectifications) - on_time - late
    lines = [
        f"所辖儿童主任考核{fmt(kept[0])}分：本镇（街道）儿童主任{len(mine)}名"
        f"本期总分的平均（公式{formula.version}）",
        f"监督台账{fmt(kept[1])}分：本期记录台账问题{len(facts.entries)}条"
        f"（每季度{f.rules.ledger_target}条为满分）",
        f"督促整改{fmt(kept[2])}分：本期到期整改{len(facts.rectifications)}项，"
        f"按期完成{on_time}项，逾期完成{late}项（按{fmt(f.rules.late_credit)}项计），"
        f"未完成{undone}项",
    ]
    for i, (new, old) in enumerate(zip(kept, raw, strict=True)):
        if new != old:
            lines[i] += MOVED.format(new=fmt(new), old=fmt(old))
    parts = tuple(
        Part(key, weight, score, line)
        for key, weight, score, line in zip(
            ("directors", "ledger", "rectification"),
            (w.directors, w.ledger, w.rectification),
            kept,
            lines,
            strict=True,
        )
    )
    tier = tier_of(f.tiers, total)
    terms = "＋".join(f"{p.name}{fmt(p.score)}分×{fmt(p.weight)}" for p in parts)
    summary = (
        f"{_period_text(period)}（公式{formula.version}）：{terms}＝{fmt(total)}分，"
        f"评定{tier.name}档；季度津贴{tier.allowance}元"
    )
    inputs = {
        "subject": _subject(facts.subject),
        "town": facts.town_code,
        "entries": list(facts.entries),
        "rectifications": [[r.id, r.deadline, r.completed] for r in facts.rectifications],
        "directors": [[s.subject.id, s.total] for s in mine],
    }
    return Score(
        subject=facts.subject,
        period=period,
        formula_version=formula.version,
        parts=parts,
        total=total,
        tier=tier.name,
        allowance=tier.allowance,
        vocational=0,
        bonus=0,
        inputs_hash=_hash("supervisor", period, formula, inputs),
        summary=summary,
    )
