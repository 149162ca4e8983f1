from __future__ import annotations

import strawberry

from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.registry import node_type

M = "schema.regions.types"
PLACES = "schema.places.types"
PEOPLE = "schema.people.types"
CHILDREN = "schema.children.types"


@node_type("County")
@strawberry.type(description="A county-level city (县级市), e.g. 滕州市 370481.")
class County(Node):
    key: strawberry.Private[str]
    code: str = strawberry.field(description="Statistical division code (6 digits)")
    name: str
    towns = connection_field("County.towns", "Town", M, "Towns and sub-districts")


@node_type("Town")
@strawberry.type(description="A town (镇) or sub-district (街道).")
class Town(Node):
    key: strawberry.Private[str]
    code: str = strawberry.field(description="Statistical division code (9 digits)")
    name: str
    kind: str | None = strawberry.field(description="镇 or 街道")
    county = one_field("Town.county", "County", M, "The county-level city")
    villages = connection_field("Town.villages", "Village", M, "Villages and communities")
    stations = connection_field("Town.stations", "Station", PLACES, "Its minor-protection station")
    supervisors = connection_field(
        "Town.supervisors", "Supervisor", PEOPLE, "Children's supervisors of the town"
    )
    commissioners = connection_field(
        "Town.commissioners", "Commissioner", PEOPLE, "Oversight commissioners of the town"
    )


@node_type("Village")
@strawberry.type(description="A village (村) or community (社区) committee.")
class Village(Node):
    key: strawberry.Private[str]
    code: str = strawberry.field(description="Statistical division code (12 digits)")
    name: str
    kind: str | None = strawberry.field(description="村 or 社区")
    town_code: str | None
    town = one_field("Village.town", "Town", M, "The town it belongs to")
    grids = connection_field("Village.grids", "Grid", M, "Service grids")
    directors = connection_field(
        "Village.directors", "Director", PEOPLE, "Children's directors assigned here"
    )
    facilities = connection_field(
        "Village.facilities", "Facility", PLACES, "Village-level protection facilities"
    )
    children = connection_field("Village.children", "Child", CHILDREN, "Children in care here")


@node_type("Grid")
@strawberry.type(description="A service grid inside a village (网格).")
class Grid(Node):
    key: strawberry.Private[str]
    code: str
    name: str | None
    village_code: str | None
    village = one_field("Grid.village", "Village", M, "The village")
    directors = connection_field("Grid.directors", "Director", PEOPLE, "Directors of the grid")
