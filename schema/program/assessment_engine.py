"""The assessment engine: a period's assessments for a whole region, in a few round trips.

``run_assessment`` reads the period's facts once per kind for every director
and supervisor of the region (nine reads), scores them in Python
(:mod:`schema.program.assessment_score`) and writes with ``UNWIND`` batches:

* no current assessment of that person, period and formula version: a new one;
* one whose inputs hash matches: nothing (the same data gives the same result);
* one whose inputs changed: a correction, i.e. a new version superseding it.

Assessments of another formula version are never touched: computing a period
with a new version writes new assessments beside the old ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from graph import GraphStore
from graph.queries import assessment as q
from schema.program.assessment_facts import (
    GONE,
    Period,
    PeriodRows,
    day_of,
    director_facts,
    supervisor_facts,
)
from schema.program.assessment_formula import DEFAULT_VERSION, Formula, load_formula
from schema.program.assessment_score import Score, score_director, score_supervisor

#: Rows per write round trip (an assessment's properties are ~2 kB).
BATCH = 500


@dataclass
class RunReport:
    """What one run did."""

    period: str
    formula_version: str
    through: str
    directors: int = 0
    supervisors: int = 0
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    tiers: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "formulaVersion": self.formula_version,
            "through": self.through,
            "directors": self.directors,
            "supervisors": self.supervisors,
            "created": self.created,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 3),
            "tiers": dict(sorted(self.tiers.items())),
        }


def assessment_id(subject_id: str, period: str, version: str) -> str:
    """The record id of a person's assessment for a period under a formula version."""
    return f"assessment-{subject_id}-{period}-{version}"


async def gather(store: GraphStore, period: Period, formula: Formula, region: str) -> PeriodRows:
    """The period's rows for every director and supervisor whose code starts with ``region``."""
    base = {"region": region}
    window = {**base, "from": period.window_ms(formula), "to": period.to_ms}
    inside = {**base, "from": period.start_ms, "to": period.to_ms}
    reads = await asyncio.gather(
        store.read(q.DIRECTORS, {**base, "gone": list(GONE)}),
        store.read(q.PAIRINGS, base),
        store.read(q.VISITS, window),
        store.read(q.REVIEWS, window),
        store.read(q.SERVICES, inside),
        store.read(q.REPORTS, inside),
        store.read(q.EXAMS, {**base, "to": period.to_ms}),
        store.read(q.SUPERVISORS, base),
        store.read(q.LEDGER, base),
    )
    return PeriodRows(*reads)


def compute(rows: PeriodRows, period: Period, formula: Formula) -> tuple[list[Score], list[Score]]:
    """Every director's and supervisor's score from the period's rows (pure)."""
    directors = [score_director(f, period, formula) for f in director_facts(rows, period, formula)]
    by_id = {s.subject.id: s for s in directors}
    supervisors = [
        score_supervisor(f, period, formula, by_id) for f in supervisor_facts(rows, period)
    ]
    return directors, supervisors


def event_props(score: Score, record_id: str, now_ms: int) -> dict[str, Any]:
    """A new assessment's properties: the score's, its versioning and provenance."""
    return {
        **score.props(now_ms),
        "recordId": record_id,
        "version": 1,
        "recordedAt": now_ms,
        "source": "hub",
        "sourceKey": record_id,
        "seenAt": now_ms,
    }


def correction_props(score: Score, new_id: str, now_ms: int) -> dict[str, Any]:
    """A correction's properties (the statement sets its record id, version and time)."""
    return {**score.props(now_ms), "source": "hub", "sourceKey": new_id, "seenAt": now_ms}


async def run_assessment(
    store: GraphStore,
    period_code: str,
    formula_version: str = DEFAULT_VERSION,
    *,
    now_ms: int,
    region: str = "",
) -> RunReport:
    """Assess every director and supervisor of ``region`` for a period, as of ``now_ms``.

    Raises :class:`~schema.program.assessment_facts.PeriodError` for a period
    with nothing to assess yet and
    :class:`~schema.program.assessment_formula.FormulaError` for an unknown version.
    """
    started = time.perf_counter()
    formula = load_formula(formula_version)
    period = Period.of(period_code, day_of(now_ms))
    rows = await gather(store, period, formula, region)
    directors, supervisors = compute(rows, period, formula)
    report = RunReport(
        period.code,
        formula.version,
        period.through.isoformat(),
        directors=len(directors),
        supervisors=len(supervisors),
    )
    report.tiers = dict(Counter(f"{s.subject.kind}:{s.tier}" for s in (*directors, *supervisors)))
    current = await _current(store, period, formula, region)
    created: dict[str, list[dict[str, Any]]] = {"director": [], "supervisor": []}
    corrections: list[dict[str, Any]] = []
    for score in (*directors, *supervisors):
        found = current.get(score.subject.id)
        if found is None:
            record = assessment_id(score.subject.id, period.code, formula.version)
            created[score.subject.kind].append(
                {
                    "subject": score.subject.id,
                    "id": record,
                    "props": event_props(score, record, now_ms),
                }
            )
        elif found["inputsHash"] == score.inputs_hash:
            report.unchanged += 1
        else:
            new_id = f"{found['recordId']}-v{int(found['version'] or 1) + 1}"
            corrections.append(
                {
                    "oldId": found["id"],
                    "newId": new_id,
                    "props": correction_props(score, new_id, now_ms),
                }
            )
    await store.write_rows(q.CREATE_FOR["Director"], created["director"], batch_size=BATCH)
    await store.write_rows(q.CREATE_FOR["Supervisor"], created["supervisor"], batch_size=BATCH)
    await store.write_rows(q.CORRECT, corrections, batch_size=BATCH, extra={"at": now_ms})
    report.created = len(created["director"]) + len(created["supervisor"])
    report.corrected = len(corrections)
    report.seconds = time.perf_counter() - started
    return report


async def _current(
    store: GraphStore, period: Period, formula: Formula, region: str
) -> dict[str, dict[str, Any]]:
    """The current assessment of each person for the period and version (latest version)."""
    rows = await store.read(
        q.EXISTING, {"period": period.code, "version": formula.version, "region": region}
    )
    out: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: int(r["version"] or 1)):
        out[str(row["subject"])] = {
            **row,
            "recordId": row.get("recordId") or row["id"],
        }
    return out


async def score_one(
    store: GraphStore, subject_id: str, period: Period, formula: Formula, region: str
) -> Score | None:
    """One person's score from the data as it stands (``region``: their town, for a
    supervisor's directors), or None if they are not assessed there."""
    rows = await gather(store, period, formula, region)
    directors, supervisors = compute(rows, period, formula)
    return next((s for s in (*directors, *supervisors) if s.subject.id == subject_id), None)
