from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.people.types"


@strawberry.type
class PeopleQueries:
    directors = list_field("Director", "Director", M, "Children's directors (儿童主任)")
    supervisors = list_field("Supervisor", "Supervisor", M, "Children's supervisors (儿童督导员)")
    social_workers = list_field("SocialWorker", "SocialWorker", M, "Professionals of 1+X+N teams")
    volunteers = list_field("Volunteer", "Volunteer", M, "Volunteers")
    commissioners = list_field(
        "Commissioner", "Commissioner", M, "Oversight commissioners (督查专员)"
    )
