"""The workflow of a rectification (督促整改): states, who may act, deadlines and escalation.

::

    整改中 ──evidence──▶ 待验收 ──sign-off (销号)──▶ 已整改 ──re-check: held──▶ 复查通过
      ▲                    │ (evidence again)          │
      └────────────────────┴────── re-check: relapsed ◀┘  (a new round, a new deadline)

A supervisor (or the center) orders a rectification of a ledger entry with a
deadline counted in China's working days and names who must do the work (a
director, the town's station, its supervisor). The doer submits evidence; a
person of a *different role* signs it off (销号): the doer never closes their
own work. A re-check falls due some working days after the sign-off: the
problem held, or it came back and the rectification starts a new round.

Overdue: a rectification not signed off by the end of its deadline day (China
Standard Time) is overdue from 00:00 the next day. It is then urged (催办,
level 1) to the doer's superior; if it is still not signed off when
``notice_after`` more working days have ended, it is publicly noticed (通报,
level 2) to the town and the city center.

This module holds the rules; :mod:`graph.queries.supervision` the statements,
each change with its :data:`RectificationStep` in the same statement.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import strawberry

from graph.model import CST
from schema.access.principal import Role
from schema.core.workdays import add_working_days

OPEN = "整改中"
SUBMITTED = "待验收"
SIGNED_OFF = "已整改"
HELD = "复查通过"
#: Not yet signed off: the deadline runs, escalation may follow.
RUNNING: tuple[str, ...] = (OPEN, SUBMITTED)
#: Counted as done in a task's progress.
DONE: tuple[str, ...] = (SIGNED_OFF, HELD)

#: Step actions (the trail), and who the hub itself acts as.
OPENED = "opened"
EVIDENCE = "evidence-submitted"
SIGN_OFF = "signed-off"
URGED = "urged"
NOTICED = "noticed"
RECHECK_HELD = "rechecked-held"
RECHECK_RELAPSED = "rechecked-relapsed"
SYSTEM = "system"

#: Escalation levels and their names in the ledger (督办情况).
NOT_ESCALATED, URGE, NOTICE = 0, 1, 2
LEVEL_NAMES: dict[int, str] = {URGE: "催办", NOTICE: "通报"}

#: Defaults: working days to rectify in, before the re-check, and from 催办 to 通报.
DEFAULT_WORKING_DAYS = 10
DEFAULT_RECHECK_AFTER = 10
DEFAULT_NOTICE_AFTER = 3
MAX_WORKING_DAYS = 120

#: Task states; tasks raised from a commissioner's note carry this origin.
TASK_OPEN = "in_progress"
TASK_COMPLETED = "completed"
ORIGIN_PLAN = "plan"
ORIGIN_NOTE = "commissioner-note"


@strawberry.enum(
    name="RectificationStage",
    description="A rectification's state: 整改中 待验收 已整改 复查通过.",
)
class Stage(enum.Enum):
    OPEN = OPEN
    SUBMITTED = SUBMITTED
    SIGNED_OFF = SIGNED_OFF
    HELD = HELD


def stage_of(status: str | None) -> Stage | None:
    """The stage of a stored status (None for a status from before this workflow)."""
    try:
        return Stage(status)
    except ValueError:
        return None


#: Who may be named to do the work, and how the ledger names them.
DOER_TITLES: dict[Role, str] = {
    Role.DIRECTOR: "儿童主任",
    Role.STATION_STAFF: "未保站",
    Role.SUPERVISOR: "儿童督导员",
}
#: Who may sign off (销号) and re-check: never the doer's role (see :func:`sign_off_refusal`).
SIGNERS = frozenset({Role.STATION_STAFF, Role.SUPERVISOR, Role.CENTER_ADMIN})
#: Who may order a rectification, record ledger entries and plan tasks.
OVERSEERS = frozenset({Role.SUPERVISOR, Role.CENTER_ADMIN})
CENTER = "市未成年人保护中心"


@dataclass(frozen=True)
class Transition:
    """A step: the states it may start from and the one it leads to."""

    to: str
    sources: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    EVIDENCE: Transition(SUBMITTED, (OPEN, SUBMITTED)),
    SIGN_OFF: Transition(SIGNED_OFF, (SUBMITTED,)),
    RECHECK_HELD: Transition(HELD, (SIGNED_OFF,)),
    RECHECK_RELAPSED: Transition(OPEN, (SIGNED_OFF,)),
}


def refusal(action: str, status: str | None) -> str | None:
    """Why ``action`` cannot follow ``status`` (None: it can), worded for the person asking."""
    if status in TRANSITIONS[action].sources:
        return None
    if status == HELD:
        return "the rectification is closed: its re-check found the problem fixed"
    if action == EVIDENCE:
        return f"evidence is taken while the rectification is open (it is {status})"
    if action == SIGN_OFF:
        if status == OPEN:
            return "nothing to sign off yet: the doer has not submitted evidence"
        return f"the rectification was already signed off (it is {status})"
    if status in RUNNING:
        return f"re-check after the sign-off: the rectification is still {status}"
    return f"a rectification that is {status} cannot be re-checked"


def sign_off_refusal(
    role: Role, subject: str, submitter_role: str | None, submitter: str | None
) -> str | None:
    """Why this person may not sign off (or re-check) the doer's work (None: they may).

    The doer's work is judged by someone else in another role: a station's
    staff do not close their station's rectification, a supervisor does not
    close one they fixed themselves.
    """
    if role not in SIGNERS:
        return "signing off a rectification: station staff, supervisors and center admins may"
    if submitter is not None and subject == submitter:
        return "the person who did the work cannot sign it off"
    if submitter_role is not None and role.value == submitter_role:
        return (
            f"the work was done by a {submitter_role}: another role must sign it off "
            "(e.g. the supervisor or the city center)"
        )
    return None


def today(now_ms: int) -> dt.date:
    """The calendar day of an instant in China Standard Time."""
    return dt.datetime.fromtimestamp(now_ms / 1000, CST).date()


def deadline_in(opened: dt.date, working_days: int) -> dt.date:
    """The deadline ``working_days`` working days after the day it was ordered."""
    return add_working_days(opened, working_days)


def overdue(status: str | None, deadline: dt.date | None, now_ms: int) -> bool:
    """Not signed off and its deadline day has ended (from 00:00 CST the day after)."""
    return status in RUNNING and deadline is not None and deadline < today(now_ms)


def notice_due(urged_on: dt.date, notice_after: int) -> dt.date:
    """The last day of grace after 催办: 通报 follows when it has ended."""
    return add_working_days(urged_on, notice_after)


def escalation_name(level: int | None) -> str | None:
    """催办 or 通报 (None: not escalated)."""
    return LEVEL_NAMES.get(level or NOT_ESCALATED)
