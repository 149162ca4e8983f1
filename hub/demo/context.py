"""The county under construction: its targets, random streams and generated records.

Each county of the data set is generated on its own from ``(seed, county
code)``, so Tengzhou comes out the same in the city and the province data set,
and a province can be generated one county at a time without holding the
others in memory. Each concern draws from its own named random stream, so a
change in how visits are drawn does not reshuffle, say, the guardians.

The records here are what later generators need to know about earlier ones
(a visit needs its child's home and director); the graph rows themselves go
straight into the :class:`~hub.demo.rows.PartBuilder`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from hub.demo.divisions import (
    AREA_CODES,
    CITY_NAMES,
    CountyDivision,
    TownDivision,
    VillageDivision,
)
from hub.demo.geo import Frame, Point, county_frame
from hub.demo.ids import Phones, ResidentIds
from hub.demo.rows import PartBuilder

#: Tengzhou's village count: the figures below are Tengzhou's, scaled by villages elsewhere.
REFERENCE_VILLAGES = 1180


def seeded(key: str) -> random.Random:
    """A pseudo-random stream fixed by ``key`` (a string seed hashes the same in every process).

    Reproducible synthetic data is the point here; nothing drawn is a secret.
    """
    return random.Random(key)  # noqa: S311


@dataclass(frozen=True)
class Targets:
    """How much of everything a county gets; Tengzhou's are the program's real figures."""

    directors: int
    children: int
    service_person_times: int
    extra_facilities: int
    county_trainings: int
    mandatory_reports: int
    commissioners: int
    organizations: int
    projects: int
    feedback: int
    impossible_travel: int

    @classmethod
    def for_county(cls, county: CountyDivision, care_density: float = 1.0) -> Targets:
        """Tengzhou's figures scaled by the county's villages.

        ``care_density`` further scales what grows with the children in care
        (children, hence guardians, visits, screenings; services; reports): the
        province data set uses less than 1 outside Tengzhou to stay loadable.
        """
        villages = county.village_count
        f = villages / REFERENCE_VILLAGES

        def scaled(value: int, minimum: int = 1) -> int:
            return max(minimum, round(value * f))

        def in_care(value: int, minimum: int = 1) -> int:
            return max(minimum, round(value * f * care_density))

        return cls(
            directors=max(villages, round(1330 * f)),
            children=in_care(8000, villages),
            service_person_times=in_care(22000),
            extra_facilities=min(villages, round(15 * f)),
            # 16 city-wide sessions plus two per town: 58 in Tengzhou's 21 towns.
            county_trainings=16,
            mandatory_reports=in_care(36),
            commissioners=scaled(10, 2),
            organizations=scaled(8, 2),
            projects=scaled(6, 1),
            feedback=scaled(120, 3),
            impossible_travel=in_care(8),
        )


@dataclass(frozen=True)
class Person:
    """A synthetic person: what every people label shares."""

    name: str
    gender: str  # "male" | "female"
    birth: date
    id_number: str
    phone: str


@dataclass
class VillageRec:
    division: VillageDivision
    town: TownDivision
    id: str
    point: Point
    weight: float
    grid_ids: list[str] = field(default_factory=list)
    director_ids: list[str] = field(default_factory=list)
    facility_ids: list[str] = field(default_factory=list)
    short_name: str = ""


@dataclass
class TownRec:
    division: TownDivision
    id: str
    centre: Point
    villages: list[VillageRec] = field(default_factory=list)
    station_id: str = ""
    station_lacks: str = ""  # the four-haves flag the station misses, if any
    supervisor_id: str = ""
    supervisor_name: str = ""
    director_ids: list[str] = field(default_factory=list)
    project_ids: list[str] = field(default_factory=list)


@dataclass
class DirectorRec:
    id: str
    person: Person
    village: VillageRec
    diligence: float  # share of due visits actually made
    skill: float  # mean exam score
    qualification: str | None
    appointed: date
    team_id: str = ""
    social_worker_ids: list[str] = field(default_factory=list)
    volunteer_ids: list[str] = field(default_factory=list)
    child_ids: list[str] = field(default_factory=list)


@dataclass
class ChildRec:
    id: str
    village: VillageRec
    director: DirectorRec
    home: Point
    categories: list[str]
    primary: str
    risk: str
    enrolled: date
    monthly: bool  # visited monthly (else quarterly)
    found_by: str
    signals: list[str]


@dataclass
class VisitRec:
    """A visit while it is drawn; dubious-visit generation still edits it."""

    id: str
    child: ChildRec
    director: DirectorRec
    day: date
    started_at: int
    ended_at: int
    point: Point | None
    accuracy: int
    photos: list[str]
    mode: str


@dataclass
class ExamResultRec:
    director_id: str
    day: date
    score: float


@dataclass
class County:
    """Everything the generators share while building one county's part."""

    seed: int
    division: CountyDivision
    targets: Targets
    frame: Frame
    builder: PartBuilder
    resident_ids: ResidentIds
    phones: Phones
    id: str
    towns: list[TownRec] = field(default_factory=list)
    villages: list[VillageRec] = field(default_factory=list)
    directors: list[DirectorRec] = field(default_factory=list)
    children: list[ChildRec] = field(default_factory=list)
    visits: list[VisitRec] = field(default_factory=list)
    exam_results: list[ExamResultRec] = field(default_factory=list)
    center_id: str = ""
    social_org_ids: list[str] = field(default_factory=list)
    law_firm_ids: list[str] = field(default_factory=list)
    counselling_org_ids: list[str] = field(default_factory=list)
    commissioner_names: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def start(cls, seed: int, division: CountyDivision, care_density: float = 1.0) -> County:
        code = division.code
        return cls(
            seed=seed,
            division=division,
            targets=Targets.for_county(division, care_density),
            frame=county_frame(code),
            builder=PartBuilder(code),
            resident_ids=ResidentIds(code, seeded(f"{seed}:{code}:resident-ids")),
            phones=Phones(seeded(f"{seed}:{code}:phones")),
            id=f"county-{code}",
        )

    def rng(self, concern: str) -> random.Random:
        """An independent random stream for one concern of this county."""
        return seeded(f"{self.seed}:{self.division.code}:{concern}")

    @property
    def code(self) -> str:
        return self.division.code

    @property
    def area_code(self) -> str:
        return AREA_CODES.get(self.division.city_code, "0632")

    @property
    def address_prefix(self) -> str:
        """山东省枣庄市滕州市: the start of every address in the county."""
        city = CITY_NAMES.get(self.division.city_code, "")
        return f"山东省{city}{self.division.name}"
