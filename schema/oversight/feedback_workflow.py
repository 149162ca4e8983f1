"""The handling loop of feedback from the public: states, transitions, deadlines, overdue.

::

    submitted ─受理 accept─▶ accepted ─转办 assign─▶ assigned ─┐ (re-assign)
                                 │                    │ ◀─────┘
                                 └──────办理 handle───┴──▶ handled ─答复 reply─▶ replied
    reported (a danger disclosure: a mandatory report) ─办理──▶ handled
    replied ─回访 follow-up: rating ≥ 3─▶ closed
            └──────────────── rating ≤ 2─▶ reopened ─办理 / 转办─▶ …

Two deadlines, in Chinese working days per kind (:class:`FeedbackRules`):
accepting, counted from the submission day, and replying, counted from the
acceptance day (and again from the day a low rating reopened the case). A
deadline is met on the day itself (end of day, China Standard Time). A handler
may ask for more time; a center admin's approval moves the reply deadline.

A danger disclosure skips the queue: it becomes a mandatory report routed at
once, so it is ``reported`` (accepted by the system the moment it arrived).

This module holds the rules; :mod:`graph.queries.feedback` the statements
that apply them, each change with its ``FeedbackStep``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph.model import CST
from schema.core.workdays import add_working_days
from schema.oversight.feedback_rules import FeedbackRules

SUBMITTED = "submitted"
REPORTED = "reported"
ACCEPTED = "accepted"
ASSIGNED = "assigned"
HANDLED = "handled"
REPLIED = "replied"
CLOSED = "closed"
REOPENED = "reopened"

#: Waiting for a reply: the reply deadline runs (extensions apply to these).
AWAITING_REPLY: tuple[str, ...] = (REPORTED, ACCEPTED, ASSIGNED, HANDLED, REOPENED)
#: A reply stands (the resolution rate counts these).
RESOLVED: tuple[str, ...] = (REPLIED, CLOSED)

#: Step stages, as the trail and the public status page name them.
STAGE_SUBMITTED = "提交"
STAGE_REPORTED = "转强制报告"
STAGE_ACCEPTED = "受理"
STAGE_ASSIGNED = "转办"
STAGE_HANDLED = "办理"
STAGE_REPLIED = "答复"
STAGE_FOLLOW_UP = "回访"
STAGE_REOPENED = "重新办理"
STAGE_EXTENSION_ASKED = "延期申请"
STAGE_EXTENSION_APPROVED = "延期批准"
STAGE_EXTENSION_REFUSED = "延期驳回"

#: What the public status page says of each stage it shows; the others (who asked
#: for more time, a refusal) are the handlers' business.
PUBLIC_STAGES: dict[str, str] = {
    STAGE_SUBMITTED: "已提交",
    STAGE_REPORTED: "已作为紧急情况转交值班人员处理",
    STAGE_ACCEPTED: "已受理",
    STAGE_ASSIGNED: "已转交相关部门办理",
    STAGE_HANDLED: "已办理",
    STAGE_REPLIED: "已答复",
    STAGE_FOLLOW_UP: "已回访",
    STAGE_REOPENED: "因不满意重新办理",
    STAGE_EXTENSION_APPROVED: "办理期限经批准延长",
}
#: Statuses in words for the public.
STATUS_WORDS: dict[str, str] = {
    SUBMITTED: "待受理",
    REPORTED: "紧急处理中",
    ACCEPTED: "已受理",
    ASSIGNED: "办理中",
    HANDLED: "办理中",
    REPLIED: "已答复，待回访",
    CLOSED: "已办结",
    REOPENED: "重新办理中",
}

#: A rating at or below this reopens the case.
REOPEN_AT_OR_BELOW = 2


@dataclass(frozen=True)
class Transition:
    """A handling step: the states it may start from and the one it leads to."""

    stage: str
    to: str
    sources: tuple[str, ...]


ACCEPT = Transition(STAGE_ACCEPTED, ACCEPTED, (SUBMITTED,))
ASSIGN = Transition(STAGE_ASSIGNED, ASSIGNED, (ACCEPTED, ASSIGNED, REOPENED))
HANDLE = Transition(STAGE_HANDLED, HANDLED, (REPORTED, ACCEPTED, ASSIGNED, REOPENED))
REPLY = Transition(STAGE_REPLIED, REPLIED, (HANDLED,))
#: The follow-up leads to ``closed`` or ``reopened`` depending on the rating.
FOLLOW_UP = Transition(STAGE_FOLLOW_UP, CLOSED, (REPLIED,))


def refusal(transition: Transition, status: str | None) -> str | None:
    """Why ``transition`` cannot follow ``status`` (None: it can), for the person asking."""
    if status in transition.sources:
        return None
    if status == CLOSED:
        return "the feedback is closed"
    if status == SUBMITTED:
        return "accept the feedback (受理) first"
    if status == REPLIED:
        return "the feedback was replied to: record the follow-up call (回访)"
    if transition is REPLY:
        return f"record how it was handled (办理) before replying (it is {status})"
    if transition is FOLLOW_UP:
        return f"the follow-up (回访) comes after the reply (it is {status})"
    return f"feedback that is {status} cannot be {transition.to}"


def rated_status(rating: int) -> str:
    """Where a follow-up with ``rating`` leaves the case: a low rating reopens it."""
    return REOPENED if rating <= REOPEN_AT_OR_BELOW else CLOSED


def today_of(epoch_ms: int) -> dt.date:
    """The calendar day of an instant in China Standard Time (deadlines are days)."""
    return dt.datetime.fromtimestamp(epoch_ms / 1000, CST).date()


def accept_due(rules: FeedbackRules, kind: str, submitted_ms: int) -> dt.date:
    """The last day to accept a submission of ``kind``."""
    return add_working_days(today_of(submitted_ms), rules.accept_days[kind])


def reply_due(rules: FeedbackRules, kind: str, from_ms: int) -> dt.date:
    """The last day to reply, counted from the acceptance (or reopening) at ``from_ms``."""
    return add_working_days(today_of(from_ms), rules.reply_days[kind])


def on_time(due: dt.date | str | None, at_ms: int) -> bool:
    """Whether something done at ``at_ms`` met the deadline ``due`` (none: met)."""
    if due is None:
        return True
    day = due if isinstance(due, dt.date) else dt.date.fromisoformat(due)
    return today_of(at_ms) <= day


def current_deadline(
    status: str | None, accept_by: dt.date | None, reply_by: dt.date | None
) -> dt.date | None:
    """The deadline that runs now: accepting, replying, or none (replied, closed)."""
    if status == SUBMITTED:
        return accept_by
    if status in AWAITING_REPLY:
        return reply_by
    return None


def overdue(
    status: str | None, accept_by: dt.date | None, reply_by: dt.date | None, now_ms: int
) -> bool:
    """Whether the deadline that runs now has passed."""
    due = current_deadline(status, accept_by, reply_by)
    return due is not None and today_of(now_ms) > due
