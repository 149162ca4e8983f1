"""The supervision ledger (监督情况台账): problems found, where, by whom, under which task.

An entry is an immutable event: what a supervisor found on a day. A mistake is
corrected by a new version (same ``recordId``, next ``version``) that keeps
the old one's task, places and finder, and to which the entry's
rectifications then also point; lists and the 台账 export show current
versions only, the old one stays for the record.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import strawberry

from graph.queries import supervision as q
from schema.access.principal import Role
from schema.care.common import key_of, now_ms, plain_text
from schema.context import Info
from schema.errors import BadArgument, Forbidden
from schema.oversight import supervision_workflow as wf
from schema.oversight.supervision_common import load_node, quarter_of, require_overseer, today
from schema.oversight.types import LedgerEntry

MIN_PROBLEM = 5
MAX_PROBLEM = 1000
#: Properties a correction never copies: the new version gets its own.
_VERSIONING = frozenset({"id", "recordId", "version", "recordedAt", "supersededAt"})


@strawberry.enum(description="What kind of problem a ledger entry records.")
class LedgerCategory(enum.Enum):
    VISITS = "走访不到位"
    FILES = "档案不完整"
    PREMISES = "阵地建设"
    POLICY = "政策落实"
    SAFETY = "安全隐患"
    OTHER = "其他"


@strawberry.enum(description="How serious the problem is.")
class LedgerSeverity(enum.Enum):
    MINOR = "一般"
    SERIOUS = "较重"
    GRAVE = "严重"


@strawberry.input(description="A problem found in supervision, as recorded in the ledger.")
class RecordLedgerEntryInput:
    task_id: strawberry.ID = strawberry.field(description="The task it was found under")
    problem: str = strawberry.field(
        description=f"What was found, plain text ({MIN_PROBLEM}–{MAX_PROBLEM} characters)"
    )
    category: LedgerCategory
    severity: LedgerSeverity
    village_code: str | None = strawberry.field(
        default=None, description="Where: the village (12-digit code)"
    )
    station_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where: a station"
    )
    director_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose work it concerns: a director"
    )
    supervisor_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who found it (default: the supervisor recording it, else the task's)",
    )
    found_date: dt.date | None = strawberry.field(default=None, description="Default: today")


def _village(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip()
    if not (code.isdigit() and len(code) == 12):
        raise BadArgument("`villageCode` takes a village's 12-digit division code")
    return code


def _region(facts: dict[str, Any], village: str | None, station: str | None) -> str:
    """The most precise place the entry concerns; places given must lie in one town."""
    codes = []
    if village is not None:
        if facts["village"] is None:
            raise BadArgument(f"no village has the code {village}")
        codes.append(str(facts["village"]))
    if facts["director"] is not None and facts["directorVillage"]:
        codes.append(str(facts["directorVillage"]))
    if station is not None:
        if not facts["stationTown"]:
            raise BadArgument("no station with that `stationId`")
        codes.append(str(facts["stationTown"]))
    if not codes:
        raise BadArgument("say where: `villageCode`, `stationId` and/or `directorId`")
    if len({c[:9] for c in codes}) > 1:
        raise BadArgument("the places given lie in different towns: record one entry each")
    return max(codes, key=len)


async def record_entry(info: Info, data: RecordLedgerEntryInput) -> LedgerEntry:
    """Check and write a ledger entry under its task, with where and by whom."""
    access = info.context.access
    principal = access.principal
    store = info.context.store
    if principal.kind != "user" or principal.role not in wf.OVERSEERS:
        # Refused before any graph round trip.
        raise Forbidden("recording a ledger entry: only supervisors and center admins may do this")
    problem = plain_text(data.problem, "problem", minimum=MIN_PROBLEM, maximum=MAX_PROBLEM)
    task = key_of(data.task_id, "SupervisionTask", "taskId")
    village = _village(data.village_code)
    station = key_of(data.station_id, "Station", "stationId") if data.station_id else None
    director = key_of(data.director_id, "Director", "directorId") if data.director_id else None
    supervisor = (
        key_of(data.supervisor_id, "Supervisor", "supervisorId")
        if data.supervisor_id
        else principal.person_id
        if principal.role is Role.SUPERVISOR
        else None
    )
    rows = await store.read(
        q.ENTRY_FACTS,
        {
            "taskId": task,
            "villageCode": village,
            "stationId": station,
            "directorId": director,
            "supervisorId": supervisor,
        },
    )
    facts = rows[0]
    if facts["task"] is None:
        raise BadArgument("no supervision task with that `taskId`")
    if facts["taskStatus"] == wf.TASK_COMPLETED:
        raise BadArgument("the task is completed: record the problem under an open task")
    if director is not None and facts["director"] is None:
        raise BadArgument("no director with that `directorId`")
    region = _region(facts, village, station)
    if not region.startswith(str(facts["taskRegion"] or "")):
        raise BadArgument("the place lies outside the task's region")
    require_overseer(access, region, "recording a ledger entry")
    if supervisor is None:
        supervisor = None if facts["taskSupervisor"] is None else str(facts["taskSupervisor"])
    elif facts["supervisor"] is None:
        raise BadArgument("no supervisor with that id: name who found it (`supervisorId`)")
    if supervisor is None:
        raise BadArgument("name the supervisor who found it (`supervisorId`)")
    day = today(info)
    found = data.found_date or day
    if found > day:
        raise BadArgument(f"`foundDate` {found} is in the future")
    now = now_ms(info)
    entry_id = f"ledger-{uuid.uuid4().hex}"
    props: dict[str, Any] = {
        "problem": problem,
        "category": data.category.value,
        "severity": data.severity.value,
        "foundDate": found.isoformat(),
        "regionCode": region,
        "month": found.isoformat()[:7],
        "quarter": quarter_of(found),
        "recordId": entry_id,
        "version": 1,
        "recordedAt": now,
        "source": "hub",
        "sourceKey": entry_id,
        "seenAt": now,
    }
    await store.write(
        q.RECORD_ENTRY,
        {
            "id": entry_id,
            "props": props,
            "taskId": task,
            "villageCode": village,
            "stationId": station,
            "directorId": director,
            "supervisorId": supervisor,
        },
    )
    entry: LedgerEntry = await load_node(info, "LedgerEntry", entry_id)
    return entry


async def correct_entry(
    info: Info,
    entry_id: strawberry.ID,
    reason: str,
    problem: str | None,
    category: LedgerCategory | None,
    severity: LedgerSeverity | None,
) -> LedgerEntry:
    """A corrected version of a ledger entry; the old version stays, superseded."""
    access = info.context.access
    key = key_of(entry_id, "LedgerEntry", "id")
    why = plain_text(reason, "reason", minimum=4, maximum=500, lines=False)
    loader = info.context.loaders.by_id("LedgerEntry", None, access.row_params("LedgerEntry"))
    row = await loader.load(key)
    if row is None:
        raise BadArgument("no ledger entry with that id")
    require_overseer(access, row.get("regionCode"), "correcting a ledger entry")
    if row.get("supersededAt") is not None:
        raise BadArgument("that version was already corrected: correct the current one")
    if problem is None and category is None and severity is None:
        raise BadArgument("give what to correct: `problem`, `category` and/or `severity`")
    now = now_ms(info)
    new_key = f"{row.get('recordId') or key}-v{int(row.get('version') or 1) + 1}"
    props = {k: v for k, v in row.items() if k not in _VERSIONING and v is not None}
    props.update(source="hub", sourceKey=new_key, seenAt=now, correctionReason=why)
    if problem is not None:
        props["problem"] = plain_text(problem, "problem", minimum=MIN_PROBLEM, maximum=MAX_PROBLEM)
    if category is not None:
        props["category"] = category.value
    if severity is not None:
        props["severity"] = severity.value
    written, _ = await info.context.store.write(
        q.CORRECT_ENTRY, {"oldId": key, "newId": new_key, "props": props, "at": now}
    )
    if not written:
        raise BadArgument("the entry was corrected meanwhile: reload it")
    entry: LedgerEntry = await load_node(info, "LedgerEntry", new_key)
    return entry
