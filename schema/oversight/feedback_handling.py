"""The staff's handling loop over GraphQL: 受理 → 转办 → 办理 → 答复 → 回访, and extensions.

Who handles: center admins (in their regions) and the station staff of the
feedback's town. Supervisors read their town's feedback but do not handle it;
directors never read feedback. Extensions are asked for by a handler and
decided by a center admin other than the one who asked.

Each step is one statement that checks the state it starts from (see
:mod:`graph.queries.feedback`); the rules are in
:mod:`schema.oversight.feedback_workflow`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from graph.queries import feedback as q
from graph.statements import Statement
from schema.access.principal import Principal, Role
from schema.care.common import key_of, now_ms, optional_text, plain_text
from schema.context import Info
from schema.core.fields import make_object
from schema.core.selection import props_for
from schema.core.workdays import add_working_days
from schema.errors import BadArgument, Forbidden
from schema.oversight import feedback_workflow as wf
from schema.oversight.types import Feedback

HANDLERS = frozenset({Role.CENTER_ADMIN, Role.STATION_STAFF})
MAX_NOTE = 1000
MAX_REPLY = 2000
MAX_DEPARTMENT = 50
REQUESTED, APPROVED, REFUSED = "requested", "approved", "refused"


@strawberry.input(
    one_of=True,
    description="转办 to: the station of the feedback's town, or a department by name.",
)
class FeedbackAssigneeInput:
    station_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET)
    department: str | None = strawberry.field(
        default=strawberry.UNSET, description="e.g. 滕州市教育和体育局"
    )


def require_handler(principal: Principal, what: str) -> None:
    """Refuse, before any round trip, those who never handle feedback."""
    if principal.kind != "user" or principal.role not in HANDLERS:
        raise Forbidden(f"{what}: center admins and station staff handle feedback")


async def load_state(info: Info, key: str) -> dict[str, Any]:
    """The feedback's current state, if it lies in the reader's regions."""
    found = await info.context.store.read(q.STATE, {"id": key})
    if not found or not info.context.access.principal.covers(found[0]["regionCode"]):
        raise BadArgument("no feedback with that id in your regions")
    return found[0]


def step_params(
    principal: Principal | None,
    key: str,
    stage: str,
    now: int,
    *,
    note: str | None = None,
    rating: int | None = None,
    days: int | None = None,
) -> dict[str, Any]:
    """The step's parameters; ``principal`` None: the public, through the portal."""
    return {
        "id": key,
        "now": now,
        "source": "hub",
        "stepId": f"{key}:{stage}:{now}",
        "stepStage": stage,
        "stepActor": principal.name if principal is not None else None,
        "stepRole": principal.role.value if principal is not None else "public",
        "stepNote": note,
        "stepRating": rating,
        "stepDays": days,
    }


async def write_step(
    info: Info,
    stmt: Statement,
    transition: wf.Transition,
    status: str | None,
    params: dict[str, Any],
    to: str | None = None,
) -> None:
    """Apply one step; refuse with the reason if the feedback is (or became) in another state."""
    why = wf.refusal(transition, status)
    if why is not None:
        raise BadArgument(why)
    written, _ = await info.context.store.write(
        stmt, {**params, "from": list(transition.sources), "to": to or transition.to}
    )
    if not written:
        raise BadArgument("the feedback changed meanwhile: reload it and try again")


async def reload(info: Info, key: str) -> Feedback:
    """The feedback as the reader may see it after a step."""
    access = info.context.access
    props = props_for(info, "Feedback", Feedback, connection=False)
    row = await info.context.loaders.by_id("Feedback", props, access.row_params("Feedback")).load(
        key
    )
    if row is None:  # pragma: no cover - a handler reads what they may change
        raise Forbidden("the feedback is outside what you may read")
    feedback: Feedback = make_object(info, "Feedback")(row)
    return feedback


async def _start(info: Info, id: strawberry.ID, what: str) -> tuple[str, dict[str, Any], int]:
    require_handler(info.context.access.principal, what)
    key = key_of(id, "Feedback", "id")
    return key, await load_state(info, key), now_ms(info)


async def accept(info: Info, id: strawberry.ID, note: str | None) -> Feedback:
    key, state, now = await _start(info, id, "accepting feedback")
    text = optional_text(note, "note", maximum=MAX_NOTE)
    principal = info.context.access.principal
    rules = info.context.feedback_rules
    params = step_params(principal, key, wf.STAGE_ACCEPTED, now, note=text)
    params["onTime"] = wf.on_time(state["acceptDueDate"], now)
    params["replyDueDate"] = wf.reply_due(rules, str(state["kind"]), now).isoformat()
    await write_step(info, q.ACCEPT, wf.ACCEPT, state["status"], params)
    return await reload(info, key)


async def assign(
    info: Info, id: strawberry.ID, to: FeedbackAssigneeInput, note: str | None
) -> Feedback:
    key, state, now = await _start(info, id, "assigning feedback")
    text = optional_text(note, "note", maximum=MAX_NOTE)
    station: str | None = None
    if to.station_id:
        station = key_of(to.station_id, "Station", "stationId")
        rows = await info.context.store.read(q.STATION, {"id": station})
        town = str(state["regionCode"])[:9]
        if not rows or rows[0]["townCode"] != town:
            raise BadArgument("assign to the station of the feedback's own town, or a department")
        name = str(rows[0]["name"] or station)
    elif to.department:
        name = plain_text(to.department, "department", minimum=2, maximum=MAX_DEPARTMENT)
    else:
        raise BadArgument("name a station or a department")
    principal = info.context.access.principal
    params = step_params(principal, key, wf.STAGE_ASSIGNED, now, note=text or f"转至{name}")
    params.update(assignedTo=name, assignedStation=station)
    await write_step(info, q.ASSIGN, wf.ASSIGN, state["status"], params)
    return await reload(info, key)


async def handle(info: Info, id: strawberry.ID, note: str) -> Feedback:
    key, state, now = await _start(info, id, "handling feedback")
    text = plain_text(note, "note", maximum=MAX_NOTE)
    params = step_params(info.context.access.principal, key, wf.STAGE_HANDLED, now, note=text)
    await write_step(info, q.HANDLE, wf.HANDLE, state["status"], params)
    return await reload(info, key)


async def reply(info: Info, id: strawberry.ID, reply_text: str, note: str | None) -> Feedback:
    key, state, now = await _start(info, id, "replying to feedback")
    public = plain_text(reply_text, "reply", minimum=2, maximum=MAX_REPLY)
    text = optional_text(note, "note", maximum=MAX_NOTE)
    params = step_params(info.context.access.principal, key, wf.STAGE_REPLIED, now, note=text)
    params.update(reply=public, onTime=wf.on_time(state["replyDueDate"], now))
    await write_step(info, q.REPLY, wf.REPLY, state["status"], params)
    return await reload(info, key)


def check_rating(rating: int) -> int:
    if not 1 <= rating <= 5:
        raise BadArgument("`rating` is 1 (very dissatisfied) to 5 (very satisfied)")
    return rating


async def record_follow_up(
    info: Info,
    principal: Principal | None,
    key: str,
    state: dict[str, Any],
    rating: int,
    note: str | None,
) -> None:
    """回访: record the rating; one at or below 2 reopens the case with a new reply deadline."""
    now = now_ms(info)
    to = wf.rated_status(check_rating(rating))
    reopen = to == wf.REOPENED
    params = step_params(principal, key, wf.STAGE_FOLLOW_UP, now, note=note, rating=rating)
    params.update(
        rating=rating,
        reopen=reopen,
        reopenStage=wf.STAGE_REOPENED,
        replyDueDate=(
            wf.reply_due(info.context.feedback_rules, str(state["kind"]), now).isoformat()
            if reopen
            else None
        ),
    )
    await write_step(info, q.FOLLOW_UP, wf.FOLLOW_UP, state["status"], params, to=to)


async def follow_up(info: Info, id: strawberry.ID, rating: int, note: str | None) -> Feedback:
    key, state, _ = await _start(info, id, "recording a follow-up")
    text = optional_text(note, "note", maximum=MAX_NOTE)
    await record_follow_up(info, info.context.access.principal, key, state, rating, text)
    return await reload(info, key)


async def request_extension(info: Info, id: strawberry.ID, days: int, reason: str) -> Feedback:
    key, state, now = await _start(info, id, "asking for more time")
    limit = info.context.feedback_rules.max_extension_days
    if not 1 <= days <= limit:
        raise BadArgument(f"`workingDays` is 1 to {limit}")
    text = plain_text(reason, "reason", minimum=4, maximum=MAX_NOTE)
    if state["status"] not in wf.AWAITING_REPLY:
        raise BadArgument("only feedback still waiting for its reply may get more time")
    if state["extensionStatus"] == REQUESTED:
        raise BadArgument("an earlier request for more time is still waiting for a decision")
    principal = info.context.access.principal
    params = step_params(principal, key, wf.STAGE_EXTENSION_ASKED, now, note=text, days=days)
    params.update(requested=REQUESTED, requestedBy=principal.subject)
    stay = wf.Transition(wf.STAGE_EXTENSION_ASKED, str(state["status"]), wf.AWAITING_REPLY)
    await write_step(info, q.REQUEST_EXTENSION, stay, state["status"], params)
    return await reload(info, key)


async def decide_extension(
    info: Info, id: strawberry.ID, approve: bool, note: str | None
) -> Feedback:
    principal = info.context.access.principal
    if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
        raise Forbidden("deciding on more time: center admins may")
    key = key_of(id, "Feedback", "id")
    state = await load_state(info, key)
    text = optional_text(note, "note", maximum=MAX_NOTE)
    if state["extensionStatus"] != REQUESTED:
        raise BadArgument("no request for more time is waiting on this feedback")
    if state["extensionRequestedBy"] == principal.subject:
        raise BadArgument("another center admin must decide on your own request for more time")
    now = now_ms(info)
    days = int(state["extensionDays"])
    due_before = state["replyDueDate"]
    if due_before is None:
        raise BadArgument("the feedback has no reply deadline to extend")
    new_due = add_working_days(dt.date.fromisoformat(str(due_before)), days)
    stage = wf.STAGE_EXTENSION_APPROVED if approve else wf.STAGE_EXTENSION_REFUSED
    params = step_params(principal, key, stage, now, note=text, days=days if approve else None)
    params.update(
        decision=APPROVED if approve else REFUSED,
        approve=approve,
        replyDueDate=new_due.isoformat(),
        requested=REQUESTED,
        dueBefore=due_before,
    )
    stay = wf.Transition(stage, str(state["status"]), wf.AWAITING_REPLY)
    await write_step(info, q.DECIDE_EXTENSION, stay, state["status"], params)
    return await reload(info, key)
