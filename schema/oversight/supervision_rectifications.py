"""Rectifications (督促整改) over GraphQL: order one, submit evidence, sign off, re-check.

The rules (states, who may act, deadlines) are in
:mod:`schema.oversight.supervision_workflow`; each step here checks them,
then writes the change and its ``RectificationStep`` in one statement that
only applies if the rectification is still in the state it was read in.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import strawberry

from graph.queries import supervision as q
from schema.access.principal import Principal, Role
from schema.care.common import key_of, now_ms, optional_text, plain_text
from schema.context import Info
from schema.core.workdays import add_working_days, next_working_day, working_days_between
from schema.errors import BadArgument, Forbidden
from schema.media import BlobError, check_key
from schema.oversight import supervision_workflow as wf
from schema.oversight.supervision_common import load_node, require_overseer, today, town_code
from schema.oversight.types import Rectification

MIN_EVIDENCE = 5
MAX_TEXT = 2000
MAX_RECHECK_AFTER = 60


@strawberry.enum(description="Who must carry out a rectification.")
class DoerRole(enum.Enum):
    DIRECTOR = Role.DIRECTOR.value
    STATION_STAFF = Role.STATION_STAFF.value
    SUPERVISOR = Role.SUPERVISOR.value


@strawberry.enum(description="What the re-check found.")
class RecheckOutcome(enum.Enum):
    HELD = "HELD"
    RELAPSED = "RELAPSED"


@strawberry.input(description="Who must do the work.")
class RectificationAssignee:
    role: DoerRole
    director_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The director (role DIRECTOR; default: the director the entry concerns)",
    )


def _deadline(
    opened: dt.date, working_days: int | None, deadline: dt.date | None
) -> tuple[dt.date, int]:
    """The deadline and its length in working days, from exactly one of the two (or the default)."""
    if working_days is not None and deadline is not None:
        raise BadArgument("give `deadlineWorkingDays` or `deadline`, not both")
    if deadline is not None:
        if deadline <= opened:
            raise BadArgument(f"`deadline` {deadline} must be after today ({opened})")
        if deadline > opened + dt.timedelta(days=366):
            raise BadArgument("`deadline` is limited to a year ahead")
        due = next_working_day(deadline)  # on a rest day, it runs to the next working day
        return due, working_days_between(opened, due)
    days = wf.DEFAULT_WORKING_DAYS if working_days is None else working_days
    if not 1 <= days <= wf.MAX_WORKING_DAYS:
        raise BadArgument(f"`deadlineWorkingDays` takes 1 to {wf.MAX_WORKING_DAYS} working days")
    return wf.deadline_in(opened, days), days


async def _doer(
    info: Info, assignee: RectificationAssignee, entry: dict[str, Any], town: dict[str, Any]
) -> dict[str, Any]:
    """The assignee's properties: role, id, name, and whom escalation goes to."""
    store = info.context.store
    town_name = str(town.get("name") or "")
    notice_to = f"{town_name}及{wf.CENTER}"
    role = Role(assignee.role.value)
    if role is Role.DIRECTOR:
        given = assignee.director_id
        key = key_of(given, "Director", "assignee.directorId") if given else entry["directorId"]
        if key is None:
            raise BadArgument("name the director who must do the work (`assignee.directorId`)")
        found = await store.read(q.DIRECTOR, {"id": key})
        if not found:
            raise BadArgument("no director with that id")
        if town_code(found[0]["villageCode"]) != town["code"]:
            raise BadArgument("the director works in another town than the problem")
        supervisor = town.get("supervisorName")
        urge_to = f"{town_name}儿童督导员{supervisor or ''}"
        return {
            "assigneeRole": role.value,
            "assigneeId": str(key),
            "assigneeName": f"{wf.DOER_TITLES[role]}{found[0]['name'] or ''}",
            "urgeTo": urge_to,
            "noticeTo": notice_to,
        }
    if assignee.director_id is not None:
        raise BadArgument("`assignee.directorId` is for the role DIRECTOR only")
    if role is Role.SUPERVISOR:
        if town.get("supervisorId") is None:
            raise BadArgument("the town has no supervisor on record")
        return {
            "assigneeRole": role.value,
            "assigneeId": str(town["supervisorId"]),
            "assigneeName": f"{town_name}{wf.DOER_TITLES[role]}{town.get('supervisorName') or ''}",
            "urgeTo": wf.CENTER,
            "noticeTo": notice_to,
        }
    return {
        "assigneeRole": role.value,
        "assigneeId": None,
        "assigneeName": f"{town_name}{wf.DOER_TITLES[role]}",
        "urgeTo": wf.CENTER,
        "noticeTo": notice_to,
    }


async def open_rectification(
    info: Info,
    ledger_entry_id: strawberry.ID,
    assignee: RectificationAssignee,
    deadline_working_days: int | None,
    deadline: dt.date | None,
) -> Rectification:
    """Order the rectification of a ledger entry, with its deadline on the working-day calendar."""
    access = info.context.access
    principal = access.principal
    store = info.context.store
    if principal.kind != "user" or principal.role not in wf.OVERSEERS:
        raise Forbidden("ordering a rectification: only supervisors and center admins may")
    entry_key = key_of(ledger_entry_id, "LedgerEntry", "ledgerEntryId")
    active = [*wf.RUNNING, wf.SIGNED_OFF]
    found = await store.read(q.ENTRY_FOR_RECTIFICATION, {"id": entry_key, "active": active})
    if not found:
        raise BadArgument("no ledger entry with that id")
    entry = found[0]
    require_overseer(access, entry["regionCode"], "ordering a rectification")
    if entry["supersededAt"] is not None:
        raise BadArgument("that version of the entry was corrected: use the current one")
    if entry["active"]:
        raise BadArgument("a rectification of this entry is under way (or awaits its re-check)")
    code = town_code(entry["regionCode"])
    towns = await store.read(q.TOWNS, {"codes": [code]}) if code else []
    if not towns:
        raise BadArgument("the entry's town is not on record")
    opened = today(info)
    due, days = _deadline(opened, deadline_working_days, deadline)
    doer = await _doer(info, assignee, entry, towns[0])
    now = now_ms(info)
    rect_id = f"rectification-{uuid.uuid4().hex}"
    props: dict[str, Any] = {
        "deadline": due.isoformat(),
        "status": wf.OPEN,
        "regionCode": entry["regionCode"],
        "workingDays": days,
        "openedAt": now,
        "openedBy": principal.name,
        **doer,
        "round": 1,
        "escalationLevel": wf.NOT_ESCALATED,
        "source": "hub",
        "sourceKey": rect_id,
        "seenAt": now,
    }
    written, _ = await store.write(
        q.OPEN,
        {
            "entryId": entry_key,
            "active": active,
            "id": rect_id,
            "props": props,
            **_step(
                principal,
                now,
                wf.OPENED,
                f"限期{days}个工作日整改，{due.isoformat()}前销号；责任人：{doer['assigneeName']}",
            ),
        },
    )
    if not written:
        raise BadArgument("the entry changed meanwhile (corrected, or a rectification ordered)")
    result: Rectification = await load_node(info, "Rectification", rect_id)
    return result


def _step(
    principal: Principal, now: int, action: str, note: str | None, photo: str | None = None
) -> dict[str, Any]:
    return {
        "now": now,
        "source": "hub",
        "stepAction": action,
        "stepNote": note,
        "stepPhoto": photo,
        "stepRole": principal.role.value,
        "stepName": principal.name,
    }


async def _state(info: Info, rect_id: strawberry.ID) -> tuple[str, dict[str, Any]]:
    key = key_of(rect_id, "Rectification", "id")
    found = await info.context.store.read(q.STATE, {"id": key})
    if not found:
        raise BadArgument("no rectification with that id")
    return key, found[0]


async def _advance(
    info: Info,
    key: str,
    state: dict[str, Any],
    action: str,
    changes: dict[str, Any],
    note: str | None,
    photo: str | None = None,
) -> Rectification:
    """Apply a transition, if the rectification is still where the checks found it."""
    transition = wf.TRANSITIONS[action]
    written, _ = await info.context.store.write(
        q.ADVANCE,
        {
            "id": key,
            "from": list(transition.sources),
            "to": transition.to,
            "changes": changes,
            # One step per action and round; evidence may be submitted again meanwhile.
            "stepId": f"{key}:{action}:{state['round']}"
            + (f":{now_ms(info)}" if action == wf.EVIDENCE else ""),
            "stepRound": int(state["round"]),
            **_step(info.context.access.principal, now_ms(info), action, note, photo),
        },
    )
    if not written:
        raise BadArgument("the rectification changed meanwhile: reload it")
    result: Rectification = await load_node(info, "Rectification", key)
    return result


def _require_doer(principal: Principal, state: dict[str, Any]) -> None:
    """Only the one named to do the work submits its evidence."""
    role = state["assigneeRole"]
    if principal.kind != "user" or principal.role.value != role:
        raise Forbidden(f"submitting evidence: the rectification is for a {role} to carry out")
    if state["assigneeId"] is not None:
        if principal.person_id != state["assigneeId"]:
            raise Forbidden("submitting evidence: the rectification is someone else's to do")
    elif not principal.covers(state["regionCode"]):
        raise Forbidden("submitting evidence: the rectification is outside your regions")


async def _photo(info: Info, photo: str | None) -> str | None:
    if photo is None:
        return None
    try:
        key = check_key(photo.strip().lower().removeprefix("sha256:"))
    except BlobError:
        raise BadArgument("`photo` takes a blob key (the photo's sha256, 64 hex digits)") from None
    blobs = info.context.blobs
    if blobs is not None and not await blobs.exists(key):
        raise BadArgument("no photo with that key in the blob store: upload it first")
    return key


async def submit_evidence(
    info: Info, rect_id: strawberry.ID, evidence: str, photo: str | None
) -> Rectification:
    """The doer reports what was done (and may submit again until it is signed off)."""
    principal = info.context.access.principal
    key, state = await _state(info, rect_id)
    _require_doer(principal, state)
    why = wf.refusal(wf.EVIDENCE, state["status"])
    if why is not None:
        raise BadArgument(why)
    text = plain_text(evidence, "evidence", minimum=MIN_EVIDENCE, maximum=MAX_TEXT)
    blob = await _photo(info, photo)
    now = now_ms(info)
    changes = {
        "evidence": text,
        "evidencePhoto": blob,
        "submittedAt": now,
        "submittedBy": principal.name,
        "submitterId": principal.subject,
        "submitterRole": principal.role.value,
    }
    return await _advance(info, key, state, wf.EVIDENCE, changes, text, blob)


def _require_judge(principal: Principal, state: dict[str, Any], what: str) -> None:
    """Sign-off and re-check: someone in another role than the doer's, in the region."""
    if principal.kind != "user":
        raise Forbidden(f"{what}: station staff, supervisors and center admins may")
    why = wf.sign_off_refusal(
        principal.role, principal.subject, state["submitterRole"], state["submitterId"]
    )
    if (
        why is None
        and principal.person_id is not None
        and principal.person_id == state["assigneeId"]
    ):
        why = "the person who did the work cannot sign it off"
    if why is not None:
        raise Forbidden(f"{what}: {why}")
    if not principal.covers(state["regionCode"]):
        raise Forbidden(f"{what}: the rectification is outside your regions")


async def sign_off(
    info: Info, rect_id: strawberry.ID, note: str, recheck_after: int
) -> Rectification:
    """Sign off (销号) the doer's work; the re-check falls due ``recheck_after`` working days on."""
    principal = info.context.access.principal
    key, state = await _state(info, rect_id)
    _require_judge(principal, state, "signing off a rectification")
    why = wf.refusal(wf.SIGN_OFF, state["status"])
    if why is not None:
        raise BadArgument(why)
    text = plain_text(note, "note", minimum=2, maximum=MAX_TEXT)
    if not 1 <= recheck_after <= MAX_RECHECK_AFTER:
        raise BadArgument(f"`recheckAfterWorkingDays` takes 1 to {MAX_RECHECK_AFTER}")
    day = today(info)
    changes = {
        "signedOffAt": now_ms(info),
        "signedOffBy": principal.name,
        "signerId": principal.subject,
        "signedOffRole": principal.role.value,
        "signOffNote": text,
        "completedDate": day.isoformat(),
        "recheckDate": add_working_days(day, recheck_after).isoformat(),
    }
    return await _advance(info, key, state, wf.SIGN_OFF, changes, text)


#: What a relapse clears: the next round needs new evidence and a new sign-off.
_ROUND_STATE = (
    *("evidence", "evidencePhoto", "submittedAt", "submittedBy", "submitterId", "submitterRole"),
    *("signedOffAt", "signedOffBy", "signerId", "signedOffRole", "signOffNote", "completedDate"),
    *("recheckDate", "urgedAt", "noticedAt", "noticeDueDate", "escalatedAt"),
)


async def recheck(
    info: Info,
    rect_id: strawberry.ID,
    outcome: RecheckOutcome,
    note: str,
    deadline_working_days: int | None,
) -> Rectification:
    """The re-check after the sign-off: the fix held (closed), or it relapsed (a new round)."""
    principal = info.context.access.principal
    key, state = await _state(info, rect_id)
    _require_judge(principal, state, "re-checking a rectification")
    action = wf.RECHECK_HELD if outcome is RecheckOutcome.HELD else wf.RECHECK_RELAPSED
    why = wf.refusal(action, state["status"])
    if why is not None:
        raise BadArgument(why)
    day = today(info)
    due_from = state["recheckDate"]
    if due_from is not None and day.isoformat() < str(due_from):
        raise BadArgument(f"the re-check falls due on {due_from}, not before")
    text = optional_text(note, "note", maximum=MAX_TEXT)
    if text is None:
        raise BadArgument("say what the re-check found (`note`)")
    now = now_ms(info)
    changes: dict[str, Any] = {"recheckedAt": now, "recheckOutcome": outcome.value}
    if outcome is RecheckOutcome.RELAPSED:
        days = deadline_working_days or int(state["workingDays"] or wf.DEFAULT_WORKING_DAYS)
        if not 1 <= days <= wf.MAX_WORKING_DAYS:
            raise BadArgument(f"`deadlineWorkingDays` takes 1 to {wf.MAX_WORKING_DAYS}")
        due = wf.deadline_in(day, days)
        changes.update(dict.fromkeys(_ROUND_STATE))
        changes.update(
            deadline=due.isoformat(),
            workingDays=days,
            round=int(state["round"]) + 1,
            escalationLevel=wf.NOT_ESCALATED,
        )
        text = f"{text}（复查反弹，重新限期{days}个工作日整改，{due.isoformat()}前销号）"
    elif deadline_working_days is not None:
        raise BadArgument("`deadlineWorkingDays` is for a relapse only")
    return await _advance(info, key, state, action, changes, text)
