"""Samples of the volunteer service platform (志愿服务平台): volunteers, teams, service hours.

The platform writes times as ``2026-03-05 09:30:00`` (Beijing time, no offset)
in ``update_time``, skills as one comma-separated string (full-width commas
too), and service-hour totals as strings. Teams are the "1+X+N" teams around
the civil-affairs platform's directors (``leader_director_id``), with their
professionals (X) given by name only, since the platform has no record of them.
The mess (in ``manifest.json``): a lower-case x, a wrong check character,
missing background checks, a record of hours by a volunteer the platform no
longer lists, negative and absurd hours, and ties in ``update_time``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from connectors.standins.generate.common import (
    WINDOW_END,
    WINDOW_START,
    birth_between,
    id_with_x,
    local,
    moment_between,
    near,
    person_name,
    phone,
    resident_id,
    spoil_check,
    villages,
)

Record = dict[str, Any]

_SKILLS = ("课业辅导", "心理疏导", "安全教育", "法律咨询", "文体活动", "陪伴关爱", "医疗护理")
_SERVICE_TYPES = (
    ("暑期防溺水安全教育", "安全教育"),
    ("周末课业辅导", "课业辅导"),
    ("留守儿童亲情陪伴", "陪伴关爱"),
    ("困境儿童心理疏导", "心理疏导"),
    ("“法治进校园”宣讲", "法律咨询"),
    ("六一儿童节关爱活动", "文体活动"),
)
_PROFESSIONALS = (
    ("社会工作者", "中级社会工作师"),
    ("心理咨询师", "三级心理咨询师"),
    ("律师", "执业律师"),
)


@dataclass
class Volunteers:
    volunteers: list[Record] = field(default_factory=list)
    teams: list[Record] = field(default_factory=list)
    service_hours: list[Record] = field(default_factory=list)
    manifest: dict[str, list[str]] = field(default_factory=dict)

    def mark(self, fault: str, record_id: str) -> None:
        self.manifest.setdefault(fault, []).append(record_id)


def _updated(rng: random.Random, after: datetime, previous: list[Record]) -> str:
    if previous and rng.random() < 0.1:
        return str(rng.choice(previous)["update_time"])
    return local(moment_between(rng, after, WINDOW_END))


def _volunteers(out: Volunteers, rng: random.Random) -> None:
    places = villages()
    for number in range(1, 81):
        village = rng.choice(places)
        gender = "女" if rng.random() < 0.6 else "男"
        birth = birth_between(rng, 1958, 2006)
        lat, lng = near(rng, village.lat, village.lng, 1500)
        skills = rng.sample(_SKILLS, k=rng.randint(1, 3))
        registered = WINDOW_START - timedelta(
            days=rng.randrange(30, 1400), seconds=rng.randrange(36_000)
        )
        out.volunteers.append(
            {
                "volunteer_id": f"VOL{370481_0000 + number * 37:010d}",
                "name": person_name(rng, gender, birth.year),
                "gender": gender,
                "id_number": resident_id(rng, birth, gender),
                "phone": phone(rng),
                "skills": ("，" if rng.random() < 0.2 else ",").join(skills),
                "background_check": rng.choice(("已通过", "已通过", "已通过", "待审核")),
                "registered_at": local(registered),
                "service_hours_total": f"{rng.randrange(0, 400) / 2:.1f}",
                "region_code": village.code,
                "region_name": f"{village.town_name}{village.short_name}",
                "lat": lat,
                "lng": lng,
                "update_time": _updated(rng, WINDOW_START, out.volunteers),
            }
        )
    spoiled = out.volunteers
    spoiled[4]["id_number"] = id_with_x(rng, birth_between(rng, 1980, 1990), spoiled[4]["gender"])
    out.mark("volunteer_id_number_lower_x", spoiled[4]["volunteer_id"])
    spoiled[9]["id_number"] = spoil_check(spoiled[9]["id_number"])
    out.mark("volunteer_id_number_bad_check", spoiled[9]["volunteer_id"])
    for record in spoiled[15:18]:
        record["background_check"] = None
        record["lat"] = record["lng"] = None
        out.mark("volunteer_nulls", record["volunteer_id"])


def _teams(out: Volunteers, rng: random.Random, directors: list[Record]) -> None:
    serving = [d for d in directors if d["status"] == "在岗"]
    short_names = {v.code: v.short_name for v in villages()}
    pool = list(out.volunteers)
    for number, director in enumerate(serving[:16], 1):
        kind, qualification = rng.choice(_PROFESSIONALS)
        members: list[Record] = [
            {"volunteer_id": v["volunteer_id"], "role": "志愿者"}
            for v in rng.sample(pool, k=rng.randint(3, 7))
        ]
        pro_birth = birth_between(rng, 1975, 1995)
        pro_gender = rng.choice(("男", "女"))
        members.insert(
            0,
            {
                "volunteer_id": None,
                "name": person_name(rng, pro_gender, pro_birth.year),
                "role": kind,
                "qualification": qualification,
            },
        )
        formed = date(2024, 3, 1) + timedelta(days=rng.randrange(500))
        out.teams.append(
            {
                "team_id": f"TEAM-{number:04d}",
                "team_name": f"{short_names[director['village_code']]}“1+X+N”关爱服务队",
                "leader_director_id": director["director_id"],
                "leader_name": director["name"],
                "members": members,
                "village_code": director["village_code"],
                "formed_date": formed.isoformat(),
                "status": "正常",
                "update_time": _updated(rng, WINDOW_START, out.teams),
            }
        )
    out.teams[5]["status"] = "已解散"
    out.mark("team_dissolved", out.teams[5]["team_id"])


def _service_hours(out: Volunteers, rng: random.Random) -> None:
    for number in range(1, 241):
        team = rng.choice(out.teams)
        member = rng.choice([m for m in team["members"] if m["volunteer_id"]])
        activity, kind = rng.choice(_SERVICE_TYPES)
        started = moment_between(rng, WINDOW_START, WINDOW_END - timedelta(days=1))
        hours = rng.choice((1.0, 1.5, 2.0, 2.0, 3.0, 4.0))
        ended = started + timedelta(hours=hours)
        out.service_hours.append(
            {
                "record_id": f"SH{number:06d}",
                "volunteer_id": member["volunteer_id"],
                "team_id": team["team_id"],
                "activity_name": activity,
                "service_type": kind,
                "start_time": local(started),
                "end_time": local(ended),
                "hours": hours,
                "beneficiary_children": rng.randint(1, 30),
                "village_code": team["village_code"],
                "verified": rng.random() < 0.85,
                "update_time": local(min(WINDOW_END, ended + timedelta(hours=rng.randint(1, 72)))),
            }
        )
    records = out.service_hours
    records[17]["volunteer_id"] = "VOL0000000001"
    out.mark("hours_of_unknown_volunteer", records[17]["record_id"])
    records[42]["hours"] = -2.0
    out.mark("hours_negative", records[42]["record_id"])
    records[77]["hours"] = 26.0
    out.mark("hours_absurd", records[77]["record_id"])
    records[99]["end_time"] = None
    out.mark("hours_no_end_time", records[99]["record_id"])


def generate(directors: list[Record]) -> Volunteers:
    """The platform's three listings, deterministic; teams are led by ``directors``."""
    rng = random.Random("weibao-samples:volunteers")  # noqa: S311 - reproducible, not secret
    out = Volunteers()
    _volunteers(out, rng)
    _teams(out, rng, directors)
    _service_hours(out, rng)
    return out
