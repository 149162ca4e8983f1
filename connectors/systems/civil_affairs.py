"""智慧民政 Smart Civil Affairs platform (REST): directors, children in care, visits.

The platform is the system of record of directors' visits (phone GPS and
photos) and of the children's files; it ranks high in precedence. Records
come page by page by update time (``updated_since``, inclusive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert, source_ref
from connectors.kinds.rest import BearerAuth, PagePagination, RestSpec
from connectors.systems.common import (
    check_birth,
    child_person,
    gender,
    id_number,
    instant,
    iso_cst,
    periods,
    person_key,
    place,
    rest_extractor,
)
from connectors.systems.registry import SampleEnv, SystemSpec, register


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base_url: str  # e.g. https://scas.example.gov.cn/scas/api/v1
    token: SecretStr
    page_size: int = 100


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DirectorRecord(_Record):
    director_id: str
    name: str
    gender: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    phone: str | None = None
    education: str | None = None
    social_work_qualification: str | None = None
    village_code: str
    village_name: str | None = None
    appointed_date: dt.date | None = None
    status: str | None = None
    updated_at: dt.datetime


class GPS(_Record):
    lat: float | None = None
    lng: float | None = None
    accuracy_m: float | None = None


class GuardianRecord(_Record):
    name: str | None = None
    relation: str | None = None
    phone: str | None = None
    id_number: str | None = None
    whereabouts: str | None = None


class ChildRecord(_Record):
    child_id: str
    name: str
    gender: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    categories: list[str] = []
    primary_category: str | None = None
    household_address: str | None = None
    home_location: GPS | None = None
    village_code: str
    village_name: str | None = None
    director_id: str | None = None
    guardians: list[GuardianRecord] = []
    school_status: str | None = None
    health: str | None = None
    disability: str | None = None
    risk_level: str | None = None
    enrolled_date: dt.date | None = None
    status: str | None = None
    updated_at: dt.datetime


class Photo(_Record):
    photo_id: str | None = None
    sha256: str


class VisitRecord(_Record):
    visit_id: str
    child_id: str
    director_id: str
    village_code: str
    mode: str | None = None
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    device_time: dt.datetime | None = None
    gps: GPS | None = None
    photos: list[Photo] = []
    findings: str | None = None
    risk_observations: list[str] = []
    updated_at: dt.datetime


@dataclass(frozen=True)
class CivilAffairs:
    name: str
    settings: Settings

    def _spec(self, path: str) -> RestSpec:
        return RestSpec(
            base_url=self.settings.base_url,
            path=path,
            auth=BearerAuth(token=self.settings.token),
            pagination=PagePagination(page_size=self.settings.page_size, total_path="data.total"),
            records_path="data.items",
            since_param="updated_since",
            cursor_field="updated_at",
        )

    def streams(self) -> list[Stream[Any]]:
        source = self.name

        def director(r: DirectorRecord) -> list[Upsert]:
            number = id_number(r.id_number)
            check_birth(number, r.birth_date)
            key = person_key("director", number, f"{source}-{r.director_id}")
            props = {
                "name": r.name.strip(),
                "gender": gender(r.gender),
                "birthDate": r.birth_date.isoformat() if r.birth_date else None,
                "phone": r.phone,
                "idNumber": number,
                "education": r.education,
                "socialWorkQualification": bool(r.social_work_qualification),
                "appointedDate": r.appointed_date.isoformat() if r.appointed_date else None,
                "status": r.status,
                "villageCode": r.village_code,
            }
            return [
                NodeUpsert("Director", key, props),
                *place(r.village_code, r.village_name),
                RelUpsert("Director", key, "ASSIGNED_TO", "Village", f"village-{r.village_code}"),
            ]

        def child(r: ChildRecord) -> list[Upsert]:
            number = id_number(r.id_number)
            check_birth(number, r.birth_date)
            key = person_key("child", number, f"{source}-{r.child_id}")
            home = r.home_location
            props = {
                "name": r.name.strip(),
                "gender": gender(r.gender),
                "birthDate": r.birth_date.isoformat() if r.birth_date else None,
                "idNumber": number,
                "categories": r.categories,
                "primaryCategory": r.primary_category,
                "address": r.household_address,
                # A fix at (0, 0) is no position.
                "homeLat": home.lat if home and home.lat else None,
                "homeLng": home.lng if home and home.lng else None,
                "healthNotes": r.health,
                "disability": r.disability,
                "schoolStatus": r.school_status,
                "riskLevel": r.risk_level,
                "enrolledDate": r.enrolled_date.isoformat() if r.enrolled_date else None,
                "status": r.status,
                "villageCode": r.village_code,
            }
            upserts: list[Upsert] = [
                NodeUpsert("Child", key, props),
                *place(r.village_code, r.village_name),
                RelUpsert("Child", key, "LIVES_IN", "Village", f"village-{r.village_code}"),
            ]
            if r.director_id:
                upserts.append(
                    RelUpsert(
                        "Director",
                        source_ref(source, "Director", r.director_id),
                        "PAIRED_WITH",
                        "Child",
                        key,
                    )
                )
            for n, g in enumerate(r.guardians):
                g_number = id_number(g.id_number) if g.id_number else None
                g_key = person_key("guardian", g_number, f"{key}-{n}")
                upserts.append(
                    NodeUpsert(
                        "Guardian",
                        g_key,
                        {
                            "name": g.name,
                            "relation": g.relation,
                            "phone": g.phone,
                            "idNumber": g_number,
                            "whereabouts": g.whereabouts,
                            "villageCode": r.village_code,
                        },
                        primary=False,
                    )
                )
                upserts.append(
                    RelUpsert(
                        "Guardian", g_key, "GUARDIAN_OF", "Child", key, {"relation": g.relation}
                    )
                )
            return upserts

        def visit(r: VisitRecord) -> list[Upsert]:
            key = f"visit-{source}-{r.visit_id}"
            started = instant(r.started_at)
            gps = r.gps
            props = {
                "startedAt": started,
                "endedAt": instant(r.ended_at),
                "deviceTime": instant(r.device_time),
                "lat": gps.lat if gps else None,
                "lng": gps.lng if gps else None,
                "accuracy": gps.accuracy_m if gps else None,
                "photos": [p.sha256 for p in r.photos],
                "mode": r.mode,
                "findings": r.findings,
                "riskObservations": r.risk_observations,
                "villageCode": r.village_code,
                **periods(started),
            }
            return [
                NodeUpsert("Visit", key, props),
                RelUpsert("Visit", key, "OF", "Child", source_ref(source, "Child", r.child_id)),
                RelUpsert(
                    "Visit", key, "BY", "Director", source_ref(source, "Director", r.director_id)
                ),
            ]

        return [
            Stream(
                "directors",
                DirectorRecord,
                "director_id",
                rest_extractor(self._spec("/directors")),
                director,
                cursor_field="updated_at",
                cursor_format=iso_cst,
            ),
            Stream(
                "children",
                ChildRecord,
                "child_id",
                rest_extractor(self._spec("/children")),
                child,
                cursor_field="updated_at",
                cursor_format=iso_cst,
                person=child_person,
            ),
            Stream(
                "visits",
                VisitRecord,
                "visit_id",
                rest_extractor(self._spec("/visits")),
                visit,
                cursor_field="updated_at",
                cursor_format=iso_cst,
            ),
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    return {
        "base_url": env.rest_base_url + "/scas/api/v1",
        "token": env.rest_tokens["civil_affairs.token"],
    }


SPEC = register(
    SystemSpec(
        name="civil_affairs",
        title="智慧民政 Smart Civil Affairs platform (REST): directors, children, visits",
        settings=Settings,
        build=lambda name, settings: CivilAffairs(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=10,
    )
)
