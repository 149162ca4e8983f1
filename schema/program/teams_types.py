"""GraphQL types of the 1+X+N teams: members and their roles, background checks, hours."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

from schema.care.types import Event
from schema.core.fields import one_field
from schema.core.privacy import personal
from schema.core.registry import node_type

PEOPLE = "schema.people.types"


@strawberry.enum(description="A member's role in a 1+X+N team")
class TeamRole(enum.Enum):
    SOCIAL_WORKER = "social_worker"
    PSYCHOLOGIST = "psychologist"
    LAWYER = "lawyer"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


#: The X of 1+X+N: professionals' roles. Volunteers (the N) take the others.
PROFESSIONAL_ROLES = frozenset({TeamRole.SOCIAL_WORKER, TeamRole.PSYCHOLOGIST, TeamRole.LAWYER})


@strawberry.type(description="A member of a 1+X+N team: a professional (X) or a volunteer (N)")
class TeamMember:
    member_id: strawberry.ID = strawberry.field(description="The SocialWorker's or Volunteer's id")
    name: str | None
    professional: bool = strawberry.field(description="One of the X (else one of the N)")
    role: str | None = strawberry.field(description="social_worker, psychologist, lawyer, …")
    since_date: dt.date | None


@strawberry.type(description="Service hours of a team's members, from their recorded services")
class TeamServiceHours:
    total: float = strawberry.field(description="Person-hours: volunteers' and professionals'")
    volunteers: float = strawberry.field(description="Hours of the N")
    professionals: float = strawberry.field(
        description="Hours of the X (a professional of several teams counts in each)"
    )
    services: int = strawberry.field(description="Services its members delivered")
    unmeasured: int = strawberry.field(description="Of those, recorded without hours")


@node_type("BackgroundCheck")
@strawberry.type(
    description="A volunteer's background check (从业禁止/性侵害违法犯罪信息查询), as recorded."
)
class BackgroundCheck(Event):
    key: strawberry.Private[str]
    status: str | None = strawberry.field(description="passed, pending, flagged or expired")
    checked_date: dt.date | None
    checked_by: str | None = strawberry.field(description="The account that recorded it")
    volunteer = one_field("BackgroundCheck.volunteer", "Volunteer", PEOPLE, "Who was checked")
    note: str | None = personal("Why, e.g. the query's reference (center admins only)")
