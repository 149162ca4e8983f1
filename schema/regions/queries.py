from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.regions.types"


@strawberry.type
class RegionQueries:
    counties = list_field("County", "County", M, "County-level cities")
    towns = list_field("Town", "Town", M, "Towns and sub-districts")
    villages = list_field("Village", "Village", M, "Villages and communities")
    grids = list_field("Grid", "Grid", M, "Service grids")
