"""Key supervision task lists (重点监督任务清单), and commissioners' notes made tracked tasks.

The city center issues a task (title, period, due date, towns, the supervisor
who carries it); a task may be split into sub-tasks (``PART_OF``), which a
supervisor may add under a task they carry. A task is completed only when all
under it is done (see :mod:`schema.oversight.supervision_progress`).

A child-rights oversight commissioner (人大代表, 政协委员) reads supervision
records and statistics, never a child's personal data. Their note about a
town, a village, a station, a director, a task, a ledger entry or a
rectification becomes a task of its own (origin ``commissioner-note``,
``RAISED_BY`` them) for the town's supervisor, which they follow with its
progress like any other.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import strawberry

from graph.queries import supervision as q
from schema.access.principal import Role
from schema.care.common import key_of, now_ms, plain_text
from schema.context import Info
from schema.core.ids import from_global_id
from schema.core.registry import NODE_KINDS
from schema.core.workdays import add_working_days
from schema.errors import BadArgument, Forbidden
from schema.oversight import supervision_workflow as wf
from schema.oversight.supervision_common import (
    common_region,
    load_node,
    quarter_of,
    require_overseer,
    today,
    town_code,
)
from schema.oversight.supervision_progress import progress_from
from schema.oversight.types import SupervisionTask

_PERIOD = re.compile(r"^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$")
_TOWN = re.compile(r"^\d{9}$")
MAX_TOWNS = 30
MIN_NOTE = 5
MAX_NOTE = 1000
#: A commissioner's note is due for an answer in this many working days.
NOTE_DUE_WORKING_DAYS = 20


@strawberry.input(description="A key supervision task as issued.")
class CreateSupervisionTaskInput:
    title: str = strawberry.field(description="What to supervise, plain text (4–100 characters)")
    period: str = strawberry.field(description="The period it covers: 2026, 2026Q3 or 2026-07")
    due_date: dt.date
    town_codes: list[str] = strawberry.field(description="The towns it concerns (9-digit codes)")
    supervisor_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who carries it (default: the supervisor of its one town)",
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The task it is a sub-task of"
    )


def _towns(value: list[str]) -> list[str]:
    codes = sorted({c.strip() for c in value})
    if not codes:
        raise BadArgument("`townCodes` needs at least one town")
    if len(codes) > MAX_TOWNS:
        raise BadArgument(f"`townCodes` takes at most {MAX_TOWNS} towns")
    bad = [c for c in codes if not _TOWN.match(c)]
    if bad:
        raise BadArgument(f"`townCodes` takes towns' 9-digit division codes, not {bad[0]!r}")
    return codes


async def create_task(info: Info, data: CreateSupervisionTaskInput) -> SupervisionTask:
    """Check the task and write it, with its towns, carrier and parent, in one statement."""
    access = info.context.access
    principal = access.principal
    store = info.context.store
    if principal.kind != "user" or principal.role not in wf.OVERSEERS:
        raise Forbidden("creating a supervision task: center admins (and supervisors, sub-tasks)")
    title = plain_text(data.title, "title", minimum=4, maximum=100, lines=False)
    period = data.period.strip()
    if not _PERIOD.match(period):
        raise BadArgument("`period` is a year, a quarter or a month: 2026, 2026Q3 or 2026-07")
    codes = _towns(data.town_codes)
    issued = today(info)
    if data.due_date < issued:
        raise BadArgument(f"`dueDate` {data.due_date} is already past")
    towns = {str(t["code"]): t for t in await store.read(q.TOWNS, {"codes": codes})}
    unknown = [c for c in codes if c not in towns]
    if unknown:
        raise BadArgument(f"no town has the code {unknown[0]}")
    region = common_region(codes)
    parent = None
    if data.parent_id is not None:
        parent = key_of(data.parent_id, "SupervisionTask", "parentId")
        found = await store.read(q.TASK, {"id": parent})
        if not found:
            raise BadArgument("no supervision task with that `parentId`")
        if found[0]["status"] == wf.TASK_COMPLETED:
            raise BadArgument("the parent task is completed: it takes no new sub-tasks")
        if not region.startswith(str(found[0]["regionCode"] or "")):
            raise BadArgument("a sub-task's towns must lie within its parent task's region")
        if principal.role is Role.SUPERVISOR and found[0]["supervisorId"] != principal.person_id:
            raise Forbidden("adding a sub-task: supervisors add them under tasks they carry")
    elif principal.role is not Role.CENTER_ADMIN:
        raise Forbidden("creating a supervision task: center admins issue tasks")
    for code in codes:
        require_overseer(access, code, "creating a supervision task")
    supervisor = await _carrier(info, data.supervisor_id, codes, towns)
    now = now_ms(info)
    task_id = f"task-{uuid.uuid4().hex}"
    props: dict[str, Any] = {
        "title": title,
        "period": period,
        "issuedDate": issued.isoformat(),
        "dueDate": data.due_date.isoformat(),
        "status": wf.TASK_OPEN,
        "regionCode": region,
        "origin": wf.ORIGIN_PLAN,
        "createdAt": now,
        "createdBy": principal.name,
        "source": "hub",
        "sourceKey": task_id,
        "seenAt": now,
    }
    await _write(info, task_id, props, supervisor, parent, None, codes)
    task: SupervisionTask = await load_node(info, "SupervisionTask", task_id)
    return task


async def _carrier(
    info: Info, given: strawberry.ID | None, codes: list[str], towns: dict[str, Any]
) -> str | None:
    """The supervisor who carries the task: the one named, else the one town's."""
    if given is None:
        if len(codes) == 1:
            found = towns[codes[0]]["supervisorId"]
            return None if found is None else str(found)
        return None  # a task across towns is carried by the center, or split into sub-tasks
    key = key_of(given, "Supervisor", "supervisorId")
    rows = await info.context.store.read(q.SUPERVISOR, {"id": key})
    if not rows:
        raise BadArgument("no supervisor with that `supervisorId`")
    theirs = set(rows[0]["towns"] or ()) | {rows[0]["townCode"]}
    if not theirs & set(codes):
        raise BadArgument("the supervisor supervises none of the task's towns")
    return key


async def _write(
    info: Info,
    task_id: str,
    props: dict[str, Any],
    supervisor: str | None,
    parent: str | None,
    commissioner: str | None,
    codes: list[str],
) -> None:
    await info.context.store.write(
        q.CREATE_TASK,
        {
            "id": task_id,
            "props": props,
            "supervisorId": supervisor,
            "parentId": parent,
            "commissionerId": commissioner,
            "townCodes": codes,
        },
    )


async def complete_task(info: Info, task_id: strawberry.ID) -> SupervisionTask:
    """Mark a task completed, once every sub-task and rectification under it is done."""
    access = info.context.access
    store = info.context.store
    key = key_of(task_id, "SupervisionTask", "id")
    found = await store.read(q.TASK, {"id": key})
    if not found:
        raise BadArgument("no supervision task with that id")
    task = found[0]
    require_overseer(access, task["regionCode"], "completing a supervision task")
    principal = access.principal
    if principal.role is Role.SUPERVISOR and task["supervisorId"] != principal.person_id:
        raise Forbidden("completing a supervision task: the supervisor carrying it may")
    if task["status"] == wf.TASK_COMPLETED:
        raise BadArgument("the task is already completed")
    rows = await store.read(
        q.PROGRESS, {"ids": [key], "completed": wf.TASK_COMPLETED, "done": list(wf.DONE)}
    )
    progress = progress_from(rows[0] if rows else None)
    if progress.done < progress.total:
        open_subs = progress.sub_tasks_total - progress.sub_tasks_done
        open_rects = progress.rectifications_total - progress.rectifications_done
        raise BadArgument(
            f"the task cannot be completed yet: {open_subs} sub-tasks and {open_rects} "
            "rectifications under it are not done"
        )
    written, _ = await store.write(
        q.COMPLETE_TASK,
        {"id": key, "from": [wf.TASK_OPEN], "to": wf.TASK_COMPLETED, "now": now_ms(info)},
    )
    if not written:
        raise BadArgument("the task changed meanwhile: reload it")
    result: SupervisionTask = await load_node(info, "SupervisionTask", key)
    return result


async def note_to_task(info: Info, subject_id: strawberry.ID, note: str) -> SupervisionTask:
    """A commissioner's note about something they oversee, made a task of the town's supervisor."""
    principal = info.context.access.principal
    store = info.context.store
    if principal.kind != "user" or principal.role is not Role.COMMISSIONER:
        raise Forbidden("noting a task: oversight commissioners (督查专员) may")
    if principal.person_id is None:
        raise Forbidden(
            "noting a task: your account is not linked to a commissioner's record (personId)"
        )
    text = plain_text(note, "note", minimum=MIN_NOTE, maximum=MAX_NOTE)
    type_name, key = from_global_id(str(subject_id))
    kind = NODE_KINDS.get(type_name)
    if kind is None or kind.label not in q.SUBJECT:
        raise BadArgument(
            "`subjectId` names a town, village, station, facility, director, supervision task, "
            "ledger entry or rectification"
        )
    found = await store.read(q.SUBJECT[kind.label], {"id": key})
    code = str(found[0]["code"] or "") if found else ""
    if not code:
        raise BadArgument(f"no {type_name} with that id")
    if not principal.covers(code):
        raise Forbidden("noting a task: that is outside the towns you oversee")
    town = town_code(code)
    towns = await store.read(q.TOWNS, {"codes": [town]}) if town else []
    supervisor = towns[0]["supervisorId"] if towns else None
    day = today(info)
    now = now_ms(info)
    task_id = f"task-note-{uuid.uuid4().hex}"
    first_line = text.splitlines()[0]
    props: dict[str, Any] = {
        "title": f"督查专员意见：{first_line[:40]}{'…' if len(first_line) > 40 else ''}",
        "period": quarter_of(day),
        "issuedDate": day.isoformat(),
        "dueDate": add_working_days(day, NOTE_DUE_WORKING_DAYS).isoformat(),
        "status": wf.TASK_OPEN,
        "regionCode": town or code,
        "origin": wf.ORIGIN_NOTE,
        "note": text,
        "subjectId": str(subject_id),
        "createdAt": now,
        "createdBy": principal.name,
        "source": "hub",
        "sourceKey": task_id,
        "seenAt": now,
    }
    parent = key if kind.label == "SupervisionTask" else None
    await _write(
        info,
        task_id,
        props,
        None if supervisor is None else str(supervisor),
        parent,
        principal.person_id,
        [town] if town else [],
    )
    task: SupervisionTask = await load_node(info, "SupervisionTask", task_id)
    return task
