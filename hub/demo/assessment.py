"""Quarterly assessments of directors (闭环考核), computed from the data set's own records.

The program combines study-exam results and visit effectiveness by fixed
weights and ties the result to the director's allowance. The demo computes it
the way the real job will: from the director's exam results and visits as
generated, so an assessment can be checked against the graph, and a director
with fewer visits really does score lower.

Formula ``v1``: exam score = mean of the quarter's exam results (else the
latest earlier one, else 0); visit score = 100 × visits made / visits due
(each child's visits counted up to what was due, 100 when nothing was due);
total = 0.4 × exam + 0.6 × visit; all rounded to one decimal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hub.demo.clock import QUARTERS, Quarter, ms
from hub.demo.context import County, DirectorRec, ExamResultRec
from hub.demo.visits import due_periods

FORMULA_VERSION = "v1"
WEIGHT_EXAM = 0.4
WEIGHT_VISIT = 0.6
TIERS = (("A", 90.0), ("B", 80.0), ("C", 60.0), ("D", 0.0))
ALLOWANCE_BY_TIER = {"A": 1800, "B": 1500, "C": 1200, "D": 900}  # yuan per quarter
QUALIFICATION_ALLOWANCE = 300  # extra for a social-work qualification


@dataclass(frozen=True)
class Score:
    exam: float
    visit: float
    due: int
    made: int

    @property
    def total(self) -> float:
        return assessment_total(self.exam, self.visit)


def assessment_total(exam: float, visit: float) -> float:
    """The weighted total as stored: ``round(0.4 × exam + 0.6 × visit, 1)``."""
    return round(WEIGHT_EXAM * exam + WEIGHT_VISIT * visit, 1)


def tier_of(total: float) -> str:
    return next(tier for tier, floor in TIERS if total >= floor)


def build_assessments(county: County) -> None:
    """Four Assessment rows per director (2026Q1–2026Q4), each OF the director."""
    results: dict[str, list[ExamResultRec]] = defaultdict(list)
    for result in county.exam_results:
        results[result.director_id].append(result)
    made: dict[tuple[str, str], int] = defaultdict(int)  # (child id, period start) -> visits
    spans = {c.id: due_periods(c) for c in county.children}
    for visit in county.visits:
        for start, end in spans[visit.child.id]:
            if start <= visit.day <= end:
                made[(visit.child.id, start.isoformat())] += 1
                break
    for director in county.directors:
        mine = sorted(results.get(director.id, []), key=lambda r: r.day)
        for quarter in QUARTERS:
            due = done = 0
            for child_id in director.child_ids:
                for start, _end in spans[child_id]:
                    if quarter.contains(start):
                        due += 1
                        done += min(1, made[(child_id, start.isoformat())])
            score = Score(_exam_score(mine, quarter), _visit_score(due, done), due, done)
            _emit(county, director, quarter, score)


def _exam_score(results: list[ExamResultRec], quarter: Quarter) -> float:
    inside = [r.score for r in results if quarter.contains(r.day)]
    if inside:
        return round(sum(inside) / len(inside), 1)
    earlier = [r.score for r in results if r.day < quarter.start]
    return round(earlier[-1], 1) if earlier else 0.0


def _visit_score(due: int, done: int) -> float:
    return round(100.0 * done / due, 1) if due else 100.0


def _emit(county: County, director: DirectorRec, quarter: Quarter, score: Score) -> None:
    total = score.total
    tier = tier_of(total)
    allowance = ALLOWANCE_BY_TIER[tier]
    extra = ""
    if director.qualification is not None:
        allowance += QUALIFICATION_ALLOWANCE
        extra = f"（含持证补贴{QUALIFICATION_ALLOWANCE}元）"
    partial = "" if quarter.complete else f"（截至{quarter.end.isoformat()}）"
    explanation = (
        f"{quarter.period}{partial}：学习考试{score.exam:.1f}分×{WEIGHT_EXAM}"
        f"＋走访成效{score.visit:.1f}分×{WEIGHT_VISIT}＝{total:.1f}分"
        f"（应访{score.due}次，实访{score.made}次），评定{tier}档，"
        f"季度津贴{allowance}元{extra}"
    )
    computed_at = ms(quarter.computed_at)
    assessment_id = f"assessment-{director.id.removeprefix('director-')}-{quarter.period}"
    county.builder.node(
        "Assessment",
        assessment_id,
        {
            "period": quarter.period,
            "examScore": score.exam,
            "visitScore": score.visit,
            "weightExam": WEIGHT_EXAM,
            "weightVisit": WEIGHT_VISIT,
            "total": total,
            "tier": tier,
            "allowance": allowance,
            "explanation": explanation,
            "formulaVersion": FORMULA_VERSION,
            "computedAt": computed_at,
            "regionCode": director.village.division.code,
        },
        recorded_at=computed_at,
    )
    county.builder.rel(("Assessment", "OF", "Director"), assessment_id, director.id)
