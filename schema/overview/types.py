from __future__ import annotations

import strawberry


@strawberry.type(description="Headline figures of the program, public.")
class Overview:
    towns: int = strawberry.field(description="Towns and sub-districts (乡镇/街道)")
    villages: int = strawberry.field(description="Villages and communities (村/社区)")
    stations: int = strawberry.field(description="Minor-protection stations (未保站)")
    facilities: int = strawberry.field(description="Village-level protection facilities")
    directors: int = strawberry.field(description="Children's directors (儿童主任)")
    supervisors: int = strawberry.field(description="Children's supervisors (儿童督导员)")
    trainings: int = strawberry.field(description="Training sessions held")
    service_person_times: int = strawberry.field(
        description="Service person-times delivered (服务人次)"
    )
