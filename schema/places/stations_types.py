"""GraphQL types of inspections (stations' four-haves, facilities) and service counts."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.care.types import Event
from schema.core.fields import one_field
from schema.core.ids import to_global_id
from schema.core.registry import node_type

PLACES = "schema.places.types"


@node_type("StationInspection")
@strawberry.type(
    description="An inspection of a station's four-haves (四有) with its evidence; the latest "
    "inspection gives the station's current flags."
)
class StationInspection(Event):
    key: strawberry.Private[str]
    has_venue: bool | None = strawberry.field(description="有固定场所")
    has_team: bool | None = strawberry.field(description="有专门队伍")
    has_rules: bool | None = strawberry.field(description="有管理制度")
    has_services: bool | None = strawberry.field(description="有服务开展")
    four_haves: bool | None = strawberry.field(description="All four met (四有)")
    evidence: list[str] | None = strawberry.field(description="What was seen: photos, documents")
    note: str | None
    inspected_at: dt.datetime | None
    inspector: str | None = strawberry.field(description="Who inspected (role:account)")
    inspector_role: str | None
    town_code: str | None
    month: str | None
    quarter: str | None
    station = one_field("StationInspection.station", "Station", PLACES, "The station inspected")


@node_type("FacilityInspection")
@strawberry.type(description="An inspection of a village facility: in operation or not.")
class FacilityInspection(Event):
    key: strawberry.Private[str]
    operating: bool | None = strawberry.field(description="Open and in use")
    evidence: list[str] | None
    note: str | None
    inspected_at: dt.datetime | None
    inspector: str | None
    inspector_role: str | None
    village_code: str | None
    month: str | None
    quarter: str | None
    facility = one_field(
        "FacilityInspection.facility", "Facility", PLACES, "The facility inspected"
    )


@strawberry.type(description="Services delivered at a station in one quarter.")
class StationServiceStat:
    quarter: str | None
    services: int | None = strawberry.field(description="Services; null when suppressed")
    person_times: int | None = strawberry.field(description="Person-times (人次)")
    suppressed: bool = strawberry.field(
        description="Withheld: under 5 for a statistics-only reader"
    )


@strawberry.type(description="Services delivered at one station in one quarter.")
class StationServiceRow:
    station_key: strawberry.Private[str]
    station_name: str | None
    town_code: str | None
    quarter: str | None
    services: int | None
    person_times: int | None
    suppressed: bool

    @strawberry.field(description="The station's global id")
    def station_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Station", self.station_key))
