"""A director's training record and certification, and exam papers.

Resolved per director (``Director.trainingRecord``, ``Director.certification``) but
loaded per request: one batch of statements serves a whole page of directors.

Who may read a record: the director themself; staff, supervisors and center admins
whose regions hold the director's village; partners granted exam results in their
regions. Statistics-only readers (commissioners, the public) get ``Forbidden``: they
have ``trainingDueStats`` and ``examResultStats``. Another director's record reads as
null, like any row outside the reader's scope.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.model import CST
from graph.queries import training as q
from schema.access.policy import Access
from schema.context import Info
from schema.core.fields import make_object
from schema.program.training_rules import (
    CertState,
    Result,
    TrainingRules,
    certification,
    default_rules,
    rotation,
)
from schema.program.training_types import (
    Certification,
    CertificationStatus,
    ExamScore,
    PaperQuestion,
    TopicDue,
    TopicPass,
    TrainingRecord,
)

Row = dict[str, Any]


@dataclass
class DirectorFacts:
    """What the graph holds about one director's training (sessions only when asked)."""

    village_code: str | None
    results: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)


def today(info: Info) -> dt.date:
    """The request's day in China Standard Time."""
    return dt.datetime.fromtimestamp(info.context.clock(), CST).date()


def may_read_record(access: Access, director_key: str, village_code: str | None) -> bool:
    """Whether the reader may have this director's training record (Forbidden: no role)."""
    access.require_rows("ExamResult", "training records")
    scope = access.rules.scope
    if scope == "care":
        return access.principal.person_id == director_key
    if scope == "all":
        return True
    return access.principal.covers(village_code)


def _grouped(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[str(row["key"])].append(row)
    return out


async def _facts(info: Info, keys: list[str], *, sessions: bool) -> list[DirectorFacts | None]:
    store = info.context.store
    reads = [store.read(q.DIRECTORS, {"keys": keys}), store.read(q.RESULTS, {"keys": keys})]
    if sessions:
        reads.append(store.read(q.ATTENDED, {"keys": keys}))
    found = await asyncio.gather(*reads)
    villages = {str(r["key"]): r["villageCode"] for r in found[0]}
    results = _grouped(found[1])
    attended = _grouped(found[2]) if sessions else {}
    return [
        None
        if key not in villages
        else DirectorFacts(villages[key], results.get(key, []), attended.get(key, []))
        for key in keys
    ]


async def load_facts(info: Info, key: str, *, sessions: bool) -> DirectorFacts | None:
    """One director's facts, batched with the other directors of the request."""

    async def load(keys: list[str]) -> Sequence[DirectorFacts | None]:
        return await _facts(info, keys, sessions=sessions)

    loader = info.context.loaders.batch(("training.facts", sessions), load)
    facts: DirectorFacts | None = await loader.load(key)
    return facts


def _results(rows: list[Row]) -> list[Result]:
    return [
        Result(
            topic=None if r["topic"] is None else str(r["topic"]),
            taken_on=dt.datetime.fromtimestamp(int(r["takenAt"]) / 1000, CST).date(),
            passed=bool(r["passed"]),
            score=None if r["score"] is None else float(r["score"]),
        )
        for r in rows
        if r["takenAt"] is not None
    ]


def certification_of(state: CertState) -> Certification:
    return Certification(
        status=CertificationStatus(state.status),
        certified=state.status == "certified",
        certified_on=state.certified_on,
        expires_on=state.expires_on,
        topics=[
            TopicPass(
                topic=p.topic,
                passed_on=p.passed_on,
                score=p.score,
                expires_on=p.expires_on,
                valid=p.valid,
            )
            for p in state.topics
        ],
        missing=list(state.missing),
    )


def _exam_score(row: Row) -> ExamScore:
    taken = row["takenAt"]
    return ExamScore(
        result_key=str(row["id"]),
        exam_title=row["examTitle"],
        topic=row["topic"],
        taken_at=None if taken is None else dt.datetime.fromtimestamp(int(taken) / 1000, CST),
        score=row["score"],
        max_score=row["maxScore"],
        passed=row["passed"],
        correct_count=row["correctCount"],
        question_count=row["questionCount"],
    )


async def director_certification(root: Any, info: Info) -> Certification | None:
    """``Director.certification``: null when the reader may not see the director's record."""
    facts = await load_facts(info, root.key, sessions=False)
    if facts is None or not may_read_record(info.context.access, root.key, facts.village_code):
        return None
    state = certification(_results(facts.results), today(info), rules(info))
    return certification_of(state)


async def director_training_record(root: Any, info: Info) -> TrainingRecord | None:
    """``Director.trainingRecord``: null when the reader may not see the director's record."""
    facts = await load_facts(info, root.key, sessions=True)
    if facts is None or not may_read_record(info.context.access, root.key, facts.village_code):
        return None
    day, ruleset = today(info), rules(info)
    training = make_object(info, "Training")
    due = rotation(
        ((str(s["topic"]), str(s["date"])) for s in facts.sessions if s["date"]), day, ruleset
    )
    return TrainingRecord(
        sessions=[training(s) for s in facts.sessions],
        exams=[_exam_score(r) for r in facts.results],
        certification=certification_of(certification(_results(facts.results), day, ruleset)),
        due=[
            TopicDue(
                topic=d.topic,
                last_trained=d.last_trained,
                due_on=d.due_on,
                overdue=d.overdue,
                due_soon=d.due_soon,
            )
            for d in due
        ],
    )


def rules(info: Info) -> TrainingRules:
    """The rotation and certification rules in force (the shipped ones)."""
    return default_rules()


async def exam_paper(root: Any, info: Info) -> list[PaperQuestion]:
    """``Exam.paper``: the exam's questions and options in order, without the answers."""

    async def load(keys: list[str]) -> Sequence[list[PaperQuestion]]:
        rows = await info.context.store.read(q.PAPER, {"keys": keys})
        papers: dict[str, list[PaperQuestion]] = defaultdict(list)
        for row in rows:
            paper = papers[str(row["key"])]
            paper.append(
                PaperQuestion(
                    number=len(paper) + 1,
                    topic=row["topic"],
                    text=str(row["text"]),
                    options=[str(o) for o in row["options"] or ()],
                    difficulty=row["difficulty"],
                )
            )
        return [papers.get(k, []) for k in keys]

    paper: list[PaperQuestion] = await info.context.loaders.batch("training.paper", load).load(
        root.key
    )
    return paper
