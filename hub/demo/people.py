"""Synthetic people, and the program's staff: directors (儿童主任) and supervisors (督导员).

Every village gets a director and the remaining posts go to the bigger
villages (a few have two), which is how Tengzhou reaches 1,330 directors for
1,180 villages. Each director has a diligence (share of due visits made) and
a skill (mean exam score) that later generators read, so assessments differ
for reasons visible in the data.
"""

from __future__ import annotations

import random
from datetime import date

from hub.demo.alloc import weighted_sample
from hub.demo.clock import TODAY, day_between, iso
from hub.demo.context import County, DirectorRec, Person
from hub.demo.names import person_name
from hub.demo.rows import Props


def birth_between(rng: random.Random, oldest: int, youngest: int) -> date:
    """A birth date for someone aged ``youngest``–``oldest`` on the demo's today."""
    start = date(TODAY.year - oldest - 1, TODAY.month, TODAY.day).toordinal() + 1
    end = date(TODAY.year - youngest, TODAY.month, TODAY.day).toordinal()
    return date.fromordinal(rng.randint(start, end))


def make_person(
    county: County,
    rng: random.Random,
    *,
    gender: str | None = None,
    birth: date | None = None,
    ages: tuple[int, int] = (25, 60),
    family_name: str | None = None,
    female_share: float = 0.5,
) -> Person:
    """A person with a name fitting gender and generation, a valid ID number and a mobile."""
    if gender is None:
        gender = "female" if rng.random() < female_share else "male"
    if birth is None:
        birth = birth_between(rng, ages[1], ages[0])
    return Person(
        name=person_name(rng, gender, birth.year, family_name),
        gender=gender,
        birth=birth,
        id_number=county.resident_ids.issue(birth, gender == "male"),
        phone=county.phones.mobile(),
    )


_EDUCATION = ("高中/中专", "大专", "本科")


def build_directors(county: County) -> None:
    """One director per village, the rest in bigger villages; ASSIGNED_TO village and grids."""
    rng = county.rng("directors")
    b = county.builder
    villages = county.villages
    extra = county.targets.directors - len(villages)
    doubled = {v.id for v in weighted_sample(rng, villages, [v.weight for v in villages], extra)}
    towns = {t.division.code: t for t in county.towns}
    n = 0
    for village in villages:
        posts = 2 if village.id in doubled else 1
        for post in range(posts):
            n += 1
            person = make_person(county, rng, ages=(26, 58), female_share=0.68)
            u = rng.random()
            qualification = "社会工作师" if u < 0.05 else "助理社会工作师" if u < 0.17 else None
            appointed = day_between(rng, date(2019, 3, 1), date(2025, 10, 31))
            director = DirectorRec(
                id=f"director-{county.code}-{n:04d}",
                person=person,
                village=village,
                diligence=min(1.0, 0.55 + 0.45 * rng.betavariate(4.0, 1.3)),
                skill=min(99.0, max(50.0, rng.gauss(82.0, 8.0))),
                qualification=qualification,
                appointed=appointed,
            )
            props: Props = {
                "name": person.name,
                "gender": person.gender,
                "birthDate": iso(person.birth),
                "phone": person.phone,
                "idNumber": person.id_number,
                "education": rng.choices(_EDUCATION, weights=(30, 45, 25))[0],
                "appointedDate": iso(appointed),
                "status": "active" if rng.random() < 0.98 else "on_leave",
                "villageCode": village.division.code,
            }
            if qualification is not None:
                props["socialWorkQualification"] = qualification
            b.node("Director", director.id, props)
            b.rel(
                ("Director", "ASSIGNED_TO", "Village"),
                director.id,
                village.id,
                {"sinceDate": iso(appointed)},
            )
            grids = village.grid_ids
            mine = grids if posts == 1 or len(grids) == 1 else grids[post::posts]
            for grid_id in mine:
                b.rel(
                    ("Director", "ASSIGNED_TO", "Grid"),
                    director.id,
                    grid_id,
                    {"sinceDate": iso(appointed)},
                )
            village.director_ids.append(director.id)
            towns[village.town.code].director_ids.append(director.id)
            county.directors.append(director)


def build_supervisors(county: County) -> None:
    """One supervisor (督导员) per town, SUPERVISES it."""
    rng = county.rng("supervisors")
    b = county.builder
    for town in county.towns:
        person = make_person(county, rng, ages=(32, 56), female_share=0.55)
        town.supervisor_id = f"supervisor-{town.division.code}"
        town.supervisor_name = person.name
        b.node(
            "Supervisor",
            town.supervisor_id,
            {
                "name": person.name,
                "gender": person.gender,
                "phone": person.phone,
                "idNumber": person.id_number,
                "townCode": town.division.code,
                "appointedDate": iso(day_between(rng, date(2019, 6, 1), date(2024, 12, 31))),
            },
        )
        b.rel(("Supervisor", "SUPERVISES", "Town"), town.supervisor_id, town.id)
