from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry

from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type
from schema.program import teams_fields, training_record

M = "schema.people.types"
REGIONS = "schema.regions.types"
CHILDREN = "schema.children.types"
CARE = "schema.care.types"
PROGRAM = "schema.program.types"
OVERSIGHT = "schema.oversight.types"
VETTING = "schema.program.teams_types"


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
    team = one_field("Director.team", "VolunteerTeam", PROGRAM, "The 1+X+N team they lead")
    trainings = connection_field("Director.trainings", "Training", PROGRAM, "Trainings attended")
    exam_results = connection_field("Director.examResults", "ExamResult", PROGRAM, "Exam results")
    # Training and exams (schema.program.training_record): null outside the reader's scope.
    certification = strawberry.field(
        resolver=training_record.director_certification,
        description="Certified: every required topic passed within the rotation cycle",
    )
    training_record = strawberry.field(
        resolver=training_record.director_training_record,
        description="Sessions attended, exams and scores, certification, topics due (轮训)",
    )
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
    availability: strawberry.Private[list[str] | None]
    background_check: str | None = strawberry.field(
        description="The latest check as recorded: passed, pending, flagged or expired"
    )
    background_check_date: dt.date | None = strawberry.field(description="When it was checked")
    registered_date: dt.date | None
    service_hours: strawberry.Private[float | None]
    teams = connection_field("Volunteer.teams", "VolunteerTeam", PROGRAM, "Teams joined")
    # 1+X+N teams (schema.program.teams_fields): computed, never typed in by hand.
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "backgroundCheckStatus": ("backgroundCheck", "backgroundCheckDate"),
        "backgroundCheckExpires": ("backgroundCheck", "backgroundCheckDate"),
        "clearedForChildren": ("backgroundCheck", "backgroundCheckDate"),
        "reportedServiceHours": ("serviceHours",),
    }
    availability_slots = strawberry.field(
        resolver=teams_fields.availability, name="availability", description="Weekly slots"
    )
    background_check_status = strawberry.field(
        resolver=teams_fields.check_status,
        description="The check as it stands today: a passed one past its validity is expired",
    )
    background_check_expires = strawberry.field(
        resolver=teams_fields.check_expires, description="Last day a passed check clears them"
    )
    cleared_for_children = strawberry.field(
        resolver=teams_fields.cleared,
        description="A current passed check: only then matched with children or in a team",
    )
    recorded_service_hours = strawberry.field(
        resolver=teams_fields.volunteer_hours,
        name="serviceHours",
        description="Hours of the services they delivered, from the service records",
    )
    reported_service_hours = strawberry.field(
        resolver=teams_fields.reported_hours,
        description="The total the volunteer platform reports (for comparison)",
    )
    background_checks = connection_field(
        "Volunteer.backgroundChecks", "BackgroundCheck", VETTING, "Background checks recorded"
    )


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
    raised_tasks = connection_field(
        "Commissioner.raisedTasks", "SupervisionTask", OVERSIGHT, "Tasks raised from their notes"
    )
