"""What an assessment is computed from: the period, the rows the graph gives, each one's facts.

The engine reads a period's rows from the graph with a few statements
(:mod:`graph.queries.assessment`), the demo generator makes the same rows from
its own records; both turn them into the facts here with the same functions,
and :mod:`schema.program.assessment_score` scores the facts. The facts hold
exactly what a score depends on, so their hash tells whether a recomputation
has anything new to say.

Rules of the count (they are the formula's, see ``assessment_v1.toml``):

* the children due visits are those paired with the director now
  (``PAIRED_WITH``), from the later of their enrolment and the pairing;
* a visit counts for its director only (``BY``), its current version only;
  the latest supervisor's review decides a flagged visit: rejected counts 0,
  accepted 1, unreviewed ``unreviewed_credit``;
* a period is a calendar quarter in China Standard Time, counted up to the day
  before the computation if it has not ended (its ``through`` day); nothing
  after ``through`` is read, so a closed quarter gives the same facts whenever
  it is computed, unless records of it arrive or change later (a visit
  reviewed after the quarter counts as reviewed);
* a supervisor answers for the directors of their town (``townCode``), the
  ledger entries they recorded (``RECORDED_BY``) and the rectifications of
  those entries due in the period, done by their deadline (``completedDate``);
* directors who left office (:data:`GONE`) are not assessed; those on leave are.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.model import CST
from schema.program.assessment_formula import Formula

Row = dict[str, Any]
DAY_MS = 86_400_000
_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")
#: Director statuses of those who left office: they are not assessed.
GONE = ("departed", "离任", "已离任", "resigned", "left")


class PeriodError(ValueError):
    """A period that cannot be assessed (malformed, or not started by the computation day)."""


def day_ms(day: dt.date) -> int:
    """Epoch ms of a day's start in China Standard Time."""
    return int(dt.datetime.combine(day, dt.time(), tzinfo=CST).timestamp() * 1000)


def day_of(epoch_ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(epoch_ms / 1000, CST).date()


@dataclass(frozen=True)
class Period:
    """A quarter (``2026Q3``), counted from ``start`` to ``through`` (≤ ``end``), both included."""

    code: str
    start: dt.date
    end: dt.date
    through: dt.date

    @classmethod
    def of(cls, code: str, computed_on: dt.date) -> Period:
        """The quarter ``code`` as computed on ``computed_on`` (counted up to the day before)."""
        match = _PERIOD.match(code)
        if match is None:
            raise PeriodError(f"a period is a quarter such as 2026Q3, not {code!r}")
        year, quarter = int(match[1]), int(match[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        end = following - dt.timedelta(days=1)
        through = min(end, computed_on - dt.timedelta(days=1))
        if through < start:
            raise PeriodError(f"{code} has no day to assess yet (computed on {computed_on})")
        return cls(code, start, end, through)

    @property
    def complete(self) -> bool:
        return self.through == self.end

    @property
    def start_ms(self) -> int:
        return day_ms(self.start)

    @property
    def to_ms(self) -> int:
        """The first instant after the counted days (exclusive bound)."""
        return day_ms(self.through + dt.timedelta(days=1))

    def window_ms(self, formula: Formula) -> int:
        """From when visits are read: far enough back to find each child's previous visit."""
        rules = formula.director.rules
        return self.start_ms - max(rules.monthly_gap_days, rules.quarterly_gap_days) * DAY_MS

    def spans(self, monthly: bool) -> list[tuple[dt.date, dt.date]]:
        """The spans in which one visit is due: the months of the quarter, or all of it."""
        if not monthly:
            return [(self.start, self.end)]
        out = []
        for month in range(self.start.month, self.start.month + 3):
            first = dt.date(self.start.year, month, 1)
            last = (
                dt.date(self.start.year + 1, 1, 1)
                if month == 12
                else dt.date(self.start.year, month + 1, 1)
            ) - dt.timedelta(days=1)
            out.append((first, last))
        return out


@dataclass
class PeriodRows:
    """One period's rows, as the statements of :mod:`graph.queries.assessment` return them."""

    directors: list[Row] = field(default_factory=list)
    pairings: list[Row] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)
    services: list[Row] = field(default_factory=list)
    reports: list[Row] = field(default_factory=list)
    exams: list[Row] = field(default_factory=list)
    supervisors: list[Row] = field(default_factory=list)
    ledger: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Subject:
    """Who is assessed, and the names the finance sheet shows (not inputs of the score)."""

    id: str
    kind: str  # "director" | "supervisor"
    name: str
    region_code: str
    village_name: str = ""
    town_name: str = ""
    qualification: str = ""


@dataclass(frozen=True)
class ChildFact:
    id: str
    monthly: bool
    since: str  # ISO date the director's care began (later of enrolment and pairing), or ""


@dataclass(frozen=True)
class VisitFact:
    id: str
    child: str
    started_at: int
    day: str
    flagged: bool
    review: str  # the latest decision: "accepted", "rejected" or ""
    credit: float
    paired: bool
    previous_at: int | None  # the child's previous counted visit (anyone's), within the window
    risk: bool
    followed_at: int | None  # the first service or report for the child after a risk seen


@dataclass(frozen=True)
class ExamFact:
    taken_at: int
    score: float  # out of 100
    in_period: bool


@dataclass(frozen=True)
class DirectorFacts:
    subject: Subject
    children: tuple[ChildFact, ...]
    visits: tuple[VisitFact, ...]
    exams: tuple[ExamFact, ...]
    reports_made: tuple[str, ...]
    reports_missed: tuple[str, ...]


@dataclass(frozen=True)
class RectificationFact:
    id: str
    deadline: str
    completed: str


@dataclass(frozen=True)
class SupervisorFacts:
    subject: Subject
    town_code: str
    entries: tuple[str, ...]  # ledger entries recorded in the period
    rectifications: tuple[RectificationFact, ...]  # due in the period


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def qualification_of(value: Any) -> str:
    """A director's social-work qualification as stored (a title, or a boolean flag)."""
    if value is None or value is False or str(value).strip().lower() in ("", "false", "0", "否"):
        return ""
    return "社会工作者职业资格" if value is True else str(value).strip()


def credits(rows: PeriodRows, formula: Formula) -> dict[str, tuple[float, str]]:
    """Each visit's credit and its latest review decision."""
    latest: dict[str, tuple[int, str]] = {}
    for r in rows.reviews:
        key = (int(r.get("reviewedAt") or 0), _text(r.get("decision")))
        visit = str(r["visit"])
        if visit not in latest or key > latest[visit]:
            latest[visit] = key
    out: dict[str, tuple[float, str]] = {}
    unreviewed = formula.director.rules.unreviewed_credit
    for v in rows.visits:
        review = latest.get(str(v["id"]), (0, ""))[1]
        if review == "rejected":
            credit = 0.0
        elif review == "accepted" or not v.get("flagged"):
            credit = 1.0
        else:
            credit = unreviewed
        out[str(v["id"])] = (credit, review)
    return out


def director_facts(rows: PeriodRows, period: Period, formula: Formula) -> list[DirectorFacts]:
    """The facts of every director in ``rows``, sorted by id."""
    rules = formula.director.rules
    start, to = period.start_ms, period.to_ms
    credit = credits(rows, formula)
    counted: dict[str, list[int]] = defaultdict(list)  # child -> counted visits' instants
    own: dict[str, list[Row]] = defaultdict(list)
    for v in rows.visits:
        at = int(v["startedAt"])
        if credit[str(v["id"])][0] > 0:
            counted[str(v["child"])].append(at)
        if start <= at < to and v.get("director") is not None:
            own[str(v["director"])].append(v)
    for times in counted.values():
        times.sort()
    follow: dict[str, list[int]] = defaultdict(list)
    for r in (*rows.services, *rows.reports):
        if r.get("child") is not None and start <= int(r["at"]) < to:
            follow[str(r["child"])].append(int(r["at"]))
    for times in follow.values():
        times.sort()
    children: dict[str, list[ChildFact]] = defaultdict(list)
    for p in rows.pairings:
        monthly = (
            _text(p.get("category")) in rules.monthly_categories
            or _text(p.get("risk")) in rules.monthly_risk_levels
        )
        since = max(_text(p.get("enrolled")), _text(p.get("since")))
        children[str(p["director"])].append(ChildFact(str(p["child"]), monthly, since))
    exams: dict[str, list[Row]] = defaultdict(list)
    for x in rows.exams:
        if int(x["takenAt"]) < to:
            exams[str(x["director"])].append(x)
    made: dict[str, list[str]] = defaultdict(list)
    about: dict[str, list[tuple[str, str]]] = defaultdict(list)  # child -> (report, reporter)
    for r in rows.reports:
        if not start <= int(r["at"]) < to:
            continue
        if r.get("director") is not None:
            made[str(r["director"])].append(str(r["id"]))
        if r.get("child") is not None:
            about[str(r["child"])].append((str(r["id"]), _text(r.get("director"))))
    out = []
    for d in sorted(rows.directors, key=lambda r: str(r["id"])):
        key = str(d["id"])
        mine = tuple(sorted(children.get(key, ()), key=lambda c: c.id))
        paired = {c.id for c in mine}
        window = formula.director.rules.follow_up_days * DAY_MS
        visits = []
        for v in sorted(own.get(key, ()), key=lambda r: (int(r["startedAt"]), str(r["id"]))):
            at, child = int(v["startedAt"]), str(v["child"])
            score, review = credit[str(v["id"])]
            times = counted.get(child, [])
            before = times[: bisect.bisect_left(times, at)]
            risk = bool(v.get("risk")) and score > 0
            later = follow.get(child, [])
            found = [t for t in later[bisect.bisect_left(later, at) :] if t <= at + window]
            visits.append(
                VisitFact(
                    id=str(v["id"]),
                    child=child,
                    started_at=at,
                    day=day_of(at).isoformat(),
                    flagged=bool(v.get("flagged")),
                    review=review,
                    credit=score,
                    paired=child in paired,
                    previous_at=before[-1] if before else None,
                    risk=risk,
                    followed_at=found[0] if risk and found else None,
                )
            )
        missed = sorted(
            report
            for child in paired
            for report, reporter in about.get(child, ())
            if reporter != key
        )
        out.append(
            DirectorFacts(
                subject=Subject(
                    id=key,
                    kind="director",
                    name=_text(d.get("name")),
                    region_code=_text(d.get("villageCode")),
                    village_name=_text(d.get("villageName")),
                    town_name=_text(d.get("townName")),
                    qualification=qualification_of(d.get("qualification")),
                ),
                children=mine,
                visits=tuple(visits),
                exams=_exams(exams.get(key, []), period, formula),
                reports_made=tuple(sorted(made.get(key, ()))),
                reports_missed=tuple(missed),
            )
        )
    return out


def _exams(rows: Iterable[Row], period: Period, formula: Formula) -> tuple[ExamFact, ...]:
    """The period's results, or the one the formula falls back on (out of 100)."""
    facts = sorted(
        (
            ExamFact(
                taken_at=int(r["takenAt"]),
                score=100.0 * float(r["score"] or 0) / float(r.get("maxScore") or 100),
                in_period=int(r["takenAt"]) >= period.start_ms,
            )
            for r in rows
        ),
        key=lambda f: (f.taken_at, f.score),
    )
    inside = tuple(f for f in facts if f.in_period)
    if inside or formula.director.rules.exam_fallback == "zero":
        return inside
    return tuple(facts[-1:])


def supervisor_facts(rows: PeriodRows, period: Period) -> list[SupervisorFacts]:
    """The facts of every supervisor in ``rows`` (their directors' totals come from scoring)."""
    start, through = period.start.isoformat(), period.through.isoformat()
    entries: dict[str, set[str]] = defaultdict(set)
    due: dict[str, dict[str, RectificationFact]] = defaultdict(dict)
    for r in rows.ledger:
        key = str(r["supervisor"])
        if start <= _text(r.get("found")) <= through:
            entries[key].add(str(r["entry"]))
        deadline = _text(r.get("deadline"))
        if r.get("rectification") is not None and start <= deadline <= through:
            completed = _text(r.get("completed"))
            due[key][str(r["rectification"])] = RectificationFact(
                str(r["rectification"]), deadline, completed if completed <= through else ""
            )
    return [
        SupervisorFacts(
            subject=Subject(
                id=str(s["id"]),
                kind="supervisor",
                name=_text(s.get("name")),
                region_code=_text(s.get("townCode")),
                town_name=_text(s.get("townName")),
            ),
            town_code=_text(s.get("townCode")),
            entries=tuple(sorted(entries.get(str(s["id"]), ()))),
            rectifications=tuple(sorted(due.get(str(s["id"]), {}).values(), key=lambda f: f.id)),
        )
        for s in sorted(rows.supervisors, key=lambda r: str(r["id"]))
    ]
