"""The program's places (阵地): the city center, one station per town, village facilities.

Stations must meet the "four-haves" (四有); a few demo stations miss one so
that the portal's coverage figures and the supervision ledger have something
to show. Facilities cover every village, plus extra ones in the biggest.
"""

from __future__ import annotations

from datetime import date

from hub.demo.clock import day_between, iso
from hub.demo.context import County

_FOUR_HAVES = ("hasVenue", "hasTeam", "hasRules", "hasServices")
_EXTRA_FACILITY_KINDS = ("未成年人心理辅导室", "四点半课堂", "留守儿童关爱驿站")


def build_places(county: County) -> None:
    """Emit ProtectionCenter, Station and Facility rows with their relationships."""
    rng = county.rng("places")
    b = county.builder
    div = county.division
    county.center_id = f"center-{div.code}"
    b.node(
        "ProtectionCenter",
        county.center_id,
        {
            "name": f"{div.name}未成年人保护中心",
            "address": f"{county.address_prefix}民政局未成年人保护中心{rng.randint(1, 3)}楼",
            "phone": county.phones.landline(county.area_code),
            "openedDate": iso(day_between(rng, date(2019, 3, 1), date(2020, 6, 30))),
        },
    )
    b.rel(("ProtectionCenter", "SERVES", "County"), county.center_id, county.id)

    towns = county.towns
    missing = rng.sample(range(len(towns)), k=round(len(towns) / 7)) if len(towns) >= 3 else []
    for index, town in enumerate(towns):
        flags = dict.fromkeys(_FOUR_HAVES, True)
        if index in missing:
            # Rules and services are what new stations most often lack.
            town.station_lacks = rng.choice(("hasRules", "hasServices", "hasServices", "hasTeam"))
            flags[town.station_lacks] = False
        town.station_id = f"station-{town.division.code}"
        b.node(
            "Station",
            town.station_id,
            {
                "name": f"{town.division.name}未成年人保护工作站",
                "townCode": town.division.code,
                "address": f"{county.address_prefix}{town.division.name}便民服务中心"
                f"{rng.randint(1, 3)}楼",
                "phone": county.phones.landline(county.area_code),
                **flags,
                "fourHaves": all(flags.values()),
                "openedDate": iso(day_between(rng, date(2020, 9, 1), date(2023, 6, 30))),
                "staffCount": rng.randint(2, 6),
                "areaSqm": rng.randrange(80, 300, 5),
            },
        )
        b.rel(("Station", "SERVES", "Town"), town.station_id, town.id)
        b.rel(("Station", "GUIDED_BY", "ProtectionCenter"), town.station_id, county.center_id)

    biggest = sorted(county.villages, key=lambda v: (-v.weight, v.division.code))
    extra = {v.id for v in biggest[: county.targets.extra_facilities]}
    for village in county.villages:
        kinds = ["儿童之家"]
        if village.id in extra:
            kinds.append(rng.choice(_EXTRA_FACILITY_KINDS))
        for n, kind in enumerate(kinds, start=1):
            facility_id = f"facility-{village.division.code}-{n}"
            village.facility_ids.append(facility_id)
            b.node(
                "Facility",
                facility_id,
                {
                    "name": f"{village.short_name}{kind}",
                    "villageCode": village.division.code,
                    "kind": kind,
                    "openedDate": iso(day_between(rng, date(2020, 1, 1), date(2024, 12, 31))),
                    "areaSqm": rng.randrange(30, 200, 5),
                },
            )
            b.rel(("Facility", "LOCATED_IN", "Village"), facility_id, village.id)
