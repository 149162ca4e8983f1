"""The program's places (阵地): the city center, one station per town, village facilities.

Stations must meet the "four-haves" (四有); a few demo stations miss one so
that the portal's coverage figures and the supervision ledger have something
to show. Facilities cover every village, plus extra ones in the biggest.

Every station was inspected about once a quarter over the year: the stations that
miss a flag today have missed it since one of those inspections, a few others missed
one for a while and put it right; a station's flags are its latest inspection's.
The inspections draw from their own random stream, after everything above.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from hub.demo.clock import add_days, day_between, day_ms, iso, period_props
from hub.demo.context import County, TownRec

_FOUR_HAVES = ("hasVenue", "hasTeam", "hasRules", "hasServices")
_EXTRA_FACILITY_KINDS = ("未成年人心理辅导室", "四点半课堂", "留守儿童关爱驿站")
#: Quarterly inspections of the stations (each moved by up to ten days either way).
_INSPECTION_DAYS = (
    date(2025, 12, 15),
    date(2026, 3, 16),
    date(2026, 6, 15),
    date(2026, 9, 15),
    date(2026, 11, 16),
)
#: What an inspector sees of each flag when it is met.
_EVIDENCE = {
    "hasVenue": ("照片：站点门牌及活动室", "场地使用协议"),
    "hasTeam": ("工作人员名册及分工表", "专职社工聘用合同"),
    "hasRules": ("管理制度汇编（上墙照片）", "服务流程及值班制度"),
    "hasServices": ("本季度服务台账", "个案服务记录抽查"),
}
_LACKING = {
    "hasVenue": "固定场所被临时占用，已督促恢复",
    "hasTeam": "缺少专职工作人员，已督促配齐",
    "hasRules": "管理制度未建立或未上墙，已督促整改",
    "hasServices": "本季度未开展服务活动，已督促整改",
}


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
    stations: dict[str, dict[str, Any]] = {}
    missing = rng.sample(range(len(towns)), k=round(len(towns) / 7)) if len(towns) >= 3 else []
    for index, town in enumerate(towns):
        flags = dict.fromkeys(_FOUR_HAVES, True)
        if index in missing:
            # Rules and services are what new stations most often lack.
            town.station_lacks = rng.choice(("hasRules", "hasServices", "hasServices", "hasTeam"))
            flags[town.station_lacks] = False
        town.station_id = f"station-{town.division.code}"
        stations[town.station_id] = {
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
        }
        b.node("Station", town.station_id, stations[town.station_id])
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
    _inspections(county, stations)


def _inspections(county: County, stations: dict[str, dict[str, Any]]) -> None:
    """A year of StationInspection events; each station's flags are its latest's."""
    rng = county.rng("station-inspections")
    b = county.builder
    towns = county.towns
    # A few stations that meet the four-haves today missed one for a while.
    fine = [i for i, t in enumerate(towns) if not t.station_lacks]
    recovered = set(rng.sample(fine, k=min(len(fine), max(1, round(len(towns) / 7)))))
    for index, town in enumerate(towns):
        lacking = _lacking(rng, town, index in recovered)
        latest = 0
        for n, base in enumerate(_INSPECTION_DAYS):
            day = add_days(base, rng.randint(-10, 10))
            at = day_ms(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
            flags = {f: f != lacking[n] for f in _EVIDENCE}
            evidence = [rng.choice(_EVIDENCE[f]) for f in _EVIDENCE if flags[f]]
            inspection_id = f"stationinspection-{town.division.code}-{n + 1}"
            b.node(
                "StationInspection",
                inspection_id,
                {
                    **flags,
                    "fourHaves": all(flags.values()),
                    "evidence": evidence or ["现场检查记录"],
                    "note": _LACKING[lacking[n]] if lacking[n] else "四有达标",
                    "inspectedAt": at,
                    "inspector": f"center_admin:{county.division.name}未成年人保护中心",
                    "inspectorRole": "center_admin",
                    "townCode": town.division.code,
                    **period_props(at),
                },
                recorded_at=at + 2 * 3600_000,
            )
            b.rel(("StationInspection", "OF", "Station"), inspection_id, town.station_id)
            latest = at
        stations[town.station_id]["inspectedAt"] = latest


def _lacking(rng: random.Random, town: TownRec, recovered: bool) -> list[str]:
    """The flag each inspection found missing ("" for none): today's gap since some
    inspection, or a gap put right before the last one."""
    count = len(_INSPECTION_DAYS)
    if town.station_lacks:
        since = rng.randint(0, count - 1)
        return ["" if n < since else town.station_lacks for n in range(count)]
    if recovered:
        flag = rng.choice(tuple(_EVIDENCE))
        start = rng.randint(0, count - 2)
        end = rng.randint(start, count - 2)
        return [flag if start <= n <= end else "" for n in range(count)]
    return [""] * count
