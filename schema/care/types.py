from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry

from schema.care.report_workflow import seconds_left
from schema.context import Info
from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.privacy import personal
from schema.core.registry import node_type

M = "schema.care.types"
CHILDREN = "schema.children.types"
PEOPLE = "schema.people.types"
PLACES = "schema.places.types"
PROGRAM = "schema.program.types"


@strawberry.interface(description="An immutable record; a correction is a new version.")
class Event(Node):
    record_id: str | None = strawberry.field(description="Shared by all versions of a record")
    version: int | None
    recorded_at: dt.datetime | None
    source: str | None = strawberry.field(description="The system it came from")


@node_type("Visit")
@strawberry.type(description="A director's visit to a child (走访).")
class Visit(Event):
    key: strawberry.Private[str]
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    device_time: dt.datetime | None = strawberry.field(description="The phone's clock")
    accuracy: float | None = strawberry.field(description="GPS accuracy in metres")
    mode: str | None
    village_code: str | None
    month: str | None
    quarter: str | None
    lat: float | None = personal("GPS latitude (personal data)")
    lng: float | None = personal("GPS longitude (personal data)")
    findings: str | None = personal("Findings (personal data)")
    risk_observations: list[str] | None = personal("Risk observations (personal data)")
    # Blob keys (sha256) of the photos; served as short-lived signed URLs.
    photos_: strawberry.Private[list[str] | None] = None
    validity_score: strawberry.Private[int | None] = None
    flagged_: strawberry.Private[bool | None] = None
    validity_reasons: strawberry.Private[list[str] | None] = None
    checked_at: strawberry.Private[int | None] = None
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "validity": ("validityScore", "flagged", "validityReasons", "checkedAt"),
        "photos": ("photos",),
    }
    child = one_field("Visit.child", "Child", CHILDREN, "The child visited")
    director = one_field("Visit.director", "Director", PEOPLE, "The visiting director")
    reviews = connection_field("Visit.reviews", "VisitReview", M, "Supervisors' reviews")

    @strawberry.field(
        description="Photos: short-lived links with the location stripped (personal data). "
        "Null unless the reader's role or agreement grants it."
    )
    def photos(self, info: Info) -> list[str] | None:
        if self.photos_ is None:
            return None
        signer = info.context.photo_signer
        if signer is None:
            return None
        now = int(info.context.clock())
        # Older records name photos as ``sha256:<hex>``; the blob key is the hex.
        return [signer.url(key.removeprefix("sha256:"), now) for key in self.photos_]

    @strawberry.field(description="How far the visit's evidence can be trusted, with reasons")
    def validity(self) -> VisitValidity | None:
        if self.validity_score is None:
            return None
        reasons = list(self.validity_reasons or ())
        return VisitValidity(
            score=self.validity_score,
            flagged=bool(self.flagged_),
            reasons=reasons,
            codes=[r.split(":", 1)[0] for r in reasons],
        )


@strawberry.type(description="The evidence checks' verdict on a visit.")
class VisitValidity:
    score: int = strawberry.field(description="0–100; below the threshold the visit is flagged")
    flagged: bool = strawberry.field(description="Suspicious: on the supervisor's review list")
    reasons: list[str] = strawberry.field(description="`code: explanation`, one per finding")
    codes: list[str] = strawberry.field(
        description="far-from-home, poor-accuracy, clock-skew, too-short, photo-time-mismatch, "
        "photo-location-mismatch, photo-reused, impossible-travel, no-location, no-photo, …"
    )


@node_type("VisitReview")
@strawberry.type(description="A supervisor's decision on a flagged visit.")
class VisitReview(Event):
    key: strawberry.Private[str]
    decision: str | None = strawberry.field(description="accepted or rejected")
    note: str | None
    reviewed_at: dt.datetime | None
    village_code: str | None
    visit = one_field("VisitReview.visit", "Visit", M, "The visit reviewed")
    supervisor = one_field("VisitReview.supervisor", "Supervisor", PEOPLE, "The reviewer")


@node_type("Assignment")
@strawberry.type(
    description="A change of who looks after whom (assign, pair, unpair, handover): the log."
)
class Assignment(Event):
    key: strawberry.Private[str]
    action: str | None
    reason: str | None
    at: dt.datetime | None
    actor: str | None = strawberry.field(description="The account that made the change")
    village_code: str | None
    grid_id: str | None
    child = one_field("Assignment.child", "Child", CHILDREN, "The child concerned")
    director = one_field("Assignment.director", "Director", PEOPLE, "The director concerned")


@node_type("CategoryChange")
@strawberry.type(description="A change of a child's categories, with why and by whom.")
class CategoryChange(Event):
    key: strawberry.Private[str]
    categories: list[str] | None
    primary_category: str | None
    previous: list[str] | None
    reason: str | None
    actor: str | None
    changed_at: dt.datetime | None
    village_code: str | None
    child = one_field("CategoryChange.child", "Child", CHILDREN, "The child")


@node_type("Screening")
@strawberry.type(description="A screening of a suspected child in distress (疑似困境儿童排查).")
class Screening(Event):
    key: strawberry.Private[str]
    screened_at: dt.datetime | None
    signals: list[str] | None
    rule_version: str | None
    rules: list[str] | None = strawberry.field(description="Ids of the rules that matched")
    outcome: str | None = strawberry.field(description="pending, confirmed or cleared")
    reasons: list[str] | None
    category: str | None = strawberry.field(description="Suggested, then confirmed category")
    due_date: dt.date | None = strawberry.field(description="Verification due (working days)")
    decided_at: dt.datetime | None
    decided_by: str | None
    village_code: str | None
    month: str | None
    quarter: str | None
    child = one_field("Screening.child", "Child", CHILDREN, "The child screened")
    director = one_field(
        "Screening.director", "Director", PEOPLE, "The director who must verify the flag"
    )


@node_type("MandatoryReport")
@strawberry.type(description="A mandatory report (强制报告).")
class MandatoryReport(Event):
    key: strawberry.Private[str]
    reported_at: dt.datetime | None
    situation: str | None
    reporter_role: str | None
    status: str | None
    routed_at: dt.datetime | None
    routed_to: list[str] | None = strawberry.field(description="Where it was routed at intake")
    due_at: dt.datetime | None = strawberry.field(description="Acknowledge by (the timer)")
    acknowledged_at: dt.datetime | None
    escalation_level: int | None
    escalated_at: dt.datetime | None
    closed_at: dt.datetime | None
    village_code: str | None
    month: str | None
    quarter: str | None
    description: str | None = personal("What was reported (personal data)")
    reporter_name: str | None = personal("Who reported (protected identity)")
    reporter_contact: str | None = personal("How to reach the reporter (protected identity)")
    child = one_field("MandatoryReport.child", "Child", CHILDREN, "The child concerned")
    reporter = one_field("MandatoryReport.reporter", "Director", PEOPLE, "Reporting director")
    steps = connection_field("MandatoryReport.steps", "ReportStep", M, "Follow-up steps")
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "secondsLeft": ("status", "dueAt", "acknowledgedAt"),
        "overdue": ("status", "dueAt", "acknowledgedAt"),
    }

    @strawberry.field(
        description="Seconds left to acknowledge it (negative: overdue); null once "
        "acknowledged or closed"
    )
    def seconds_left(self, info: Info) -> int | None:
        return seconds_left(self.status, self.due_at, self.acknowledged_at, info.context.clock())

    @strawberry.field(description="Its acknowledgement deadline passed and nobody acknowledged it")
    def overdue(self, info: Info) -> bool | None:
        left = seconds_left(self.status, self.due_at, self.acknowledged_at, info.context.clock())
        return left is not None and left < 0


@node_type("Service")
@strawberry.type(description="A service delivered (救助帮扶, 危机干预, 心理疏导, 转介…).")
class Service(Event):
    key: strawberry.Private[str]
    kind: str | None
    delivered_at: dt.datetime | None
    person_times: int | None = strawberry.field(description="Person-times (人次)")
    description: str | None
    village_code: str | None
    month: str | None
    quarter: str | None
    child = one_field("Service.child", "Child", CHILDREN, "The child served")
    director = one_field("Service.director", "Director", PEOPLE, "Delivered by a director")
    social_worker = one_field(
        "Service.socialWorker", "SocialWorker", PEOPLE, "Delivered by a professional"
    )
    volunteer = one_field("Service.volunteer", "Volunteer", PEOPLE, "Delivered by a volunteer")
    project = one_field("Service.project", "Project", PROGRAM, "Under a purchased project")
    station = one_field("Service.station", "Station", PLACES, "At a station")


@node_type("ReportStep")
@strawberry.type(description="A follow-up step of a mandatory report (the trail).")
class ReportStep(Event):
    key: strawberry.Private[str]
    action: str | None = strawberry.field(
        description="received, routed, acknowledged, escalated, investigating, referred, closed"
    )
    note: str | None
    at: dt.datetime | None
    actor_role: str | None
    village_code: str | None
    actor_name: str | None = personal("Who acted (protected: it may name the reporter)")
    report = one_field("ReportStep.report", "MandatoryReport", M, "The report")


@node_type("OnCallShift")
@strawberry.type(description="A shift of the 24-hour crisis-intervention on-call roster.")
class OnCallShift(Node):
    key: strawberry.Private[str]
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    name: str | None
    phone: str | None
    role: str | None
    region_code: str | None
