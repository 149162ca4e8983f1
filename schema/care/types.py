from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.fields import one_field
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
    photos: list[str] | None = personal("Photo references (personal data)")
    findings: str | None = personal("Findings (personal data)")
    risk_observations: list[str] | None = personal("Risk observations (personal data)")
    child = one_field("Visit.child", "Child", CHILDREN, "The child visited")
    director = one_field("Visit.director", "Director", PEOPLE, "The visiting director")


@node_type("Screening")
@strawberry.type(description="A screening of a suspected child in distress (疑似困境儿童排查).")
class Screening(Event):
    key: strawberry.Private[str]
    screened_at: dt.datetime | None
    signals: list[str] | None
    rule_version: str | None
    outcome: str | None
    reasons: list[str] | None
    village_code: str | None
    month: str | None
    quarter: str | None
    child = one_field("Screening.child", "Child", CHILDREN, "The child screened")


@node_type("MandatoryReport")
@strawberry.type(description="A mandatory report (强制报告).")
class MandatoryReport(Event):
    key: strawberry.Private[str]
    reported_at: dt.datetime | None
    situation: str | None
    reporter_role: str | None
    status: str | None
    routed_at: dt.datetime | None
    village_code: str | None
    month: str | None
    quarter: str | None
    description: str | None = personal("What was reported (personal data)")
    child = one_field("MandatoryReport.child", "Child", CHILDREN, "The child concerned")
    reporter = one_field("MandatoryReport.reporter", "Director", PEOPLE, "Reporting director")


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
