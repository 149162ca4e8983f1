"""Quarterly assessments (闭环考核) of directors and supervisors, computed by the hub's engine.

The demo does not make these numbers up: for each quarter of 2026 it gathers,
from the rows generated so far, exactly the rows the engine's statements
(:mod:`graph.queries.assessment`) would read from the loaded graph, and scores
them with the engine's own functions (:func:`schema.program.assessment_engine.compute`)
and formula (``v1``), as the engine would have run on the day after the
quarter's assessment was due (:attr:`hub.demo.clock.Quarter.computed_at`).
Running ``weibao assessment run`` for a past quarter on the loaded demo graph
therefore finds every input unchanged and writes nothing.

It runs last among the generators that write program data: it reads visits,
services, reports, exams and the supervision ledger, and draws no random
numbers of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from hub.demo.clock import QUARTERS, ms
from hub.demo.context import County
from hub.demo.rows import DemoPart, RelKey
from schema.program.assessment_engine import assessment_id, compute
from schema.program.assessment_facts import GONE, Period, PeriodRows, Row, day_of
from schema.program.assessment_formula import DEFAULT_VERSION, Formula, load_formula


def build_assessments(county: County) -> None:
    """Assessment rows for every director and supervisor, per quarter, each OF its subject."""
    rows = DemoRows(county.builder.build())
    formula = load_formula(DEFAULT_VERSION)
    for quarter in QUARTERS:
        computed_at = ms(quarter.computed_at)
        period = Period.of(quarter.period, day_of(computed_at))
        directors, supervisors = compute(rows.period(period, formula), period, formula)
        for score in (*directors, *supervisors):
            record = assessment_id(score.subject.id, period.code, formula.version)
            county.builder.node(
                "Assessment", record, score.props(computed_at), recorded_at=computed_at
            )
            label = "Director" if score.subject.kind == "director" else "Supervisor"
            county.builder.rel(("Assessment", "OF", label), record, score.subject.id)


def _optional(ends: list[str] | None) -> list[str | None]:
    """The ends of an OPTIONAL MATCH: a row with null when there is none."""
    return list(ends) if ends else [None]


class DemoRows:
    """The generated rows, answering as the engine's statements answer on the graph."""

    def __init__(self, part: DemoPart) -> None:
        self.nodes: dict[str, dict[str, dict[str, object]]] = {
            label: {row["id"]: dict(row["props"]) for row in rows}
            for label, rows in part.nodes.items()
        }
        self._rels = part.rels
        self._ends: dict[RelKey, dict[str, list[str]]] = {}

    def _label(self, label: str) -> dict[str, dict[str, object]]:
        return self.nodes.get(label, {})

    def ends(self, key: RelKey) -> dict[str, list[str]]:
        """Start id → end ids of a relationship triple."""
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = defaultdict(list)
            for rel in self._rels.get(key, ()):
                found[rel["start"]].append(rel["end"])
        return found

    def _by_code(self, label: str) -> dict[str, dict[str, object]]:
        return {str(p["code"]): p for p in self._label(label).values() if "code" in p}

    def period(self, period: Period, formula: Formula) -> PeriodRows:
        """What :func:`schema.program.assessment_engine.gather` reads for ``period``."""
        start, to, window = period.start_ms, period.to_ms, period.window_ms(formula)
        villages, towns = self._by_code("Village"), self._by_code("Town")
        children = self._label("Child")
        return PeriodRows(
            directors=self._directors(villages, towns),
            pairings=[
                {
                    "director": rel["start"],
                    "child": rel["end"],
                    "since": rel["props"].get("sinceDate"),
                    "enrolled": children[rel["end"]].get("enrolledDate"),
                    "category": children[rel["end"]].get("primaryCategory"),
                    "risk": children[rel["end"]].get("riskLevel"),
                }
                for rel in self._rels.get(("Director", "PAIRED_WITH", "Child"), ())
            ],
            visits=self._visits(window, to),
            reviews=self._reviews(window, to),
            services=self._services(start, to),
            reports=self._reports(start, to),
            exams=self._exams(to),
            supervisors=[
                {
                    "id": key,
                    "name": p.get("name"),
                    "townCode": p.get("townCode"),
                    "townName": towns.get(str(p.get("townCode")), {}).get("name"),
                }
                for key, p in self._label("Supervisor").items()
            ],
            ledger=self._ledger(),
        )

    def _current(
        self, label: str, instant: str, start: int, to: int
    ) -> Iterable[tuple[str, Mapping[str, object]]]:
        for key, props in self._label(label).items():
            at = props.get(instant)
            if not isinstance(at, int) or not start <= at < to:
                continue
            # As the statements: the current version, with a village (any, for the city).
            if props.get("supersededAt") is None and isinstance(props.get("villageCode"), str):
                yield key, props

    def _directors(
        self,
        villages: Mapping[str, Mapping[str, object]],
        towns: Mapping[str, Mapping[str, object]],
    ) -> list[Row]:
        out = []
        for key, p in self._label("Director").items():
            if str(p.get("status") or "") in GONE or not isinstance(p.get("villageCode"), str):
                continue
            village = villages.get(str(p.get("villageCode")), {})
            town = towns.get(str(village.get("townCode")), {})
            out.append(
                {
                    "id": key,
                    "name": p.get("name"),
                    "villageCode": p.get("villageCode"),
                    "qualification": p.get("socialWorkQualification"),
                    "villageName": village.get("name"),
                    "townName": town.get("name"),
                }
            )
        return out

    def _visits(self, window: int, to: int) -> list[Row]:
        of, by = self.ends(("Visit", "OF", "Child")), self.ends(("Visit", "BY", "Director"))
        out = []
        for key, p in self._current("Visit", "startedAt", window, to):
            observations = p.get("riskObservations")
            for child in of.get(key, ()):
                for director in _optional(by.get(key)):
                    out.append(
                        {
                            "id": key,
                            "child": child,
                            "director": director,
                            "startedAt": p["startedAt"],
                            "flagged": bool(p.get("flagged") or False),
                            "risk": isinstance(observations, list) and len(observations) > 0,
                        }
                    )
        return out

    def _services(self, start: int, to: int) -> list[Row]:
        for_ = self.ends(("Service", "FOR", "Child"))
        return [
            {"child": child, "at": props["deliveredAt"]}
            for key, props in self._current("Service", "deliveredAt", start, to)
            for child in for_.get(key, ())
        ]

    def _reviews(self, window: int, to: int) -> list[Row]:
        visits = self._label("Visit")
        of = self.ends(("VisitReview", "OF", "Visit"))
        out = []
        for key, p in self._label("VisitReview").items():
            if p.get("supersededAt") is not None:
                continue
            for visit in of.get(key, ()):
                started = visits.get(visit, {}).get("startedAt")
                if isinstance(started, int) and window <= started < to:
                    out.append(
                        {
                            "visit": visit,
                            "decision": p.get("decision"),
                            "reviewedAt": p.get("reviewedAt"),
                        }
                    )
        return out

    def _reports(self, start: int, to: int) -> list[Row]:
        about = self.ends(("MandatoryReport", "ABOUT", "Child"))
        by = self.ends(("MandatoryReport", "REPORTED_BY", "Director"))
        return [
            {"id": key, "at": p["reportedAt"], "child": child, "director": director}
            for key, p in self._current("MandatoryReport", "reportedAt", start, to)
            for child in _optional(about.get(key))
            for director in _optional(by.get(key))
        ]

    def _exams(self, to: int) -> list[Row]:
        exams = self._label("Exam")
        of, for_ = (
            self.ends(("ExamResult", "OF", "Director")),
            self.ends(("ExamResult", "FOR", "Exam")),
        )
        out = []
        for key, p in self._label("ExamResult").items():
            taken = p.get("takenAt")
            if not isinstance(taken, int) or taken >= to or p.get("supersededAt") is not None:
                continue
            for director in of.get(key, ()):
                for exam in _optional(for_.get(key)):
                    out.append(
                        {
                            "director": director,
                            "takenAt": taken,
                            "score": p.get("score"),
                            "maxScore": exams.get(exam or "", {}).get("maxScore"),
                        }
                    )
        return out

    def _ledger(self) -> list[Row]:
        resolves: dict[str, list[str]] = defaultdict(list)
        for rel in self._rels.get(("Rectification", "RESOLVES", "LedgerEntry"), ()):
            resolves[rel["end"]].append(rel["start"])
        entries, rectifications = self._label("LedgerEntry"), self._label("Rectification")
        out = []
        for rel in self._rels.get(("LedgerEntry", "RECORDED_BY", "Supervisor"), ()):
            entry = entries.get(rel["start"], {})
            if entry.get("supersededAt") is not None:
                continue
            for rect in _optional(resolves.get(rel["start"])):
                r = rectifications.get(rect or "", {})
                out.append(
                    {
                        "supervisor": rel["end"],
                        "entry": rel["start"],
                        "found": entry.get("foundDate"),
                        "rectification": rect,
                        "deadline": r.get("deadline"),
                        "completed": r.get("completedDate"),
                    }
                )
        return out
