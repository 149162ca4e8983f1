"""The workflow of a mandatory report (强制报告): states, transitions, timer and escalation.

::

    routed ──acknowledge──▶ acknowledged ──▶ investigating ⇄ referred
      │  ▲                        │               │            │
      ▼  │ (timer runs out)       └───────────────┴────────────┴──▶ closed
    escalated ──acknowledge──▶ acknowledged

A report is routed at intake to the police liaison and civil affairs with a
timer (``dueAt``). Until someone on duty acknowledges it, every time the timer
runs out it escalates one level up (1: the town's supervisor and station
head; 2: the city center; 3 and on: the civil-affairs bureau's leadership)
and the timer starts again. Reports from the older systems may still be
``received`` or ``verifying``: they wait for acknowledgement like ``routed``.

This module holds the rules; :mod:`graph.queries.reports` the statements
that apply them, each change with its step in the trail.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from graph import GraphStore
from graph.queries import reports as q

RECEIVED = "received"
ROUTED = "routed"
ESCALATED = "escalated"
ACKNOWLEDGED = "acknowledged"
INVESTIGATING = "investigating"
REFERRED = "referred"
CLOSED = "closed"

#: Waiting for someone on duty to acknowledge it: the timer runs.
WAITING: tuple[str, ...] = (RECEIVED, "verifying", ROUTED, ESCALATED)
#: The timer's escalation only concerns reports routed with a timer.
TIMED: tuple[str, ...] = (ROUTED, ESCALATED)

#: Where every report goes at intake, at once.
ROUTED_TO: tuple[str, ...] = ("police-liaison", "civil-affairs")
#: How long those on duty have to acknowledge a report (the hub's setting overrides it).
DEFAULT_ACK_WINDOW_S = 3600

#: Who is alerted at each escalation level (the last one repeats from level 3 on).
ESCALATION_NOTES: tuple[str, str, str] = (
    "逾期未签收，升级至第1级：镇（街道）儿童督导员、未保站站长 "
    "(level 1: the town's supervisor and station head)",
    "逾期未签收，升级至第2级：市未成年人保护中心 (level 2: the city center)",
    "逾期未签收，升级至第3级及以上：民政局分管领导 "
    "(level 3+: the civil-affairs bureau's leadership)",
)
ROUTED_NOTE = "已即时转送公安联络员、民政部门 (routed to the police liaison and civil affairs)"
#: Steps the hub takes by itself carry this actor role.
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    """A follow-up: the states it may start from and the one it leads to."""

    to: str
    sources: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    ACKNOWLEDGED: Transition(ACKNOWLEDGED, WAITING),
    INVESTIGATING: Transition(INVESTIGATING, (ACKNOWLEDGED, REFERRED)),
    REFERRED: Transition(REFERRED, (ACKNOWLEDGED, INVESTIGATING)),
    CLOSED: Transition(CLOSED, (ACKNOWLEDGED, INVESTIGATING, REFERRED)),
}


def refusal(action: str, status: str | None) -> str | None:
    """Why ``action`` cannot follow ``status`` (None: it can), worded for the person asking."""
    transition = TRANSITIONS[action]
    if status in transition.sources:
        return None
    if status == CLOSED:
        return "the report is already closed"
    if status == action:
        return f"the report is already {action}"
    if action == ACKNOWLEDGED:
        return f"the report was already acknowledged (it is {status})"
    if status in WAITING:
        return f"acknowledge the report before marking it {action} (it is {status})"
    return f"a report that is {status} cannot be marked {action}"


def waiting_for_acknowledgement(status: str | None, acknowledged_at: object) -> bool:
    """Whether the report's timer runs: not acknowledged, not closed."""
    return acknowledged_at is None and status in WAITING


def seconds_left(
    status: str | None, due_at: dt.datetime | None, acknowledged_at: object, now_s: float
) -> int | None:
    """Seconds until the deadline (negative once past it); None when no timer runs."""
    if due_at is None or not waiting_for_acknowledgement(status, acknowledged_at):
        return None
    return math.floor(due_at.timestamp() - now_s)


async def escalate_overdue(store: GraphStore, *, now_ms: int, window_ms: int) -> int:
    """Escalate every report whose timer ran out unacknowledged; how many were escalated.

    One statement for all of them: each goes one level up, gets the deadline
    ``now_ms + window_ms`` and an ``escalated`` step naming whom the level
    alerts. Running it again before the new deadlines changes nothing.
    """
    level1, level2, level3 = ESCALATION_NOTES
    rows, _ = await store.write(
        q.ESCALATE,
        {
            "waiting": list(TIMED),
            "now": now_ms,
            "escalated": ESCALATED,
            "dueAt": now_ms + window_ms,
            "actorRole": SYSTEM,
            "level1": level1,
            "level2": level2,
            "level3": level3,
            "source": "hub",
        },
    )
    return int(rows[0]["escalated"]) if rows else 0
