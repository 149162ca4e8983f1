from __future__ import annotations

import datetime as dt

import strawberry

from schema.care.types import Event
from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type

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
    status: str | None
    region_code: str | None
    supervisor = one_field("SupervisionTask.supervisor", "Supervisor", PEOPLE, "Carried by")
    town = one_field("SupervisionTask.town", "Town", REGIONS, "Where")
    ledger_entries = connection_field(
        "SupervisionTask.ledgerEntries", "LedgerEntry", M, "Problems found under it"
    )


@node_type("LedgerEntry")
@strawberry.type(description="A supervision ledger entry (监督情况台账).")
class LedgerEntry(Event):
    key: strawberry.Private[str]
    problem: str | None
    category: str | None
    severity: str | None
    found_date: dt.date | None
    region_code: str | None
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
    deadline: dt.date | None
    status: str | None
    evidence: str | None
    completed_date: dt.date | None
    signed_off_by: str | None
    region_code: str | None
    ledger_entry = one_field("Rectification.ledgerEntry", "LedgerEntry", M, "The problem it fixes")


@node_type("Feedback")
@strawberry.type(description="Feedback from the public.")
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
    steps = connection_field("Feedback.steps", "FeedbackStep", M, "Handling steps")
    town = one_field("Feedback.town", "Town", REGIONS, "About a town")
    village = one_field("Feedback.village", "Village", REGIONS, "About a village")
    station = one_field("Feedback.station", "Station", PLACES, "About a station")
    facility = one_field("Feedback.facility", "Facility", PLACES, "About a facility")
    director = one_field("Feedback.director", "Director", PEOPLE, "About a director")


@node_type("FeedbackStep")
@strawberry.type(description="A step of handling feedback: 受理 转办 办理 答复 回访.")
class FeedbackStep(Event):
    key: strawberry.Private[str]
    stage: str | None
    at: dt.datetime | None
    actor: str | None
    note: str | None
    rating: int | None = strawberry.field(description="Satisfaction 1-5 (回访)")
    feedback = one_field("FeedbackStep.feedback", "Feedback", M, "The feedback")
