"""Samples of the 智慧民政 Smart Civil Affairs platform: directors, children, visits.

English snake_case fields, Chinese values, ``updated_at`` in ISO 8601 with
+08:00. The mess of a real platform, on purpose (listed in ``manifest.json``
so tests can count on it): ID numbers with a lower-case x, 15-digit
first-generation numbers of older guardians and directors, a few wrong check
characters, a birth date that disagrees with the ID number, null fields, phone
visits without GPS, a GPS fix at (0, 0), a photo hash reused across visits, a
device clock hours off, a visit of a child the registry does not list, and
records updated in the same second (ties broken by id).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from connectors.standins.generate.common import (
    WINDOW_END,
    WINDOW_START,
    Village,
    birth_between,
    id_with_x,
    iso,
    local,
    moment_between,
    near,
    old_resident_id,
    person_name,
    phone,
    photo_hash,
    resident_id,
    spoil_check,
    villages,
)

Record = dict[str, Any]

_CATEGORIES = ("留守儿童", "困境儿童", "事实无人抚养儿童", "孤儿", "疑似困境儿童")
_CATEGORY_WEIGHTS = (45, 25, 10, 5, 15)
_FINDINGS = {
    "留守儿童": ("祖辈照料尚可，学习生活正常", "与外出父母每周视频联系，情绪稳定"),
    "困境儿童": ("家庭经济困难，已协助申请临时救助", "孩子按时复诊，身体状况稳定"),
    "事实无人抚养儿童": ("基本生活补贴按月发放到位", "孩子情绪低落，已转介心理疏导"),
    "孤儿": ("孤儿基本生活费发放到位", "亲属照料良好，孩子性格开朗"),
    "疑似困境儿童": ("核实家庭情况，监护人外出务工", "家庭经济状况待进一步核实"),
}
_RISKS = ("监护人照料不到位", "情绪异常", "疑似营养不良", "居住环境存在安全隐患", "长期缺课")
_MODES = ("入户走访", "入户走访", "入户走访", "电话回访", "学校走访")
_EDUCATION = ("高中", "中专", "大专", "大专", "本科", None)


@dataclass
class CivilAffairs:
    """The three endpoints' records and the deliberate faults, by record id."""

    directors: list[Record] = field(default_factory=list)
    children: list[Record] = field(default_factory=list)
    visits: list[Record] = field(default_factory=list)
    manifest: dict[str, list[str]] = field(default_factory=dict)

    def mark(self, fault: str, record_id: str) -> None:
        self.manifest.setdefault(fault, []).append(record_id)


def _updated(rng: random.Random, after: datetime, previous: list[Record]) -> str:
    # One record in ten is saved in the same second as another (a batch edit):
    # ordering must break ties by id, and an inclusive bound must not lose them.
    if previous and rng.random() < 0.1:
        return str(rng.choice(previous)["updated_at"])
    return iso(moment_between(rng, after, WINDOW_END))


def _directors(out: CivilAffairs, rng: random.Random, places: list[Village]) -> None:
    number = 0
    for village in places:
        for _ in range(2 if village.code.endswith(("001", "200")) else 1):
            number += 1
            gender = "女" if rng.random() < 0.7 else "男"
            birth = birth_between(rng, 1966, 1996)
            director_id = f"SCAS-D{number:04d}"
            appointed = date(2019, 6, 1) + timedelta(days=rng.randrange(1500))
            record: Record = {
                "director_id": director_id,
                "name": person_name(rng, gender, birth.year),
                "gender": gender,
                "birth_date": birth.isoformat(),
                "id_number": resident_id(rng, birth, gender),
                "phone": phone(rng),
                "education": rng.choice(_EDUCATION),
                "social_work_qualification": rng.choice(
                    (None, None, None, "助理社会工作师", "社会工作师")
                ),
                "town_code": village.town_code,
                "town_name": village.town_name,
                "village_code": village.code,
                "village_name": village.name,
                "grid_code": f"{village.code}-G{rng.randint(1, 3):02d}",
                "appointed_date": appointed.isoformat(),
                "status": "在岗" if rng.random() < 0.92 else "离任",
                "created_at": iso(WINDOW_START - timedelta(days=rng.randrange(200, 600))),
                "updated_at": _updated(rng, WINDOW_START, out.directors),
            }
            out.directors.append(record)
    # The mess: an old 15-digit number, a lower-case x, a landline, missing fields.
    old = out.directors[3]
    old["id_number"] = old_resident_id(rng, date.fromisoformat(old["birth_date"]), old["gender"])
    out.mark("director_id_number_15_digits", old["director_id"])
    with_x = out.directors[6]
    with_x["id_number"] = id_with_x(rng, date.fromisoformat(with_x["birth_date"]), with_x["gender"])
    out.mark("director_id_number_lower_x", with_x["director_id"])
    out.directors[8]["phone"] = "0632-5512" + f"{rng.randrange(1000):03d}"
    out.mark("director_landline_phone", out.directors[8]["director_id"])
    for record in out.directors[10:12]:
        record["grid_code"] = None
        record["education"] = None
        out.mark("director_nulls", record["director_id"])


def _guardian(rng: random.Random, child: Record, category: str, surname: str) -> list[Record]:
    birth = date.fromisoformat(child["birth_date"])
    away = {
        "留守儿童": "外出务工",
        "事实无人抚养儿童": rng.choice(("服刑", "失联")),
        "孤儿": "死亡",
    }.get(category, "在家")
    elder_gender = "女" if rng.random() < 0.6 else "男"
    elder_birth = birth_between(rng, 1950, 1968)
    elder = {
        "name": person_name(
            rng, elder_gender, elder_birth.year, surname if elder_gender == "男" else ""
        ),
        "relation": ("祖母" if elder_gender == "女" else "祖父"),
        "phone": phone(rng) if rng.random() < 0.8 else None,
        "id_number": resident_id(rng, elder_birth, elder_gender),
        "whereabouts": "在家",
    }
    parent_birth = birth_between(rng, max(1975, birth.year - 38), birth.year - 20)
    parent = {
        "name": person_name(rng, "男", parent_birth.year, surname),
        "relation": "父亲",
        "phone": phone(rng) if away != "死亡" else None,
        "id_number": resident_id(rng, parent_birth, "男"),
        "whereabouts": away,
    }
    return [elder, parent] if away != "在家" else [parent, elder]


def _children(out: CivilAffairs, rng: random.Random, places: list[Village]) -> None:
    by_village: dict[str, list[Record]] = {}
    for director in out.directors:
        if director["status"] == "在岗":
            by_village.setdefault(director["village_code"], []).append(director)
    number = 0
    for village in places:
        directors = by_village.get(village.code) or out.directors[:1]
        for _ in range(rng.randint(4, 10)):
            number += 1
            gender = rng.choice(("男", "女"))
            birth = birth_between(rng, 2009, 2022)
            surname = person_name(rng, "男", 1980)[0]
            category = rng.choices(_CATEGORIES, weights=_CATEGORY_WEIGHTS)[0]
            categories = [category]
            if category == "困境儿童" and rng.random() < 0.3:
                categories.append("留守儿童")
            home = near(rng, village.lat, village.lng, 600)
            age = 2026 - birth.year
            record: Record = {
                "child_id": f"SCAS-C{number:05d}",
                "name": person_name(rng, gender, birth.year, surname),
                "gender": gender,
                "birth_date": birth.isoformat(),
                "id_number": resident_id(rng, birth, gender),
                "categories": categories,
                "primary_category": category,
                "household_address": f"山东省滕州市{village.town_name}{village.short_name}"
                f"{rng.randint(1, 120)}号",
                "home_location": {"lat": home[0], "lng": home[1]},
                "town_code": village.town_code,
                "village_code": village.code,
                "village_name": village.name,
                "director_id": rng.choice(directors)["director_id"],
                "guardians": [],
                "school_status": "学龄前" if age < 6 else "在校",
                "health": "健康",
                "disability": None,
                "risk_level": rng.choices(("低", "中", "高"), weights=(60, 30, 10))[0],
                "enrolled_date": (
                    WINDOW_START.date() - timedelta(days=rng.randrange(30, 900))
                ).isoformat(),
                "status": "在册" if rng.random() < 0.95 else "已退出",
                "updated_at": _updated(rng, WINDOW_START, out.children),
            }
            record["guardians"] = _guardian(rng, record, category, surname)
            if category == "困境儿童" and rng.random() < 0.4:
                record["health"] = rng.choice(("先天性心脏病，需定期复查", "癫痫，规律服药"))
            if category == "困境儿童" and rng.random() < 0.2:
                record["disability"] = rng.choice(("肢体残疾三级", "听力残疾二级"))
            out.children.append(record)
    _spoil_children(out, rng)


def _spoil_children(out: CivilAffairs, rng: random.Random) -> None:
    children = out.children
    for record in children[5:9]:
        birth = date.fromisoformat(record["birth_date"])
        record["id_number"] = id_with_x(rng, birth, record["gender"])
        out.mark("child_id_number_lower_x", record["child_id"])
    for record in (children[12], children[40]):
        record["id_number"] = spoil_check(record["id_number"])
        out.mark("child_id_number_bad_check", record["child_id"])
    mismatch = children[21]
    mismatch["birth_date"] = (
        date.fromisoformat(mismatch["birth_date"]) + timedelta(days=31)
    ).isoformat()
    out.mark("child_birth_date_disagrees_with_id", mismatch["child_id"])
    for record in children[30:33]:
        record["home_location"] = None
        out.mark("child_no_home_location", record["child_id"])
    for record in children[50:52]:
        old = record["guardians"][-1]
        elder_birth = birth_between(rng, 1950, 1960)
        old["id_number"] = old_resident_id(rng, elder_birth, "女")
        old["phone"] = None
        out.mark("guardian_id_number_15_digits", record["child_id"])
    blank = children[60]
    blank["school_status"] = None
    blank["guardians"] = []
    blank["household_address"] = ""
    out.mark("child_nulls", blank["child_id"])


def _visits(out: CivilAffairs, rng: random.Random, places: list[Village]) -> None:
    directors = {d["director_id"]: d for d in out.directors}
    number = 0
    for child in out.children:
        for _ in range(rng.randint(1, 4)):
            number += 1
            mode = rng.choice(_MODES)
            started = moment_between(rng, WINDOW_START, WINDOW_END - timedelta(days=2))
            ended = started + timedelta(minutes=rng.randint(8, 75))
            home = child["home_location"] or {"lat": 35.085, "lng": 117.155}
            gps = None
            photos: list[Record] = []
            if mode != "电话回访":
                lat, lng = near(rng, home["lat"], home["lng"], 60)
                gps = {"lat": lat, "lng": lng, "accuracy_m": round(rng.uniform(4, 35), 1)}
                photos = [
                    {"photo_id": f"P{number:05d}-{i}", "sha256": photo_hash(rng)}
                    for i in range(1, rng.randint(1, 3) + 1)
                ]
            category = child["primary_category"]
            risks = (
                [rng.choice(_RISKS)] if child["risk_level"] == "高" and rng.random() < 0.5 else []
            )
            updated_floor = ended + timedelta(minutes=rng.randint(1, 40))
            out.visits.append(
                {
                    "visit_id": f"SCAS-V{number:06d}",
                    "child_id": child["child_id"],
                    "director_id": child["director_id"],
                    "village_code": child["village_code"],
                    "mode": mode,
                    "started_at": iso(started),
                    "ended_at": iso(ended),
                    "device_time": local(started + timedelta(seconds=rng.randint(-90, 90))),
                    "gps": gps,
                    "photos": photos,
                    "findings": rng.choice(_FINDINGS[category]),
                    "risk_observations": risks,
                    "reporter_name": directors[child["director_id"]]["name"],
                    # One visit in five is edited days later (a photo added, findings amended).
                    "updated_at": iso(
                        min(
                            WINDOW_END,
                            updated_floor + timedelta(days=rng.randrange(0, 20))
                            if rng.random() < 0.2
                            else updated_floor,
                        )
                    ),
                }
            )
    _spoil_visits(out, rng)


def _spoil_visits(out: CivilAffairs, rng: random.Random) -> None:
    with_gps = [v for v in out.visits if v["gps"]]
    poor = with_gps[7]
    poor["gps"]["accuracy_m"] = 850.0
    out.mark("visit_gps_poor_accuracy", poor["visit_id"])
    zero = with_gps[33]
    zero["gps"] = {"lat": 0.0, "lng": 0.0, "accuracy_m": None}
    out.mark("visit_gps_zero", zero["visit_id"])
    donor, taker = with_gps[50], with_gps[90]
    taker["photos"][0]["sha256"] = donor["photos"][0]["sha256"]
    out.mark("visit_photo_reused", taker["visit_id"])
    skewed = with_gps[120]
    skewed["device_time"] = local(datetime.fromisoformat(skewed["started_at"]) - timedelta(hours=8))
    out.mark("visit_device_clock_off", skewed["visit_id"])
    stray = out.visits[200]
    stray["child_id"] = "SCAS-C99999"
    out.mark("visit_of_unknown_child", stray["visit_id"])
    messy = out.visits[240]
    messy["findings"] = "  " + messy["findings"] + "。\r\n"
    messy["risk_observations"] = None
    out.mark("visit_messy_text", messy["visit_id"])


def generate() -> CivilAffairs:
    """The platform's three listings, deterministic."""
    rng = random.Random("weibao-samples:civil_affairs")  # noqa: S311 - reproducible, not secret
    places = villages()
    out = CivilAffairs()
    _directors(out, rng, places)
    _children(out, rng, places)
    _visits(out, rng, places)
    return out
