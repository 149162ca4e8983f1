from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type

M = "schema.people.types"
REGIONS = "schema.regions.types"
CHILDREN = "schema.children.types"
CARE = "schema.care.types"
PROGRAM = "schema.program.types"
OVERSIGHT = "schema.oversight.types"


@node_type("Director")
@strawberry.type(description="A children's director (儿童主任).")
class Director(Node):
    key: strawberry.Private[str]
    name: str
    gender: str | None
    phone: str | None
    education: str | None
    social_work_qualification: bool | None = strawberry.field(
        description="Holds a social-work qualification (vocational allowance)"
    )
    appointed_date: dt.date | None
    status: str | None
    village_code: str | None
    villages = connection_field("Director.villages", "Village", REGIONS, "Villages assigned")
    grids = connection_field("Director.grids", "Grid", REGIONS, "Grids assigned")
    children = connection_field(
        "Director.children", "Child", CHILDREN, "Children paired with the director (结对)"
    )
    visits = connection_field("Director.visits", "Visit", CARE, "Visits made")
    screenings = connection_field(
        "Director.screenings", "Screening", CARE, "Screening flags to verify (verification tasks)"
    )
    assignments = connection_field(
        "Director.assignments", "Assignment", CARE, "Changes of their areas and pairings"
    )
    teams = connection_field("Director.teams", "VolunteerTeam", PROGRAM, "The 1+X+N team led")
    trainings = connection_field("Director.trainings", "Training", PROGRAM, "Trainings attended")
    exam_results = connection_field("Director.examResults", "ExamResult", PROGRAM, "Exam results")
    assessments = connection_field(
        "Director.assessments", "Assessment", PROGRAM, "Periodic assessments"
    )
    mandatory_reports = connection_field(
        "Director.mandatoryReports", "MandatoryReport", CARE, "Mandatory reports made"
    )
    projects = connection_field(
        "Director.projects", "Project", PROGRAM, "Purchased-service projects enrolled in"
    )


@node_type("Supervisor")
@strawberry.type(description="A children's supervisor (儿童督导员), one per town.")
class Supervisor(Node):
    key: strawberry.Private[str]
    name: str
    gender: str | None
    phone: str | None
    town_code: str | None
    appointed_date: dt.date | None
    towns = connection_field("Supervisor.towns", "Town", REGIONS, "Towns supervised")
    supervision_tasks = connection_field(
        "Supervisor.supervisionTasks", "SupervisionTask", OVERSIGHT, "Supervision tasks carried"
    )
    assessments = connection_field(
        "Supervisor.assessments", "Assessment", PROGRAM, "Periodic assessments"
    )


@node_type("SocialWorker")
@strawberry.type(description="A professional (X of 1+X+N): social worker, psychologist, lawyer.")
class SocialWorker(Node):
    key: strawberry.Private[str]
    name: str
    gender: str | None
    phone: str | None
    profession: str | None
    qualification: str | None
    teams = connection_field("SocialWorker.teams", "VolunteerTeam", PROGRAM, "Teams served in")
    organization = one_field(
        "SocialWorker.organization", "Organization", PROGRAM, "Employing organisation"
    )


@node_type("Volunteer")
@strawberry.type(description="A volunteer (N of 1+X+N).")
class Volunteer(Node):
    key: strawberry.Private[str]
    name: str
    gender: str | None
    phone: str | None
    skills: list[str] | None
    background_check: str | None = strawberry.field(
        description="passed, pending or flagged (never matched with children)"
    )
    registered_date: dt.date | None
    service_hours: float | None
    teams = connection_field("Volunteer.teams", "VolunteerTeam", PROGRAM, "Teams joined")


@node_type("Commissioner")
@strawberry.type(description="A child-rights oversight commissioner (NPC deputy / CPPCC member).")
class Commissioner(Node):
    key: strawberry.Private[str]
    name: str
    body: str | None = strawberry.field(description="人大代表 or 政协委员")
    title: str | None
    appointed_date: dt.date | None
    region_codes: list[str] | None
    towns = connection_field("Commissioner.towns", "Town", REGIONS, "Jurisdiction")
