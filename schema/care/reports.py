"""Mandatory reports (强制报告) over GraphQL: file one, acknowledge it, follow it up.

Who may file: directors (about a child of their village or paired with them),
station staff, supervisors and center admins (in their regions), and partner
clients whose data-sharing agreement lists the purpose ``protection``
(:data:`PROTECTION_PURPOSE`), in the agreement's regions. A filing cannot
wait in a queue: the one intake statement routes the report at once to the
police liaison and civil affairs and starts the acknowledgement timer; those
on duty (station staff of the town, center admins) see it in
``mandatoryReports`` straight away.

Who filed is protected: the reporter's name and contact and the reporting
director are shown only to those who handle reports (see
:mod:`schema.access.policy`); the trail's ``received`` step names the
reporter's role, never the person.

The workflow's rules are in :mod:`schema.care.report_workflow`.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any

import strawberry

from graph.model import period_of
from graph.queries import reports as q
from schema.access.principal import Principal, Role
from schema.care import report_workflow as wf
from schema.care.common import key_of, now_ms, optional_text, plain_text
from schema.care.types import MandatoryReport
from schema.context import Info
from schema.core.fields import make_object
from schema.core.selection import props_for
from schema.errors import BadArgument, Forbidden

#: The agreement purpose that lets a partner agency file mandatory reports.
PROTECTION_PURPOSE = "protection"
MIN_DESCRIPTION = 5
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000

#: Roles of people who may file, and how the report names their role.
REPORTER_ROLES: dict[Role, str] = {
    Role.DIRECTOR: "儿童主任",
    Role.STATION_STAFF: "未保站工作人员",
    Role.SUPERVISOR: "儿童督导员",
    Role.CENTER_ADMIN: "未保中心工作人员",
}
#: Those on duty for reports: they acknowledge and follow them up.
HANDLERS = frozenset({Role.STATION_STAFF, Role.CENTER_ADMIN})


@strawberry.enum(description="Statutory situations of a mandatory report (强制报告情形).")
class ReportSituation(enum.Enum):
    DOMESTIC_VIOLENCE = "疑似遭受家庭暴力"
    SEXUAL_ABUSE = "疑似遭受性侵害"
    ABUSE_OR_BULLYING = "疑似遭受校园欺凌"
    NEGLECT = "监护缺失"
    ABANDONMENT = "被遗弃或长期无人照料"
    MALNUTRITION = "严重营养不良"
    SELF_HARM_RISK = "自杀自残风险"
    RUNAWAY_OR_DROPOUT = "辍学流浪"
    MISSING_OR_TRAFFICKED = "失踪或疑似被拐卖"
    FORCED_BEGGING = "被组织乞讨"
    OTHER_SERIOUS_HARM = "其他严重侵害情形"


@strawberry.enum(description="A follow-up of an acknowledged mandatory report.")
class ReportAction(enum.Enum):
    INVESTIGATING = wf.INVESTIGATING
    REFERRED = wf.REFERRED
    CLOSED = wf.CLOSED


@strawberry.input(description="A mandatory report as filed.")
class FileMandatoryReportInput:
    situation: ReportSituation
    description: str = strawberry.field(
        description=f"What was seen or heard, plain text ({MIN_DESCRIPTION}–{MAX_DESCRIPTION} "
        "characters)"
    )
    child_id: strawberry.ID | None = strawberry.field(
        default=None, description="The child, if the program knows them"
    )
    village_code: str | None = strawberry.field(
        default=None,
        description="The village (12-digit code) of a child the program does not know yet",
    )
    reporter_name: str | None = strawberry.field(
        default=None, description="Who reports (default: the account filing); protected"
    )
    reporter_contact: str | None = strawberry.field(
        default=None, description="How to reach the reporter; protected"
    )


#: What the intake statement takes of the report's properties (the rest it derives).
_FILED = (
    "situation",
    "description",
    "reporterRole",
    "reporterName",
    "reporterContact",
    "status",
    "routedTo",
    "dueAt",
    "villageCode",
    "month",
    "quarter",
    "source",
)


def _require_filer(principal: Principal) -> None:
    """Refuse, before any graph round trip, those who may never file."""
    if principal.kind == "client":
        agreement = principal.agreement
        if agreement is None or PROTECTION_PURPOSE not in agreement.purposes:
            raise Forbidden(
                "filing a mandatory report: the client's agreement lacks the "
                f"`{PROTECTION_PURPOSE}` purpose"
            )
        return
    if principal.kind != "user" or principal.role not in REPORTER_ROLES:
        raise Forbidden(
            "filing a mandatory report: directors, station staff, supervisors, center admins "
            "and partner agencies with the protection purpose may"
        )


def _require_place(principal: Principal, village_code: str, paired: bool) -> None:
    """Refuse a filing about a place (and child) outside the filer's remit."""
    if principal.role is Role.DIRECTOR:
        if not (paired or principal.covers(village_code)):
            raise Forbidden(
                "filing a mandatory report: directors file about children of their village "
                "or paired with them"
            )
    elif not principal.covers(village_code):
        raise Forbidden(f"filing a mandatory report: {village_code} is outside your regions")


def _reporter_role(principal: Principal) -> str:
    if principal.agreement is not None:
        return principal.agreement.name
    return REPORTER_ROLES[principal.role]


def _village_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip()
    if not (code.isdigit() and len(code) == 12):
        raise BadArgument("`villageCode` takes a village's 12-digit division code")
    return code


async def _intake_village(info: Info, child_key: str | None, village: str | None) -> str:
    """The report's village code, checked: the child's, or a known village's."""
    principal = info.context.access.principal
    rows = await info.context.store.read(
        q.INTAKE_FACTS,
        {"childId": child_key, "directorId": principal.person_id, "villageCode": village},
    )
    facts = rows[0]
    if child_key is not None and facts["child"] is None:
        raise BadArgument("no child with that id")
    home = facts["childVillage"]
    if home is not None:
        if village is not None and village != home:
            raise BadArgument("`villageCode` is not the child's village: leave it out")
        code = str(home)
    else:  # a child unknown to the program, or one whose village is not on record
        if village is None:
            raise BadArgument("the child's village is not on record: give `villageCode`")
        if facts["village"] is None:
            raise BadArgument(f"no village has the code {village}")
        code = village
    _require_place(principal, code, paired=bool(facts["paired"]))
    return code


async def file_report(info: Info, data: FileMandatoryReportInput) -> MandatoryReport:
    """Validate, check rights, and write the routed report in one statement."""
    principal = info.context.access.principal
    _require_filer(principal)
    description = plain_text(
        data.description, "description", minimum=MIN_DESCRIPTION, maximum=MAX_DESCRIPTION
    )
    reporter_name = optional_text(data.reporter_name, "reporterName", maximum=50, lines=False)
    contact = optional_text(data.reporter_contact, "reporterContact", maximum=100, lines=False)
    child_key = key_of(data.child_id, "Child", "childId") if data.child_id is not None else None
    village = _village_code(data.village_code)
    if child_key is None and village is None:
        raise BadArgument(
            "name the child (`childId`) or, for a child the program does not know yet, "
            "the village (`villageCode`)"
        )
    code = await _intake_village(info, child_key, village)
    now = now_ms(info)
    month, quarter = period_of(now)
    report_id = f"report-{uuid.uuid4().hex}"
    role = _reporter_role(principal)
    props: dict[str, Any] = {
        "reportedAt": now,
        "situation": data.situation.value,
        "description": description,
        "reporterRole": role,
        "reporterName": reporter_name or principal.name,
        "reporterContact": contact,
        "status": wf.ROUTED,
        "routedAt": now,
        "routedTo": list(wf.ROUTED_TO),
        "dueAt": now + info.context.report_ack_s * 1000,
        "escalationLevel": 0,
        "villageCode": code,
        "month": month,
        "quarter": quarter,
        "recordId": report_id,
        "version": 1,
        "recordedAt": now,
        "source": "hub",
    }
    director = principal.person_id if principal.role is Role.DIRECTOR else None
    rows, _ = await info.context.store.write(
        q.FILE,
        {
            "id": report_id,
            "childId": child_key,
            "directorId": director,
            "now": now,
            **{k: props[k] for k in _FILED},
            # The trail names the reporter's role only: the person is protected.
            "receivedAction": wf.RECEIVED,
            "receivedNote": None,
            "receivedRole": role,
            "receivedName": None,
            "routedAction": wf.ROUTED,
            "routedNote": wf.ROUTED_NOTE,
            "routedRole": wf.SYSTEM,
            "routedName": None,
        },
    )
    if not rows:
        raise BadArgument("the child's record changed meanwhile: nothing was filed, try again")
    report: MandatoryReport = make_object(info, "MandatoryReport")({"id": report_id, **props})
    return report


async def advance(
    info: Info, report_id: strawberry.ID, action: str, note: str | None
) -> MandatoryReport:
    """Move a report one step on its workflow (acknowledge, investigate, refer, close)."""
    access = info.context.access
    principal = access.principal
    if principal.kind != "user" or principal.role not in HANDLERS:
        raise Forbidden("following up a mandatory report: station staff and center admins may")
    key = key_of(report_id, "MandatoryReport", "id")
    text = optional_text(note, "note", maximum=MAX_NOTE)
    if action in (wf.REFERRED, wf.CLOSED) and text is None:
        raise BadArgument(f"say in `note` why the report is {action} (where to, what was done)")
    store = info.context.store
    found = await store.read(q.STATE, {"id": key})
    if not found or not principal.covers(found[0]["villageCode"]):
        raise BadArgument("no mandatory report with that id in your regions")
    why = wf.refusal(action, found[0]["status"])
    if why is not None:
        raise BadArgument(why)
    now = now_ms(info)
    step = f"{key}:{action}" if action == wf.ACKNOWLEDGED else f"{key}:{action}:{now}"
    written, _ = await store.write(
        q.ADVANCE,
        {
            "id": key,
            "from": list(wf.TRANSITIONS[action].sources),
            "to": action,
            "acknowledgedAt": now if action == wf.ACKNOWLEDGED else None,
            "closedAt": now if action == wf.CLOSED else None,
            "stepId": step,
            "now": now,
            "source": "hub",
            "stepAction": action,
            "stepNote": text,
            "stepRole": principal.role.value,
            "stepName": principal.name,
        },
    )
    if not written:
        again = await store.read(q.STATE, {"id": key})
        status = again[0]["status"] if again else None
        raise BadArgument(
            f"the report changed meanwhile: {wf.refusal(action, status) or 'try again'}"
        )
    props = props_for(info, "MandatoryReport", MandatoryReport, connection=False)
    loader = info.context.loaders.by_id(
        "MandatoryReport", props, access.row_params("MandatoryReport")
    )
    row = await loader.load(key)
    if row is None:  # pragma: no cover - a handler reads what they may change
        raise Forbidden("the report is outside what you may read")
    report: MandatoryReport = make_object(info, "MandatoryReport")(row)
    return report


@strawberry.type
class ReportMutations:
    @strawberry.mutation(
        description="File a mandatory report (强制报告). It is routed at once to the police "
        "liaison and civil affairs, seen at once by those on duty, and escalates if nobody "
        "acknowledges it in time."
    )
    async def file_mandatory_report(
        self, info: Info, input: FileMandatoryReportInput
    ) -> MandatoryReport:
        return await file_report(info, input)

    @strawberry.mutation(
        description="Acknowledge a mandatory report (签收): stops its timer and escalation. "
        "Station staff of its town and center admins."
    )
    async def acknowledge_mandatory_report(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> MandatoryReport:
        return await advance(info, id, wf.ACKNOWLEDGED, note)

    @strawberry.mutation(
        description="Follow up an acknowledged mandatory report: investigating, referred "
        "(say where in `note`) or closed (say the outcome in `note`)."
    )
    async def update_mandatory_report(
        self, info: Info, id: strawberry.ID, action: ReportAction, note: str | None = None
    ) -> MandatoryReport:
        return await advance(info, id, action.value, note)
