"""Children in care, their guardians, screenings (排查) and mandatory reports (强制报告).

Categories, guardians' whereabouts and screening signals are drawn together so
they agree: an orphan's parents are deceased, a left-behind child's parents
are away, a de facto unsupported child's parents are missing, imprisoned or
dead. Connectors and screening rules are tested against this data, so an
inconsistent family would hide bugs rather than reveal them.
"""

from __future__ import annotations

import random
from datetime import date

from hub.demo.alloc import apportion
from hub.demo.clock import (
    LAST_EVENT_DAY,
    NOW_MS,
    WINDOW_START,
    add_days,
    day_between,
    day_ms,
    iso,
    period_props,
)
from hub.demo.context import ChildRec, County, DirectorRec, VillageRec
from hub.demo.geo import near, rounded
from hub.demo.names import surname
from hub.demo.people import birth_between, make_person
from hub.demo.rows import Props

LEFT_BEHIND = "留守儿童"
IN_DISTRESS = "困境儿童"
UNSUPPORTED = "事实无人抚养儿童"
ORPHAN = "孤儿"
SUSPECTED = "疑似困境儿童"
CATEGORIES = (LEFT_BEHIND, IN_DISTRESS, UNSUPPORTED, ORPHAN, SUSPECTED)

SIGNALS = (
    "parent-deceased",
    "parent-missing",
    "parent-imprisoned",
    "parent-disabled",
    "school-dropout",
    "serious-illness",
    "low-income",
    "both-parents-away",
)
_SIGNAL_REASONS = {
    "parent-deceased": "父母一方或双方死亡",
    "parent-missing": "父母一方或双方失联",
    "parent-imprisoned": "父母一方或双方服刑在押",
    "parent-disabled": "父母一方或双方重残重病",
    "school-dropout": "义务教育阶段辍学",
    "serious-illness": "儿童本人患重病",
    "low-income": "家庭为低保或低收入家庭",
    "both-parents-away": "父母双方外出务工",
}
_WHEREABOUTS_SIGNAL = {
    "deceased": "parent-deceased",
    "missing": "parent-missing",
    "imprisoned": "parent-imprisoned",
}
_SAME_SURNAME = {"父亲", "祖父", "伯父", "叔叔", "姑姑"}
_MALE_RELATIONS = {"父亲", "祖父", "外祖父", "伯父", "叔叔", "舅舅"}
_ILLNESSES = (
    "先天性心脏病，需定期复查",
    "白血病，化疗后康复期",
    "癫痫，规律服药",
    "肾病综合征，长期治疗",
    "重度哮喘",
)
_DISABILITIES = ("肢体残疾三级", "智力残疾二级", "听力残疾二级", "视力残疾三级", "孤独症谱系障碍")
_SITUATIONS = (
    "疑似遭受家庭暴力",
    "监护缺失",
    "疑似遭受性侵害",
    "严重营养不良",
    "辍学流浪",
    "疑似遭受校园欺凌",
)
_REPORTERS = ("儿童主任", "儿童主任", "教师", "医生", "村（居）委会")


def build_children(county: County) -> None:
    """Children per village by weight; each LIVES_IN its village, PAIRED_WITH a director there."""
    rng = county.rng("children")
    b = county.builder
    counts = apportion(county.targets.children, [v.weight for v in county.villages], minimum=1)
    directors = {d.id: d for d in county.directors}
    n = 0
    guardian_n = 0
    for village, count in zip(county.villages, counts, strict=True):
        for k in range(count):
            n += 1
            director = directors[village.director_ids[k % len(village.director_ids)]]
            child, family = _child(county, rng, f"child-{county.code}-{n:05d}", village, director)
            county.children.append(child)
            director.child_ids.append(child.id)
            b.rel(("Child", "LIVES_IN", "Village"), child.id, village.id)
            b.rel(
                ("Director", "PAIRED_WITH", "Child"),
                director.id,
                child.id,
                {"sinceDate": iso(max(child.enrolled, director.appointed))},
            )
            for relation, whereabouts, person_birth, family_name in family:
                guardian_n += 1
                _guardian(
                    county,
                    rng,
                    f"guardian-{county.code}-{guardian_n:05d}",
                    child,
                    relation,
                    whereabouts,
                    person_birth,
                    family_name,
                )
    _screenings(county)
    _reports(county)


_Family = list[tuple[str, str, date, str]]


def _child(
    county: County, rng: random.Random, child_id: str, village: VillageRec, director: DirectorRec
) -> tuple[ChildRec, _Family]:
    community = village.division.kind == "社区"
    weights = (20 if community else 42, 30 if community else 26, 13, 7, 12)
    primary = rng.choices(CATEGORIES, weights=weights)[0]
    categories = [primary]
    if primary == IN_DISTRESS and rng.random() < 0.1:
        categories.append(LEFT_BEHIND)
    elif primary == LEFT_BEHIND and rng.random() < 0.08:
        categories.append(IN_DISTRESS)
    gender = "male" if rng.random() < 0.52 else "female"
    birth = birth_between(rng, 17, 1)
    age = LAST_EVENT_DAY.year - birth.year
    family_name = surname(rng)
    family = _family(rng, primary, birth, family_name)
    person = make_person(county, rng, gender=gender, birth=birth, family_name=family_name)
    risk = _risk(rng, primary)
    enrolled = _enrolment(rng, primary, birth)
    home = rounded(near(rng, village.point, 350, county.frame))
    found_by = "screening" if primary == SUSPECTED or rng.random() < 0.25 else "application"
    props: Props = {
        "name": person.name,
        "gender": gender,
        "birthDate": iso(birth),
        "idNumber": person.id_number,
        "categories": categories,
        "primaryCategory": primary,
        "address": f"{county.address_prefix}{village.town.name}{village.short_name}"
        f"{rng.randint(1, 199)}号",
        "homeLat": home.lat,
        "homeLng": home.lng,
        "schoolStatus": _school(rng, age),
        "riskLevel": risk,
        "foundBy": found_by,
        "enrolledDate": iso(enrolled),
        "status": "pending_verification" if primary == SUSPECTED else "active",
        "villageCode": village.division.code,
    }
    if IN_DISTRESS in categories and rng.random() < 0.3:
        props["healthNotes"] = rng.choice(_ILLNESSES)
    if IN_DISTRESS in categories and rng.random() < 0.25:
        props["disability"] = rng.choice(_DISABILITIES)
    county.builder.node("Child", child_id, props)
    monthly = primary in (UNSUPPORTED, ORPHAN, SUSPECTED) or risk == "high"
    child = ChildRec(
        id=child_id,
        village=village,
        director=director,
        home=home,
        categories=categories,
        primary=primary,
        risk=risk,
        enrolled=enrolled,
        monthly=monthly,
        found_by=found_by,
        signals=_signals(rng, props, family),
    )
    return child, family


def _enrolment(rng: random.Random, primary: str, birth: date) -> date:
    """Most children were enrolled before the window; suspected ones are recent finds."""
    earliest = max(date(2018, 1, 1), add_days(birth, 30))
    if primary == SUSPECTED:
        return day_between(rng, max(WINDOW_START, earliest), add_days(LAST_EVENT_DAY, -20))
    if earliest >= WINDOW_START or rng.random() < 0.15:
        return day_between(rng, max(WINDOW_START, earliest), date(2026, 9, 30))
    return day_between(rng, earliest, add_days(WINDOW_START, -1))


def _risk(rng: random.Random, primary: str) -> str:
    weights = {
        UNSUPPORTED: (10, 50, 40),
        ORPHAN: (20, 50, 30),
        IN_DISTRESS: (40, 40, 20),
        SUSPECTED: (30, 55, 15),
        LEFT_BEHIND: (75, 22, 3),
    }[primary]
    return rng.choices(("low", "medium", "high"), weights=weights)[0]


def _school(rng: random.Random, age: int) -> str:
    if age < 3:
        return "未入学"
    if age < 6:
        return "学前"
    if age < 12:
        return "小学"
    if age < 15:
        return "初中" if rng.random() < 0.97 else "辍学"
    return rng.choices(("高中", "中职", "辍学", "务工"), weights=(60, 30, 6, 4))[0]


def _family(rng: random.Random, primary: str, child_birth: date, family_name: str) -> _Family:
    """1–2 guardians as (relation, whereabouts, birth date, family name)."""

    def parent(relation: str, whereabouts: str) -> tuple[str, str, date, str]:
        years = rng.randint(22, 40)
        birth = date(child_birth.year - years, rng.randint(1, 12), rng.randint(1, 28))
        return relation, whereabouts, birth, family_name

    def elder(relation: str) -> tuple[str, str, date, str]:
        years = rng.randint(45, 62)
        birth = date(child_birth.year - years, rng.randint(1, 12), rng.randint(1, 28))
        return relation, "home", birth, family_name

    if primary == ORPHAN:
        keeper = rng.choice(("祖父", "祖母", "外祖父", "外祖母", "伯父", "叔叔", "姑姑", "舅舅"))
        family = [elder(keeper)]
        if keeper in ("祖父", "外祖父") and rng.random() < 0.5:
            family.append(elder("祖母" if keeper == "祖父" else "外祖母"))
        return family
    if primary == UNSUPPORTED:
        states = ("imprisoned", "missing", "deceased")
        father = rng.choice(states)
        if rng.random() < 0.5:
            mother = rng.choice(("missing", "imprisoned") if father == "deceased" else states)
            return [parent("父亲", father), parent("母亲", mother)]
        return [parent(rng.choice(("父亲", "母亲")), father), elder(rng.choice(("祖父", "祖母")))]
    if primary == LEFT_BEHIND:
        if rng.random() < 0.6:
            return [parent("父亲", "away"), parent("母亲", "away")]
        return [parent(rng.choice(("父亲", "母亲")), "away"), elder(rng.choice(("祖母", "祖父")))]
    if primary == IN_DISTRESS:
        u = rng.random()
        if u < 0.5:
            return [parent("父亲", "home"), parent("母亲", "home")]
        if u < 0.7:
            return [parent("父亲", "deceased"), parent("母亲", "home")]
        return [parent(rng.choice(("父亲", "母亲")), "home")]
    # Suspected: something is off, to be verified.
    u = rng.random()
    if u < 0.4:
        return [parent("父亲", rng.choice(("away", "missing"))), parent("母亲", "home")]
    if u < 0.7:
        return [parent("母亲", rng.choice(("missing", "away"))), parent("父亲", "home")]
    return [parent(rng.choice(("父亲", "母亲")), "home")]


def _signals(rng: random.Random, child: Props, family: _Family) -> list[str]:
    """What other systems would have flagged about this child, consistent with the family."""
    primary = child["primaryCategory"]
    signals = {_WHEREABOUTS_SIGNAL[w] for _, w, _, _ in family if w in _WHEREABOUTS_SIGNAL}
    if primary == ORPHAN:
        signals.add("parent-deceased")
    parents_away = [w for rel, w, _, _ in family if rel in ("父亲", "母亲") and w == "away"]
    if len(parents_away) == 2 or (parents_away and primary == LEFT_BEHIND):
        signals.add("both-parents-away")
    if child["schoolStatus"] == "辍学":
        signals.add("school-dropout")
    if "healthNotes" in child or "disability" in child:
        signals.add("serious-illness")
    if primary == IN_DISTRESS and rng.random() < 0.15:
        signals.add("parent-disabled")
    if primary in (IN_DISTRESS, UNSUPPORTED) and rng.random() < 0.6:
        signals.add("low-income")
    if not signals:
        signals.add(rng.choice(("low-income", "parent-disabled", "school-dropout")))
    return [s for s in SIGNALS if s in signals]


def _guardian(
    county: County,
    rng: random.Random,
    guardian_id: str,
    child: ChildRec,
    relation: str,
    whereabouts: str,
    birth: date,
    family_name: str,
) -> None:
    name_of_family = family_name if relation in _SAME_SURNAME else None
    gender = "male" if relation in _MALE_RELATIONS else "female"
    person = make_person(county, rng, gender=gender, birth=birth, family_name=name_of_family)
    props: Props = {
        "name": person.name,
        "relation": relation,
        "idNumber": person.id_number,
        "whereabouts": whereabouts,
        "villageCode": child.village.division.code,
    }
    if whereabouts not in ("deceased", "missing"):
        props["phone"] = person.phone
    county.builder.node("Guardian", guardian_id, props)
    county.builder.rel(
        ("Guardian", "GUARDIAN_OF", "Child"), guardian_id, child.id, {"relation": relation}
    )


def _screenings(county: County) -> None:
    """A Screening for every child found by screening: pending for suspected ones."""
    rng = county.rng("screenings")
    b = county.builder
    n = 0
    for child in county.children:
        if child.found_by != "screening":
            continue
        n += 1
        screened = max(add_days(child.enrolled, -rng.randint(3, 20)), date(2018, 1, 1))
        screened_at = day_ms(screened, rng.randint(9, 16), rng.randint(0, 59))
        screening_id = f"screening-{county.code}-{n:05d}"
        b.node(
            "Screening",
            screening_id,
            {
                "screenedAt": screened_at,
                "signals": child.signals,
                "ruleVersion": "v1",
                "outcome": "pending" if child.primary == SUSPECTED else "confirmed",
                "reasons": [_SIGNAL_REASONS[s] for s in child.signals],
                "category": child.primary,
                "dueDate": add_days(screened, 14).isoformat(),
                "villageCode": child.village.division.code,
                **period_props(screened_at),
            },
            recorded_at=screened_at + 60_000,
        )
        b.rel(("Screening", "OF", "Child"), screening_id, child.id)
        # The verification task is the responsible director's.
        b.rel(("Screening", "ASSIGNED_TO", "Director"), screening_id, child.director.id)


def _reports(county: County) -> None:
    """A few dozen mandatory reports about children at risk, most by their director."""
    rng = county.rng("reports")
    b = county.builder
    at_risk = [c for c in county.children if c.risk != "low"] or county.children
    chosen = rng.sample(at_risk, k=min(county.targets.mandatory_reports, len(at_risk)))
    for n, child in enumerate(sorted(chosen, key=lambda c: c.id), start=1):
        reported = day_between(rng, max(WINDOW_START, child.enrolled), LAST_EVENT_DAY)
        reported_at = day_ms(reported, rng.randint(7, 21), rng.randint(0, 59))
        age_days = (LAST_EVENT_DAY - reported).days
        status = (
            "closed"
            if age_days > 30
            else "routed"
            if age_days > 3
            else rng.choice(("received", "verifying"))
        )
        role = rng.choice(_REPORTERS)
        situation = rng.choice(_SITUATIONS)
        props: Props = {
            "reportedAt": reported_at,
            "situation": situation,
            "description": f"{role}在工作中发现该儿童{situation}，已第一时间报告并做好记录。",
            "reporterRole": role,
            "status": status,
            "villageCode": child.village.division.code,
            **period_props(reported_at),
        }
        if status in ("routed", "closed"):
            props["routedAt"] = min(reported_at + rng.randint(2, 48) * 3_600_000, NOW_MS)
        report_id = f"report-{county.code}-{n:04d}"
        b.node("MandatoryReport", report_id, props, recorded_at=reported_at + 300_000)
        b.rel(("MandatoryReport", "ABOUT", "Child"), report_id, child.id)
        if role == "儿童主任":
            b.rel(("MandatoryReport", "REPORTED_BY", "Director"), report_id, child.director.id)
