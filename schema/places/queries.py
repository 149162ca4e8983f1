from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.places.types"


@strawberry.type
class PlaceQueries:
    protection_centers = list_field(
        "ProtectionCenter", "ProtectionCenter", M, "The city minor-protection center"
    )
    stations = list_field("Station", "Station", M, "Town minor-protection stations (未保站)")
    facilities = list_field("Facility", "Facility", M, "Village-level protection facilities")
