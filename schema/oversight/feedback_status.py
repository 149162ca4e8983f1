"""The public's view of one submission: ``feedbackStatus(reference, accessCode)``, ``rateFeedback``.

It answers the holder of the tracking code only, whoever runs the query (the
portal runs it as the anonymous principal). The answer is made for the
public: kind, stages with their dates, deadlines, the public reply, whether it
was taken as urgent. Never the complainant's identity, never who handled it
or their notes: the statement does not even read them.

A wrong access code and an unknown reference get the same answer (null),
after the same work (:func:`schema.oversight.feedback_codes.code_matches`):
the look-up tells nobody which references exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import strawberry

from graph.model import CST
from graph.queries import feedback as q
from schema.care.common import optional_text
from schema.context import Info
from schema.oversight import feedback_codes as codes
from schema.oversight import feedback_workflow as wf
from schema.oversight.feedback_handling import check_rating, record_follow_up

MAX_COMMENT = 500


@strawberry.type(description="A stage of a submission as the public sees it.")
class FeedbackStage:
    stage: str = strawberry.field(description="受理, 转办, 办理, 答复, 回访…")
    label: str = strawberry.field(description="What it means, in words")
    at: dt.datetime


@strawberry.type(description="A submission's progress, for the holder of its tracking code.")
class FeedbackStatus:
    reference: str
    kind: str
    status: str = strawberry.field(
        description="submitted, reported, accepted, assigned, handled, replied, closed, reopened"
    )
    status_label: str = strawberry.field(description="The status in words (zh-CN)")
    submitted_at: dt.datetime
    urgent: bool
    accept_by: dt.date | None = strawberry.field(description="To be accepted by this day")
    reply_by: dt.date | None = strawberry.field(description="To be replied to by this day")
    replied_at: dt.datetime | None
    public_reply: str | None = strawberry.field(description="The handlers' reply")
    rating: int | None = strawberry.field(description="The satisfaction rating given, 1-5")
    can_rate: bool = strawberry.field(description="A reply waits for a rating (回访)")
    stages: list[FeedbackStage]


@dataclass(frozen=True)
class _Found:
    key: str
    row: dict[str, Any]


def _instant(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(int(value) / 1000, CST)


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


async def _find(info: Info, reference: str, access_code: str) -> _Found | None:
    """The submission the code opens, or None (unknown, or a wrong code: the same)."""
    rules = info.context.feedback_rules
    ref = codes.normal_reference(reference)
    code = codes.normal_access_code(access_code)
    rows = await info.context.store.read(q.STATUS, {"reference": ref}) if ref and code else []
    stored = rows[0]["accessHash"] if len(rows) == 1 else None
    matched = await codes.code_matches(
        stored,
        code or "",
        time_cost=rules.hash_time_cost,
        memory_kib=rules.hash_memory_kib,
    )
    if not matched:
        return None
    return _Found(str(rows[0]["id"]), rows[0])


def _status(reference: str, row: dict[str, Any]) -> FeedbackStatus:
    stages = sorted(
        (
            FeedbackStage(stage=str(stage), label=wf.PUBLIC_STAGES[str(stage)], at=at)
            for stage, at in (
                (s[0], _instant(s[1])) for s in row["steps"] if s and s[0] is not None
            )
            if str(stage) in wf.PUBLIC_STAGES and at is not None
        ),
        key=lambda s: s.at,
    )
    status = str(row["status"])
    return FeedbackStatus(
        reference=reference,
        kind=str(row["kind"]),
        status=status,
        status_label=wf.STATUS_WORDS.get(status, status),
        submitted_at=_instant(row["submittedAt"]) or dt.datetime.fromtimestamp(0, CST),
        urgent=bool(row["urgent"]),
        accept_by=_date(row["acceptDueDate"]) if status == wf.SUBMITTED else None,
        reply_by=_date(row["replyDueDate"]) if status in wf.AWAITING_REPLY else None,
        replied_at=_instant(row["repliedAt"]),
        public_reply=row["publicReply"],
        rating=row["rating"],
        can_rate=status == wf.REPLIED,
        stages=stages,
    )


async def feedback_status(info: Info, reference: str, access_code: str) -> FeedbackStatus | None:
    """The progress of the submission the code opens; null for anything else."""
    found = await _find(info, reference, access_code)
    if found is None:
        return None
    return _status(str(found.row["trackingRef"]), found.row)


async def rate(
    info: Info, reference: str, access_code: str, rating: int, comment: str | None
) -> FeedbackStatus | None:
    """The submitter's own rating of a reply (回访); null when the code opens nothing.

    Like a follow-up call: a rating of 2 or less reopens the case.
    """
    text = optional_text(comment, "comment", maximum=MAX_COMMENT)
    check_rating(rating)
    found = await _find(info, reference, access_code)
    if found is None:
        return None
    await record_follow_up(info, None, found.key, found.row, rating, text)
    ref = str(found.row["trackingRef"])
    rows = await info.context.store.read(q.STATUS, {"reference": ref})
    return _status(ref, rows[0])
