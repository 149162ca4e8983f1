from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.fields import connection_field, one_field
from schema.core.node import Node
from schema.core.privacy import personal
from schema.core.registry import node_type

M = "schema.children.types"
REGIONS = "schema.regions.types"
PEOPLE = "schema.people.types"
CARE = "schema.care.types"


@node_type("Child")
@strawberry.type(description="A child in the program's care. Personal fields are restricted.")
class Child(Node):
    key: strawberry.Private[str]
    gender: str | None
    categories: list[str] | None = strawberry.field(
        description="困境儿童, 事实无人抚养儿童, 孤儿, 留守儿童, 疑似困境儿童"
    )
    primary_category: str | None
    school_status: str | None
    risk_level: str | None
    found_by: str | None = strawberry.field(description="screening or application")
    enrolled_date: dt.date | None
    status: str | None
    village_code: str | None
    name: str | None = personal("Name (personal data)")
    birth_date: dt.date | None = personal("Birth date (personal data)")
    id_number: str | None = personal("Resident ID number (personal data)")
    address: str | None = personal("Home address (personal data)")
    home_lat: float | None = personal("Home latitude (personal data)")
    home_lng: float | None = personal("Home longitude (personal data)")
    health_notes: str | None = personal("Health details (personal data)")
    disability: str | None = personal("Disability details (personal data)")
    village = one_field("Child.village", "Village", REGIONS, "Home village")
    directors = connection_field("Child.directors", "Director", PEOPLE, "Paired directors")
    guardians = connection_field("Child.guardians", "Guardian", M, "Guardians")
    visits = connection_field("Child.visits", "Visit", CARE, "Visits received")
    screenings = connection_field("Child.screenings", "Screening", CARE, "Screenings")
    mandatory_reports = connection_field(
        "Child.mandatoryReports", "MandatoryReport", CARE, "Mandatory reports about the child"
    )
    services = connection_field("Child.services", "Service", CARE, "Services received")
    assignments = connection_field(
        "Child.assignments", "Assignment", CARE, "Who looked after them: pairings and handovers"
    )
    category_changes = connection_field(
        "Child.categoryChanges", "CategoryChange", CARE, "Changes of their categories"
    )


@node_type("Guardian")
@strawberry.type(description="A child's guardian. Personal fields are restricted.")
class Guardian(Node):
    key: strawberry.Private[str]
    relation: str | None
    village_code: str | None
    name: str | None = personal("Name (personal data)")
    phone: str | None = personal("Phone (personal data)")
    id_number: str | None = personal("Resident ID number (personal data)")
    whereabouts: str | None = personal("home, away, imprisoned, deceased, missing")
    children = connection_field("Guardian.children", "Child", M, "Children in their care")
