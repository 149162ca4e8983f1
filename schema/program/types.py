from __future__ import annotations

import datetime as dt

import strawberry

from schema.care.types import Event
from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type
from schema.program import teams_fields, training_record

# Assessments live in their own module; lazy references name them here.
from schema.program.assessment_types import Assessment as Assessment
from schema.program.assessment_types import AssessmentAppeal as AssessmentAppeal
from schema.program.assessment_types import Weights as Weights

M = "schema.program.types"
REGIONS = "schema.regions.types"
PEOPLE = "schema.people.types"
CARE = "schema.care.types"
TRAINING = "schema.program.training_types"


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
    target_person_times: int | None = strawberry.field(description="Target person-times (人次)")
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
    members = strawberry.field(
        resolver=teams_fields.members, description="Its X and N with their roles"
    )
    service_hours = strawberry.field(
        resolver=teams_fields.team_hours,
        description="Its members' hours, from their service records (in `quarter` if given)",
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
    region_code: str | None = strawberry.field(description="Whose session: a town or the city")
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
    topic: str | None
    question_count: int | None = strawberry.field(description="Questions drawn from the bank")
    training = one_field("Exam.training", "Training", M, "The training")
    results = connection_field("Exam.results", "ExamResult", M, "Results")
    questions = connection_field(
        "Exam.questions", "Question", TRAINING, "Its questions with the answer key (staff only)"
    )
    paper = strawberry.field(
        resolver=training_record.exam_paper,
        description="The exam paper: questions and options in order, never the answers",
    )


@node_type("ExamResult")
@strawberry.type(description="A director's exam result.")
class ExamResult(Event):
    key: strawberry.Private[str]
    score: float | None
    passed: bool | None
    taken_at: dt.datetime | None
    topic: str | None
    correct_count: int | None = strawberry.field(description="Questions answered right")
    question_count: int | None
    village_code: str | None
    exam = one_field("ExamResult.exam", "Exam", M, "The exam")
    director = one_field("ExamResult.director", "Director", PEOPLE, "Who took it")
