from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry

from schema.care.types import Event
from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type

M = "schema.program.types"
REGIONS = "schema.regions.types"
PEOPLE = "schema.people.types"
CARE = "schema.care.types"


@node_type("Organization")
@strawberry.type(description="A social organisation or agency.")
class Organization(Node):
    key: strawberry.Private[str]
    name: str
    kind: str | None
    credit_code: str | None = strawberry.field(description="Unified social credit code")
    phone: str | None
    address: str | None
    projects = connection_field("Organization.projects", "Project", M, "Projects it runs")
    social_workers = connection_field(
        "Organization.socialWorkers", "SocialWorker", PEOPLE, "Its professionals"
    )


@node_type("Project")
@strawberry.type(description="A government-purchased service project (政府购买服务项目).")
class Project(Node):
    key: strawberry.Private[str]
    name: str
    budget: int | None = strawberry.field(description="Budget in yuan")
    start_date: dt.date | None
    end_date: dt.date | None
    target_services: int | None
    target_children: int | None
    status: str | None
    organization = one_field("Project.organization", "Organization", M, "The provider")
    towns = connection_field("Project.towns", "Town", REGIONS, "Towns covered")
    directors = connection_field(
        "Project.directors", "Director", PEOPLE, "Directors enrolled as project volunteers"
    )
    services = connection_field("Project.services", "Service", CARE, "Services delivered")


@node_type("VolunteerTeam")
@strawberry.type(description="A 1+X+N team around a director.")
class VolunteerTeam(Node):
    key: strawberry.Private[str]
    name: str
    formed_date: dt.date | None
    village_code: str | None
    leader = one_field("VolunteerTeam.leader", "Director", PEOPLE, "The director (the 1)")
    social_workers = connection_field(
        "VolunteerTeam.socialWorkers", "SocialWorker", PEOPLE, "Professionals (the X)"
    )
    volunteers = connection_field(
        "VolunteerTeam.volunteers", "Volunteer", PEOPLE, "Volunteers (the N)"
    )


@node_type("Training")
@strawberry.type(description="A training session for directors.")
class Training(Node):
    key: strawberry.Private[str]
    title: str
    topic: str | None
    date: dt.date | None
    trainer: str | None
    hours: float | None
    location: str | None
    round: int | None = strawberry.field(description="Rotation round (轮训)")
    attendees = connection_field("Training.attendees", "Director", PEOPLE, "Directors attending")
    exams = connection_field("Training.exams", "Exam", M, "Exams closing the training")


@node_type("Exam")
@strawberry.type(description="An exam after training.")
class Exam(Node):
    key: strawberry.Private[str]
    title: str
    date: dt.date | None
    max_score: float | None
    pass_score: float | None
    training = one_field("Exam.training", "Training", M, "The training")
    results = connection_field("Exam.results", "ExamResult", M, "Results")


@node_type("ExamResult")
@strawberry.type(description="A director's exam result.")
class ExamResult(Event):
    key: strawberry.Private[str]
    score: float | None
    passed: bool | None
    taken_at: dt.datetime | None
    exam = one_field("ExamResult.exam", "Exam", M, "The exam")
    director = one_field("ExamResult.director", "Director", PEOPLE, "Who took it")


@strawberry.type(description="How an assessment's total weighs its parts.")
class Weights:
    exam: float | None
    visit: float | None


@node_type("Assessment")
@strawberry.type(description="A periodic assessment of a director or supervisor.")
class Assessment(Event):
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {"weights": ("weightExam", "weightVisit")}
    key: strawberry.Private[str]
    period: str | None = strawberry.field(description="e.g. 2026Q1")
    exam_score: float | None
    visit_score: float | None = strawberry.field(description="Visit effectiveness score")
    weight_exam: float | None
    weight_visit: float | None
    total: float | None
    tier: str | None
    allowance: float | None = strawberry.field(description="Allowance in yuan")
    explanation: str | None
    formula_version: str | None
    computed_at: dt.datetime | None
    region_code: str | None
    director = one_field("Assessment.director", "Director", PEOPLE, "The assessed director")
    supervisor = one_field("Assessment.supervisor", "Supervisor", PEOPLE, "The assessed supervisor")

    @strawberry.field(description="The weights applied to the parts")
    def weights(self) -> Weights:
        return Weights(exam=self.weight_exam, visit=self.weight_visit)
