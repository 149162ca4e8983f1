from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.program.types"


@strawberry.type
class ProgramQueries:
    organizations = list_field("Organization", "Organization", M, "Organisations")
    projects = list_field("Project", "Project", M, "Purchased-service projects")
    volunteer_teams = list_field("VolunteerTeam", "VolunteerTeam", M, "1+X+N teams")
    trainings = list_field("Training", "Training", M, "Training sessions")
    exams = list_field("Exam", "Exam", M, "Exams")
    exam_results = list_field("ExamResult", "ExamResult", M, "Exam results")
    assessments = list_field("Assessment", "Assessment", M, "Assessments")
