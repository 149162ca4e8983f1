"""政府购买服务项目台账 purchased-service project sheets (Excel): projects, monthly services."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from connectors.core.stream import NodeUpsert, RelUpsert, Stream, Upsert
from connectors.systems.common import periods
from connectors.systems.divisions import town_code
from connectors.systems.files import FileSettings, hashed, read_files
from connectors.systems.registry import SampleEnv, SystemSpec, register
from connectors.systems.table_specs import PROJECT_SPEC, SERVICE_SPEC
from graph.model import CST

_SPLIT = re.compile(r"[、，,；;/\s]+")


class ProjectRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    code: str
    name: str
    provider: str
    provider_credit_code: str | None = None
    towns: str | None = None
    budget_wan: float | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    target_services: int | None = None
    target_children: int | None = None
    status: str | None = None


class ServiceRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    project_code: str
    project_name: str | None = None
    month: str
    town: str | None = None
    kind: str | None = None
    person_times: int
    children: int | None = None
    activities: int | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.project_code}|{self.month}|{self.town or ''}|{self.kind or ''}"


_CITY_WIDE = re.compile(r"^(全市|全部镇街|\d+个镇街)$")
#: Tengzhou's own code: a service given city-wide counts for the whole city.
CITY = "370481"


def _towns(text: str | None) -> list[str]:
    """Division codes of the towns a cell names; ``全市`` / ``21个镇街`` is the whole city."""
    names = [t for t in _SPLIT.split(text or "") if t]
    if any(_CITY_WIDE.match(n) for n in names):
        return [CITY]
    return [town_code(n) for n in names]


@dataclass(frozen=True)
class Projects:
    name: str
    settings: FileSettings

    def streams(self) -> list[Stream[Any]]:
        files, source = self.settings.files, self.name

        def project(r: ProjectRow) -> list[Upsert]:
            key = f"project-{r.code.strip()}"
            org = f"organization-{hashed(r.provider_credit_code or r.provider)}"
            props = {
                "name": r.name.strip(),
                "budget": round(r.budget_wan * 10_000) if r.budget_wan is not None else None,
                "startDate": r.start_date.isoformat() if r.start_date else None,
                "endDate": r.end_date.isoformat() if r.end_date else None,
                "targetServices": r.target_services,
                "targetChildren": r.target_children,
                "status": r.status,
            }
            upserts: list[Upsert] = [
                NodeUpsert("Project", key, props),
                NodeUpsert(
                    "Organization",
                    org,
                    {"name": r.provider.strip(), "creditCode": r.provider_credit_code},
                    primary=False,
                ),
                RelUpsert("Project", key, "RUN_BY", "Organization", org),
            ]
            for town in _towns(r.towns):
                if town == CITY:
                    continue  # a city-wide project covers every town; no edge to each
                upserts += [
                    NodeUpsert("Town", f"town-{town}", {"code": town}, primary=False),
                    RelUpsert("Project", key, "COVERS", "Town", f"town-{town}"),
                ]
            return upserts

        def service(r: ServiceRow) -> list[Upsert]:
            year, month = (int(x) for x in r.month.split("-"))
            delivered = int(dt.datetime(year, month, 1, tzinfo=CST).timestamp() * 1000)
            towns = _towns(r.town)
            key = f"service-{source}-{hashed(r.key)}"
            props = {
                "kind": r.kind,
                "deliveredAt": delivered,
                "personTimes": r.person_times,
                "description": "；".join(p for p in (r.project_name, r.note) if p),
                # The sheet counts per town: the region of the service is the town.
                "villageCode": towns[0] if towns else None,
                **periods(delivered),
            }
            return [
                NodeUpsert("Service", key, props),
                RelUpsert("Service", key, "UNDER", "Project", f"project-{r.project_code.strip()}"),
            ]

        return [
            Stream(
                "projects",
                ProjectRow,
                "code",
                lambda since: read_files(files, PROJECT_SPEC),
                project,
            ),
            Stream(
                "services",
                ServiceRow,
                "key",
                lambda since: read_files(files, SERVICE_SPEC),
                service,
            ),
        ]


def _samples(env: SampleEnv) -> dict[str, Any]:
    path = env.samples / "projects" / "政府购买服务项目台账（2026年度）.xlsx"
    return {"files": [{"path": str(path), "town_code": "370481001"}]}


SPEC = register(
    SystemSpec(
        name="projects",
        title="政府购买服务项目台账 purchased-service projects and their monthly services (Excel)",
        settings=FileSettings,
        build=lambda name, settings: Projects(name, settings),  # type: ignore[arg-type]
        sample_settings=_samples,
        precedence=5,
    )
)
