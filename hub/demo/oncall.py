"""The demo's 24-hour on-call roster for crisis intervention (值班表).

The city center and every town's station keep a small on-call team; their
8-hour shifts (00–08, 08–16, 16–24 China Standard Time) follow each other
without a gap from a week before the demo's today to a week after, so
``onDuty`` has an answer at the demo's "now" and on any day around it. The
team rotates shift by shift, so nobody works two shifts in a row, and no
person's shifts overlap. Unlike the program's events, a roster is planned
ahead: these are the demo's only instants after "now".
"""

from __future__ import annotations

import random

from hub.demo.clock import TODAY, add_days, day_ms
from hub.demo.context import County
from hub.demo.names import person_name

#: Days of roster before and after the demo's today.
DAYS_AROUND = 7
SHIFT_HOURS = 8
CENTER_TEAM = ("未保中心值班员",) * 4 + ("心理咨询师",)
STATION_TEAM = ("未保站工作人员",) * 3 + ("社会工作者",)


def build_oncall(county: County) -> None:
    """OnCallShift rows for the county's center (its code) and each town (the town's code)."""
    rng = county.rng("oncall")
    rosters = [(county.code, CENTER_TEAM)] + [(t.division.code, STATION_TEAM) for t in county.towns]
    for region_code, roles in rosters:
        team = [(_name(rng), county.phones.mobile(), role) for role in roles]
        _shifts(county, region_code, team)


def _name(rng: random.Random) -> str:
    gender = "female" if rng.random() < 0.6 else "male"
    return person_name(rng, gender, rng.randint(1970, 1998))


def _shifts(county: County, region_code: str, team: list[tuple[str, str, str]]) -> None:
    n = 0
    for offset in range(-DAYS_AROUND, DAYS_AROUND + 1):
        day = add_days(TODAY, offset)
        for slot in range(24 // SHIFT_HOURS):
            name, phone, role = team[n % len(team)]
            n += 1
            starts = day_ms(day, slot * SHIFT_HOURS)
            county.builder.node(
                "OnCallShift",
                f"oncall-{region_code}-{day:%Y%m%d}-{slot}",
                {
                    "startsAt": starts,
                    "endsAt": starts + SHIFT_HOURS * 3_600_000,
                    "name": name,
                    "phone": phone,
                    "role": role,
                    "regionCode": region_code,
                },
            )
