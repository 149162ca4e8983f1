from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type
from schema.places import stations_stats

M = "schema.places.types"
REGIONS = "schema.regions.types"
CARE = "schema.care.types"
INSPECTIONS = "schema.places.stations_types"


@node_type("ProtectionCenter")
@strawberry.type(description="The city minor-protection center (市未成年人保护中心).")
class ProtectionCenter(Node):
    key: strawberry.Private[str]
    name: str
    address: str | None
    phone: str | None
    opened_date: dt.date | None


@node_type("Station")
@strawberry.type(description="A town minor-protection station (未保站) and its four-haves (四有).")
class Station(Node):
    key: strawberry.Private[str]
    name: str
    town_code: str | None
    address: str | None
    phone: str | None
    has_venue: bool | None = strawberry.field(description="有固定场所")
    has_team: bool | None = strawberry.field(description="有专门队伍")
    has_rules: bool | None = strawberry.field(description="有管理制度")
    has_services: bool | None = strawberry.field(description="有服务开展")
    four_haves: bool | None = strawberry.field(description="All four met (四有)")
    opened_date: dt.date | None
    staff_count: int | None
    area_sqm: float | None
    inspected_at: dt.datetime | None = strawberry.field(
        description="The latest inspection, whose flags these are"
    )
    town = one_field("Station.town", "Town", REGIONS, "The town it serves")
    center = one_field("Station.center", "ProtectionCenter", M, "The guiding city center")
    services = connection_field("Station.services", "Service", CARE, "Services delivered here")
    inspections = connection_field(
        "Station.inspections", "StationInspection", INSPECTIONS, "Inspection history (四有)"
    )
    service_stats = strawberry.field(
        resolver=stations_stats.station_service_stats,
        description="Services and person-times delivered here, per quarter",
    )


@node_type("Facility")
@strawberry.type(description="A village-level protection facility (未成年人保护设施).")
class Facility(Node):
    key: strawberry.Private[str]
    name: str
    village_code: str | None
    kind: str | None
    opened_date: dt.date | None
    area_sqm: float | None
    operating: bool | None = strawberry.field(description="In operation at the latest inspection")
    inspected_at: dt.datetime | None
    village = one_field("Facility.village", "Village", REGIONS, "Where it stands")
    inspections = connection_field(
        "Facility.inspections", "FacilityInspection", INSPECTIONS, "Inspection history"
    )
