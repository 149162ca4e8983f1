"""志愿服务平台 volunteer platform (REST, OAuth 2.0 client credentials): volunteers,
1+X+N teams, service hours.

The platform names directors by the Smart Civil Affairs platform's ids
(``directors_source``: the source that brings those directors in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert, source_ref
from connectors.kinds.rest import ClientCredentialsAuth, CursorPagination, RestSpec
from connectors.systems.common import (
    cst_text,
    gender,
    id_number,
    instant,
    periods,
    place,
    rest_extractor,
)
from connectors.systems.registry import SampleEnv, SystemSpec, register


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    base_url: str  # e.g. https://zyfw.example.gov.cn/volunteer/api
    token_url: str = "/volunteer/oauth/token"  # noqa: S105 - a URL, not a secret
    client_id: str
    client_secret: SecretStr
    directors_source: str = "civil_affairs"
    page_size: int = 100


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class VolunteerRecord(_Record):
    volunteer_id: str
    name: str
    gender: str | None = None
    id_number: str | None = None
    phone: str | None = None
    skills: str | None = None
    background_check: str | None = None
    registered_at: dt.datetime | None = None
    service_hours_total: float | None = None
    region_code: str | None = None
    lat: float | None = None
    lng: float | None = None
    update_time: dt.datetime


class Member(_Record):
    volunteer_id: str | None = None
    name: str | None = None
    role: str | None = None
    qualification: str | None = None


class TeamRecord(_Record):
    team_id: str
    team_name: str
    leader_director_id: str | None = None
    members: list[Member] = []
    village_code: str | None = None
    formed_date: dt.date | None = None
    update_time: dt.datetime


class HoursRecord(_Record):
    record_id: str
    volunteer_id: str
    team_id: str | None = None
    activity_name: str | None = None
    service_type: str | None = None
    start_time: dt.datetime
    end_time: dt.datetime | None = None
    hours: float | None = None
    beneficiary_children: int | None = None
    village_code: str | None = None
    verified: bool | None = None
    update_time: dt.datetime


@dataclass(frozen=True)
class Volunteers:
    name: str
    settings: Settings

    def _spec(self, path: str) -> RestSpec:
        s = self.settings
        return RestSpec(
            base_url=s.base_url,
            path=path,
            auth=ClientCredentialsAuth(
                token_url=s.token_url, client_id=s.client_id, client_secret=s.client_secret
            ),
            pagination=CursorPagination(page_size=min(s.page_size, 100)),
            records_path="data",
            since_param="updated_since",
            cursor_field="update_time",
        )

    def streams(self) -> list[Stream[Any]]:
        source, directors = self.name, self.settings.directors_source

        def volunteer(r: VolunteerRecord) -> list[Upsert]:
            id_number(r.id_number)  # a wrong number rejects the record; it is not stored
            key = f"volunteer-{source}-{r.volunteer_id}"
            skills = [
                s.strip() for s in (r.skills or "").replace("，", ",").split(",") if s.strip()
            ]
            props = {
                "name": r.name.strip(),
                "gender": gender(r.gender),
                "phone": r.phone,
                "skills": skills,
                "backgroundCheck": r.background_check,
                "registeredDate": r.registered_at.date().isoformat() if r.registered_at else None,
                "serviceHours": r.service_hours_total,
                "lat": r.lat,
                "lng": r.lng,
            }
            return [NodeUpsert("Volunteer", key, props)]

        def team(r: TeamRecord) -> list[Upsert]:
            key = f"team-{source}-{r.team_id}"
            props = {
                "name": r.team_name,
                "formedDate": r.formed_date.isoformat() if r.formed_date else None,
                "villageCode": r.village_code,
            }
            upserts: list[Upsert] = [NodeUpsert("VolunteerTeam", key, props)]
            if r.leader_director_id:
                leader = source_ref(directors, "Director", r.leader_director_id)
                upserts.append(RelUpsert("VolunteerTeam", key, "LED_BY", "Director", leader))
            for n, m in enumerate(r.members):
                if m.volunteer_id:
                    member = source_ref(source, "Volunteer", m.volunteer_id)
                    upserts.append(
                        RelUpsert("Volunteer", member, "MEMBER_OF", "VolunteerTeam", key)
                    )
                else:  # a professional (the X of 1+X+N), named in the team only
                    worker = f"socialworker-{source}-{r.team_id}-{n}"
                    upserts.append(
                        NodeUpsert(
                            "SocialWorker",
                            worker,
                            {
                                "name": m.name,
                                "profession": m.role,
                                "qualification": m.qualification,
                            },
                            primary=False,
                        )
                    )
                    upserts.append(
                        RelUpsert("SocialWorker", worker, "MEMBER_OF", "VolunteerTeam", key)
                    )
            return upserts

        def hours(r: HoursRecord) -> list[Upsert]:
            key = f"service-{source}-{r.record_id}"
            delivered = instant(r.start_time)
            props = {
                "kind": r.service_type,
                "deliveredAt": delivered,
                "personTimes": r.beneficiary_children,
                "description": r.activity_name,
                "villageCode": r.village_code,
                **periods(delivered),
            }
            return [
                NodeUpsert("Service", key, props),
                *place(r.village_code),
                RelUpsert(
                    "Service",
                    key,
                    "DELIVERED_BY",
                    "Volunteer",
                    source_ref(source, "Volunteer", r.volunteer_id),
                ),
            ]

        def stream(name: str, model: Any, key: str, path: str, map_: Any) -> Stream[Any]:
            return Stream(
                name,
                model,
                key,
                rest_extractor(self._spec(path)),
                map_,
                cursor_field="update_time",
                cursor_format=cst_text,  # the platform's own `2026-03-05 09:30:00`
            )

        return [
            stream("volunteers", VolunteerRecord, "volunteer_id", "/volunteers", volunteer),
            stream("teams", TeamRecord, "team_id", "/teams", team),
            stream("service_hours", HoursRecord, "record_id", "/service-hours", hours),
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    return {
        "base_url": env.rest_base_url + "/volunteer/api",
        "client_id": env.rest_tokens["volunteers.client_id"],
        "client_secret": env.rest_tokens["volunteers.client_secret"],
        "directors_source": "civil_affairs",
    }


SPEC = register(
    SystemSpec(
        name="volunteers",
        title="志愿服务平台 volunteer platform (REST, OAuth): volunteers, teams, service hours",
        settings=Settings,
        build=lambda name, settings: Volunteers(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=5,
    )
)
