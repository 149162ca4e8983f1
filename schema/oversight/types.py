from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry

from schema.care.types import Event
from schema.context import Info
from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.privacy import personal
from schema.core.registry import node_type
from schema.oversight import feedback_workflow as fwf
from schema.oversight import supervision_workflow as wf
from schema.oversight.supervision_progress import TaskProgress, task_progress

M = "schema.oversight.types"
REGIONS = "schema.regions.types"
PEOPLE = "schema.people.types"
PLACES = "schema.places.types"


@node_type("SupervisionTask")
@strawberry.type(description="A key supervision task (重点监督任务).")
class SupervisionTask(Node):
    key: strawberry.Private[str]
    title: str
    period: str | None
    issued_date: dt.date | None
    due_date: dt.date | None
    status: str | None = strawberry.field(description="in_progress or completed")
    region_code: str | None
    origin: str | None = strawberry.field(
        description="plan (set by the center or a supervisor) or commissioner-note"
    )
    note: str | None = strawberry.field(description="The commissioner's note it was raised from")
    subject_id: strawberry.ID | None = strawberry.field(
        description="What the commissioner's note is about (a global id)"
    )
    created_at: dt.datetime | None
    created_by: str | None = strawberry.field(description="The account that created it")
    completed_at: dt.datetime | None
    supervisor = one_field("SupervisionTask.supervisor", "Supervisor", PEOPLE, "Carried by")
    town = one_field("SupervisionTask.town", "Town", REGIONS, "Where (the first of its towns)")
    towns = connection_field("SupervisionTask.towns", "Town", REGIONS, "The towns it concerns")
    parent = one_field("SupervisionTask.parent", "SupervisionTask", M, "The task it is part of")
    sub_tasks = connection_field(
        "SupervisionTask.subTasks", "SupervisionTask", M, "Its sub-tasks (清单 items)"
    )
    raised_by = one_field(
        "SupervisionTask.raisedBy", "Commissioner", PEOPLE, "The commissioner whose note it is"
    )
    ledger_entries = connection_field(
        "SupervisionTask.ledgerEntries", "LedgerEntry", M, "Problems found under it"
    )

    @strawberry.field(
        description="Done / total of its sub-tasks (any depth) and of the rectifications of "
        "the ledger entries under it and its sub-tasks"
    )
    async def progress(self, info: Info) -> TaskProgress:
        return await task_progress(info, self.key)


@node_type("LedgerEntry")
@strawberry.type(description="A supervision ledger entry (监督情况台账).")
class LedgerEntry(Event):
    key: strawberry.Private[str]
    problem: str | None
    category: str | None
    severity: str | None
    found_date: dt.date | None
    region_code: str | None
    month: str | None
    quarter: str | None
    correction_reason: str | None = strawberry.field(description="Why this version corrects one")
    task = one_field("LedgerEntry.task", "SupervisionTask", M, "The task")
    village = one_field("LedgerEntry.village", "Village", REGIONS, "Where")
    station = one_field("LedgerEntry.station", "Station", PLACES, "Which station")
    director = one_field("LedgerEntry.director", "Director", PEOPLE, "Whose work")
    recorded_by = one_field("LedgerEntry.recordedBy", "Supervisor", PEOPLE, "Found by")
    rectifications = connection_field(
        "LedgerEntry.rectifications", "Rectification", M, "Rectifications (督促整改)"
    )


@node_type("Rectification")
@strawberry.type(description="A rectification under follow-up (督促整改).")
class Rectification(Node):
    key: strawberry.Private[str]
    deadline: dt.date | None = strawberry.field(
        description="Last day to be signed off (China's working-day calendar)"
    )
    status: str | None = strawberry.field(description="整改中 待验收 已整改 复查通过")
    evidence: str | None
    completed_date: dt.date | None = strawberry.field(description="Signed off on (销号)")
    signed_off_by: str | None
    region_code: str | None
    working_days: int | None = strawberry.field(description="Working days it was given")
    opened_at: dt.datetime | None
    opened_by: str | None
    assignee_role: str | None = strawberry.field(
        description="Who must do the work: director, station_staff or supervisor"
    )
    assignee_name: str | None
    urge_to: str | None = strawberry.field(description="Whom 催办 goes to")
    notice_to: str | None = strawberry.field(description="Whom 通报 goes to")
    evidence_photo: str | None = strawberry.field(description="Blob key of the evidence photo")
    submitted_at: dt.datetime | None
    submitted_by: str | None
    submitter_role: str | None
    signed_off_at: dt.datetime | None
    signed_off_role: str | None
    sign_off_note: str | None
    recheck_date: dt.date | None = strawberry.field(description="The re-check is due from")
    rechecked_at: dt.datetime | None
    recheck_outcome: str | None = strawberry.field(description="HELD or RELAPSED")
    round: int | None = strawberry.field(description="1, then one more after each relapse")
    escalation_level: int | None = strawberry.field(description="0, 1 (催办) or 2 (通报)")
    escalated_at: dt.datetime | None
    urged_at: dt.datetime | None
    noticed_at: dt.datetime | None
    notice_due_date: dt.date | None = strawberry.field(
        description="Last day of grace after 催办; 通报 follows when it has ended"
    )
    ledger_entry = one_field("Rectification.ledgerEntry", "LedgerEntry", M, "The problem it fixes")
    steps = connection_field("Rectification.steps", "RectificationStep", M, "Its steps (trail)")
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "stage": ("status",),
        "overdue": ("status", "deadline"),
        "escalation": ("escalationLevel",),
    }

    @strawberry.field(description="Its state in the workflow")
    def stage(self) -> wf.Stage | None:
        return wf.stage_of(self.status)

    @strawberry.field(
        description="Not signed off and its deadline day has ended (overdue from 00:00 China "
        "Standard Time the next day)"
    )
    def overdue(self, info: Info) -> bool:
        return wf.overdue(self.status, self.deadline, int(info.context.clock() * 1000))

    @strawberry.field(description="催办 or 通报 (null: not escalated)")
    def escalation(self) -> str | None:
        return wf.escalation_name(self.escalation_level)


@node_type("Feedback")
@strawberry.type(
    description="Feedback from the public and its handling (受理 转办 办理 答复 回访). "
    "Never shown to a director it is about."
)
class Feedback(Event):
    key: strawberry.Private[str]
    kind: str | None = strawberry.field(description="complaint, suggestion, concern, praise")
    content: str | None
    submitted_at: dt.datetime | None
    tracking_ref: str | None
    anonymous: bool | None
    region_code: str | None
    month: str | None
    quarter: str | None
    subject_kind: str | None = strawberry.field(
        description="town, village, station, facility or director (of a village)"
    )
    urgent: bool | None = strawberry.field(
        description="A danger disclosure: filed as a mandatory report, out of the normal queue"
    )
    status: str | None = strawberry.field(
        description="submitted, reported, accepted, assigned, handled, replied, closed, reopened"
    )
    round: int | None = strawberry.field(description="1, plus one per reopening")
    accept_due_date: dt.date | None = strawberry.field(description="Accept (受理) by this day")
    accepted_at: dt.datetime | None
    accepted_on_time: bool | None
    assigned_to: str | None = strawberry.field(description="转办: the station or department")
    handled_at: dt.datetime | None
    reply_due_date: dt.date | None = strawberry.field(description="Reply (答复) by this day")
    replied_at: dt.datetime | None
    replied_on_time: bool | None
    public_reply: str | None = strawberry.field(description="The reply the public reads")
    rating: int | None = strawberry.field(description="Satisfaction 1-5 at the follow-up (回访)")
    rated_at: dt.datetime | None
    closed_at: dt.datetime | None
    reopened_at: dt.datetime | None
    extension_status: str | None = strawberry.field(description="requested, approved, refused")
    extension_days: int | None = strawberry.field(description="Working days asked for")
    extension_reason: str | None
    extension_requested_at: dt.datetime | None
    extended_at: dt.datetime | None
    contact_name: str | None = personal("The complainant's name (sealed: handling staff only)")
    contact_phone: str | None = personal("The complainant's phone (sealed: handling staff only)")
    photo_key: str | None = personal("Blob key of the photo given (EXIF stripped by the portal)")
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "deadline": ("status", "acceptDueDate", "replyDueDate"),
        "overdue": ("status", "acceptDueDate", "replyDueDate"),
    }
    steps = connection_field("Feedback.steps", "FeedbackStep", M, "Handling steps")
    town = one_field("Feedback.town", "Town", REGIONS, "About a town")
    village = one_field("Feedback.village", "Village", REGIONS, "About a village")
    station = one_field("Feedback.station", "Station", PLACES, "About a station")
    facility = one_field("Feedback.facility", "Facility", PLACES, "About a facility")
    director = one_field("Feedback.director", "Director", PEOPLE, "About a director")
    directors = connection_field(
        "Feedback.directors", "Director", PEOPLE, "About the directors of a village"
    )
    mandatory_report = one_field(
        "Feedback.mandatoryReport",
        "MandatoryReport",
        "schema.care.types",
        "The mandatory report a danger disclosure became",
    )

    @strawberry.field(description="The deadline running now: accepting, then replying")
    def deadline(self) -> dt.date | None:
        return fwf.current_deadline(self.status, self.accept_due_date, self.reply_due_date)

    @strawberry.field(description="The deadline running now has passed")
    def overdue(self, info: Info) -> bool | None:
        if self.status is None:
            return None
        now = int(info.context.clock() * 1000)
        return fwf.overdue(self.status, self.accept_due_date, self.reply_due_date, now)


@node_type("FeedbackStep")
@strawberry.type(description="A step of handling feedback: 受理 转办 办理 答复 回访.")
class FeedbackStep(Event):
    key: strawberry.Private[str]
    stage: str | None
    at: dt.datetime | None
    actor: str | None
    actor_role: str | None
    note: str | None = strawberry.field(description="Internal note (never shown to the public)")
    rating: int | None = strawberry.field(description="Satisfaction 1-5 (回访)")
    days: int | None = strawberry.field(description="Working days of an extension")
    region_code: str | None
    feedback = one_field("FeedbackStep.feedback", "Feedback", M, "The feedback")


@node_type("RectificationStep")
@strawberry.type(description="A step of a rectification: opened, evidence, sign-off, 催办, 通报…")
class RectificationStep(Event):
    key: strawberry.Private[str]
    action: str | None = strawberry.field(
        description="opened, evidence-submitted, signed-off, urged, noticed, rechecked-held, "
        "rechecked-relapsed"
    )
    note: str | None
    photo: str | None = strawberry.field(description="Blob key of a photo given with it")
    round: int | None
    at: dt.datetime | None
    actor_role: str | None
    actor_name: str | None
    region_code: str | None
    rectification = one_field(
        "RectificationStep.rectification", "Rectification", M, "The rectification"
    )
