"""The region hierarchy: county → towns → villages → grids, with made-up geography.

Towns and villages are the real ones; what is invented is each place's
coordinates, each village's relative size (its weight decides how many
children and directors it gets) and its 1–3 service grids.
"""

from __future__ import annotations

from hub.demo.context import County, TownRec, VillageRec
from hub.demo.geo import near, rounded, town_centre
from hub.demo.names import short_place_name

_GRID_ORDINALS = "一二三"


def build_regions(county: County) -> None:
    """Lay out towns and villages, then emit County, Town, Village, Grid and PART_OF rows."""
    rng = county.rng("regions")
    b = county.builder
    div = county.division
    b.node("County", county.id, {"code": div.code, "name": div.name})
    count = len(div.towns)
    for index, town_div in enumerate(div.towns):
        urban = town_div.kind == "街道"
        town = TownRec(
            division=town_div,
            id=f"town-{town_div.code}",
            centre=town_centre(rng, county.frame, index, count, urban),
        )
        county.towns.append(town)
        b.node(
            "Town",
            town.id,
            {
                "code": town_div.code,
                "name": town_div.name,
                "kind": town_div.kind,
                "countyCode": div.code,
            },
        )
        b.rel(("Town", "PART_OF", "County"), town.id, county.id)
        for village_div in town_div.villages:
            community = village_div.kind == "社区"
            # Rural villages hold more children in care (left-behind children).
            weight = rng.lognormvariate(0.0, 0.45) * (0.7 if community else 1.0)
            point = near(rng, town.centre, 1500 if urban else 3200, county.frame)
            village = VillageRec(
                division=village_div,
                town=town_div,
                id=f"village-{village_div.code}",
                point=rounded(point),
                weight=weight,
                short_name=short_place_name(village_div.name),
            )
            town.villages.append(village)
            county.villages.append(village)
            b.node(
                "Village",
                village.id,
                {
                    "code": village_div.code,
                    "name": village_div.name,
                    "kind": village_div.kind,
                    "townCode": town_div.code,
                },
            )
            b.rel(("Village", "PART_OF", "Town"), village.id, town.id)
            grids = _grid_count(weight, community, rng.random())
            for g in range(grids):
                code = f"{village_div.code}{g + 1:02d}"
                grid_id = f"grid-{code}"
                village.grid_ids.append(grid_id)
                b.node(
                    "Grid",
                    grid_id,
                    {
                        "code": code,
                        "name": f"{village.short_name}第{_GRID_ORDINALS[g]}网格",
                        "villageCode": village_div.code,
                    },
                )
                b.rel(("Grid", "PART_OF", "Village"), grid_id, village.id)


def _grid_count(weight: float, community: bool, u: float) -> int:
    """1–3 grids: communities have 2–3, villages by size."""
    if community:
        return 3 if u < 0.4 else 2
    if weight < 0.8:
        return 1 if u < 0.8 else 2
    if weight < 1.5:
        return 2 if u < 0.75 else 1
    return 3 if u < 0.6 else 2
