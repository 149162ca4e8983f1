"""Stations' four-haves (四有) and village facilities: inspections, new facilities, and
the services delivered at each station.

An inspection records what a supervisor or the city center saw: the four flags, the
evidence (photos, documents, ledgers) and a note. It is an immutable event; the
station's current flags are those of its latest inspection, so ``stations``,
``stationStats(groupBy: FOUR_HAVES)`` and the portal read them directly, and
``Station.inspections`` lists the history.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from graph.model import period_of
from graph.queries import stations as q
from schema.access.principal import Role
from schema.care.common import instant, key_of, now_ms, optional_text, plain_text
from schema.care.rights import require_manager
from schema.context import Info
from schema.core.fields import list_field, written
from schema.errors import BadArgument, Forbidden
from schema.places.stations_stats import services_by_station
from schema.places.stations_types import (
    FacilityInspection,
    StationInspection,
    StationServiceRow,
)
from schema.places.types import Facility
from schema.stats.queries import stats_field

TYPES = "schema.places.stations_types"
#: Who inspects a station's four-haves: its town's supervisor, or the city center.
INSPECTORS = frozenset({Role.SUPERVISOR, Role.CENTER_ADMIN})
MAX_EVIDENCE = 20
#: Phones' clocks run a little ahead at times; further ahead is a typing error.
CLOCK_SKEW_MS = 5 * 60 * 1000
#: Older inspections come in through the connectors' imports, not typed in by hand.
MAX_AGE_MS = 366 * 24 * 3600 * 1000


def _evidence(items: list[str]) -> list[str]:
    if not 1 <= len(items) <= MAX_EVIDENCE:
        raise BadArgument(f"give 1 to {MAX_EVIDENCE} items of evidence (photos, documents)")
    return [plain_text(e, f"evidence[{i}]", maximum=500, lines=False) for i, e in enumerate(items)]


def _event(
    info: Info, evidence: list[str], note: str | None, at: dt.datetime | None
) -> dict[str, Any]:
    """The parameters every inspection shares: who, when, what was seen."""
    principal = info.context.access.principal
    now = now_ms(info)
    inspected = now if at is None else instant(at, "inspectedAt")
    if inspected > now + CLOCK_SKEW_MS:
        raise BadArgument("`inspectedAt` lies in the future")
    if inspected < now - MAX_AGE_MS:
        raise BadArgument("`inspectedAt` is more than a year ago")
    month, quarter = period_of(inspected)
    key = f"inspection-{uuid.uuid4().hex}"
    return {
        "id": key,
        "at": now,
        "evidence": _evidence(evidence),
        "note": optional_text(note, "note", maximum=1000),
        "inspectedAt": inspected,
        "inspector": f"{principal.role.value}:{principal.name}",
        "inspectorRole": principal.role.value,
        "month": month,
        "quarter": quarter,
    }


@strawberry.type
class StationQueries:
    station_inspections = list_field(
        "StationInspection", "StationInspection", TYPES, "Inspections of stations' four-haves"
    )
    facility_inspections = list_field(
        "FacilityInspection", "FacilityInspection", TYPES, "Inspections of village facilities"
    )
    station_inspection_stats = stats_field(
        "StationInspection", "StationInspection", "Station inspections by town, four-haves, quarter"
    )

    @strawberry.field(
        description="Services and person-times delivered at each station, per quarter "
        "(counts under 5 withheld from statistics-only readers)."
    )
    async def station_service_stats(
        self, info: Info, in_region: str | None = None, quarter: str | None = None
    ) -> list[StationServiceRow]:
        return await services_by_station(info, in_region, quarter)


@strawberry.type
class StationMutations:
    @strawberry.mutation(
        description="Record an inspection of a station's four-haves (四有) with its evidence; "
        "the station's flags become those of its latest inspection. The town's supervisor "
        "or a center admin."
    )
    async def inspect_station(
        self,
        info: Info,
        station_id: strawberry.ID,
        has_venue: bool,
        has_team: bool,
        has_rules: bool,
        has_services: bool,
        evidence: list[str],
        note: str | None = None,
        inspected_at: dt.datetime | None = None,
    ) -> StationInspection:
        access = info.context.access
        key = key_of(station_id, "Station", "stationId")
        rows = await info.context.store.read(q.STATION, {"id": key})
        if not rows:
            raise BadArgument("no station with that id")
        principal = access.principal
        if principal.kind != "user" or principal.role not in INSPECTORS:
            raise Forbidden("inspecting stations: only supervisors and center admins may do this")
        if not principal.covers(rows[0]["townCode"]):
            raise Forbidden("inspecting stations: that station is outside your regions")
        params = _event(info, evidence, note, inspected_at)
        flags = (has_venue, has_team, has_rules, has_services)
        await info.context.store.write(
            q.INSPECT_STATION,
            {
                **params,
                "stationId": key,
                "hasVenue": has_venue,
                "hasTeam": has_team,
                "hasRules": has_rules,
                "hasServices": has_services,
                "fourHaves": all(flags),
            },
        )
        return await written(info, StationInspection, str(params["id"]))

    @strawberry.mutation(
        description="Register a village facility (未成年人保护设施). Managers of the village."
    )
    async def register_facility(
        self,
        info: Info,
        village_code: str,
        name: str,
        kind: str,
        opened_date: dt.date | None = None,
        area_sqm: float | None = None,
    ) -> Facility:
        require_manager(info.context.access, village_code, "registering facilities")
        if area_sqm is not None and not 0 < area_sqm <= 100_000:
            raise BadArgument("`areaSqm` is more than 0 and at most 100000")
        key = f"facility-{uuid.uuid4().hex}"
        rows, _ = await info.context.store.write(
            q.REGISTER_FACILITY,
            {
                "id": key,
                "at": now_ms(info),
                "villageCode": village_code,
                "name": plain_text(name, "name", maximum=100, lines=False),
                "kind": plain_text(kind, "kind", maximum=30, lines=False),
                "openedDate": None if opened_date is None else opened_date.isoformat(),
                "areaSqm": area_sqm,
            },
        )
        if not rows:
            raise BadArgument(f"no village {village_code}")
        return await written(info, Facility, key)

    @strawberry.mutation(
        description="Record an inspection of a village facility (in operation or not) with "
        "its evidence. Managers of the village."
    )
    async def inspect_facility(
        self,
        info: Info,
        facility_id: strawberry.ID,
        operating: bool,
        evidence: list[str],
        note: str | None = None,
        inspected_at: dt.datetime | None = None,
    ) -> FacilityInspection:
        key = key_of(facility_id, "Facility", "facilityId")
        rows = await info.context.store.read(q.FACILITY, {"id": key})
        if not rows:
            raise BadArgument("no facility with that id")
        require_manager(info.context.access, rows[0]["villageCode"], "inspecting facilities")
        params = _event(info, evidence, note, inspected_at)
        await info.context.store.write(
            q.INSPECT_FACILITY, {**params, "facilityId": key, "operating": operating}
        )
        return await written(info, FacilityInspection, str(params["id"]))
