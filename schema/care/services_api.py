"""Recording a service delivered to a child (救助帮扶, 危机干预, 心理疏导, 转介…).

Directors record services for the children paired with them, station staff
and center admins for children in their regions. A service is counted in
person-times (人次); once recorded it shows in ``serviceStats`` by kind, town
and period like the services the connectors load, because it is the same
``Service`` event with the same keys.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import strawberry

from graph.model import period_of
from graph.queries import services as q
from schema.access.principal import Role
from schema.care.common import instant, key_of, now_ms, optional_text
from schema.care.types import Service
from schema.context import Info
from schema.core.fields import make_object
from schema.errors import BadArgument, Forbidden

RECORDERS = frozenset({Role.DIRECTOR, Role.STATION_STAFF, Role.CENTER_ADMIN})
MAX_PERSON_TIMES = 500
#: Phones' clocks run a little ahead at times; further ahead is a typing error.
CLOCK_SKEW_MS = 5 * 60 * 1000
#: Older services come in through the connectors' imports, not typed in by hand.
MAX_AGE_MS = 366 * 24 * 3600 * 1000
MAX_DESCRIPTION = 1000


@strawberry.enum(description="Kinds of service, as the program counts them.")
class ServiceKind(enum.Enum):
    RESCUE_ASSISTANCE = "救助帮扶"
    CRISIS_INTERVENTION = "危机干预"
    COUNSELLING = "心理疏导"
    POLICY_LINKING = "政策链接"
    REFERRAL = "转介"
    TUTORING = "学业辅导"
    GUARDIANSHIP_GUIDANCE = "监护指导"


@strawberry.input(description="A service as delivered; exactly one of the deliverer ids.")
class RecordServiceInput:
    child_id: strawberry.ID
    kind: ServiceKind
    delivered_at: dt.datetime
    person_times: int = strawberry.field(default=1, description="Person-times (人次)")
    description: str | None = None
    director_id: strawberry.ID | None = strawberry.field(
        default=None, description="Delivered by a director"
    )
    social_worker_id: strawberry.ID | None = strawberry.field(
        default=None, description="Delivered by a professional of a 1+X+N team"
    )
    volunteer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Delivered by a volunteer"
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Under a purchased-service project"
    )
    station_id: strawberry.ID | None = strawberry.field(default=None, description="At a station")


def _optional_key(value: strawberry.ID | None, type_name: str, arg: str) -> str | None:
    return None if value is None else key_of(value, type_name, arg)


#: (argument, GraphQL type, statement parameter and fact column)
_NAMED = (
    ("directorId", "Director", "director"),
    ("socialWorkerId", "SocialWorker", "socialWorker"),
    ("volunteerId", "Volunteer", "volunteer"),
    ("projectId", "Project", "project"),
    ("stationId", "Station", "station"),
)


async def record(info: Info, data: RecordServiceInput) -> Service:
    """Validate, check rights and write the service with its edges in one statement."""
    principal = info.context.access.principal
    if principal.kind != "user" or principal.role not in RECORDERS:
        raise Forbidden("recording a service: directors, station staff and center admins may")
    child = key_of(data.child_id, "Child", "childId")
    given = {
        "directorId": data.director_id,
        "socialWorkerId": data.social_worker_id,
        "volunteerId": data.volunteer_id,
        "projectId": data.project_id,
        "stationId": data.station_id,
    }
    ids = {arg: _optional_key(given[arg], type_name, arg) for arg, type_name, _ in _NAMED}
    if sum(ids[a] is not None for a in ("directorId", "socialWorkerId", "volunteerId")) != 1:
        raise BadArgument(
            "name exactly one deliverer: `directorId`, `socialWorkerId` or `volunteerId`"
        )
    if not 1 <= data.person_times <= MAX_PERSON_TIMES:
        raise BadArgument(f"`personTimes` is between 1 and {MAX_PERSON_TIMES}")
    now = now_ms(info)
    delivered = instant(data.delivered_at, "deliveredAt")
    if delivered > now + CLOCK_SKEW_MS:
        raise BadArgument("`deliveredAt` lies in the future")
    if delivered < now - MAX_AGE_MS:
        raise BadArgument("services older than a year come in through the imports")
    description = optional_text(data.description, "description", maximum=MAX_DESCRIPTION)
    store = info.context.store
    (facts,) = await store.read(q.FACTS, {"childId": child, "readerId": principal.person_id, **ids})
    if facts["child"] is None:
        raise BadArgument("no child with that id")
    for arg, type_name, column in _NAMED:
        if ids[arg] is not None and facts[column] is None:
            raise BadArgument(f"no {type_name} with the id given as `{arg}`")
    if principal.role is Role.DIRECTOR:
        if not facts["paired"]:
            raise Forbidden("recording a service: directors record for their paired children")
    elif not principal.covers(facts["villageCode"]):
        raise Forbidden("recording a service: the child lives outside your regions")
    month, quarter = period_of(delivered)
    service_id = f"service-{uuid.uuid4().hex}"
    props: dict[str, Any] = {
        "kind": data.kind.value,
        "deliveredAt": delivered,
        "personTimes": data.person_times,
        "description": description,
        "month": month,
        "quarter": quarter,
    }
    rows, _ = await store.write(
        q.RECORD,
        {**props, **ids, "id": service_id, "childId": child, "now": now, "source": "hub"},
    )
    if not rows:
        raise BadArgument("the records named changed meanwhile: nothing was recorded")
    row = {
        **props,
        "id": service_id,
        "villageCode": rows[0]["villageCode"],
        "recordId": service_id,
        "version": 1,
        "recordedAt": now,
        "source": "hub",
    }
    service: Service = make_object(info, "Service")(row)
    return service


@strawberry.type
class ServiceMutations:
    @strawberry.mutation(
        description="Record a service delivered to a child, in person-times. Directors for "
        "their paired children, station staff and center admins in their regions."
    )
    async def record_service(self, info: Info, input: RecordServiceInput) -> Service:
        return await record(info, input)
