from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.care.types"


@strawberry.type
class CareQueries:
    visits = list_field("Visit", "Visit", M, "Directors' visits")
    screenings = list_field("Screening", "Screening", M, "Screenings of suspected distress")
    mandatory_reports = list_field("MandatoryReport", "MandatoryReport", M, "Mandatory reports")
    services = list_field("Service", "Service", M, "Services delivered")
