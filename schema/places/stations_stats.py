"""Services delivered at each station, in person-times per quarter.

A statistic of ``Service`` records: whoever may read service statistics may read it,
over the services their rows of ``Service`` cover (their regions, or a director's
paired children), with counts under 5 withheld from statistics-only readers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from graph.queries import stations as q
from schema.access.policy import Access
from schema.context import Info
from schema.core.fields import check_region
from schema.errors import BadArgument
from schema.places.stations_types import StationServiceRow, StationServiceStat

QUARTER_LENGTH = 6  # 2026Q3


def service_scope(access: Access) -> dict[str, Any]:
    """The statement parameters limiting the services counted to the reader's rows."""
    access.require_aggregates("Service", "service statistics")
    scope = access.rules.scope
    if scope == "care":
        return {"regions": None, "director": access.principal.person_id or "-"}
    if scope == "all":
        return {"regions": None, "director": None}
    return {"regions": list(access.principal.regions), "director": None}


def check_quarter(quarter: str | None) -> str | None:
    if quarter is not None and not (
        len(quarter) == QUARTER_LENGTH
        and quarter[:4].isdigit()
        and quarter[4:5] == "Q"
        and quarter[5:] in "1234"
    ):
        raise BadArgument("`quarter` is written like 2026Q3")
    return quarter


def _person_times(value: Any) -> int | None:
    # FalkorDB's sum() of integers is a float.
    return None if value is None else int(value)


def suppress_small(access: Access, cells: Sequence[StationServiceStat | StationServiceRow]) -> None:
    """Withhold counts under 5 from statistics-only readers, and one more when a lone
    small count could be worked out from a total (as ``schema.stats`` does)."""
    if not access.aggregate_only:
        return
    small = [c for c in cells if access.suppress(c.services or 0)]
    if len(small) == 1 and len(cells) > 1:
        others = sorted((c for c in cells if c is not small[0]), key=lambda c: c.services or 0)
        small.append(others[0])
    for cell in small:
        cell.services = None
        cell.person_times = None
        cell.suppressed = True


async def station_service_stats(
    root: Any, info: Info, quarter: str | None = None
) -> list[StationServiceStat]:
    """``Station.serviceStats``: services and person-times per quarter at this station."""
    access = info.context.access
    params = {**service_scope(access), "quarter": check_quarter(quarter)}

    async def load(keys: list[str]) -> Sequence[list[StationServiceStat]]:
        rows = await info.context.store.read(q.SERVICES_AT, {**params, "keys": keys})
        found: dict[str, list[StationServiceStat]] = defaultdict(list)
        for row in rows:
            found[str(row["key"])].append(
                StationServiceStat(
                    quarter=row["quarter"],
                    services=int(row["services"]),
                    person_times=_person_times(row["personTimes"]),
                    suppressed=False,
                )
            )
        for cells in found.values():
            suppress_small(access, cells)
        return [found.get(k, []) for k in keys]

    loader = info.context.loaders.batch(("stations.services_at", params["quarter"]), load)
    stats: list[StationServiceStat] = await loader.load(root.key)
    return stats


async def services_by_station(
    info: Info, in_region: str | None, quarter: str | None
) -> list[StationServiceRow]:
    """Services and person-times per station and quarter in a region."""
    access = info.context.access
    params = {
        **service_scope(access),
        "quarter": check_quarter(quarter),
        "region": check_region(in_region),
    }
    rows = await info.context.store.read(q.SERVICES_BY_STATION, params)
    out = [
        StationServiceRow(
            station_key=str(row["station"]),
            station_name=row["name"],
            town_code=row["townCode"],
            quarter=row["quarter"],
            services=int(row["services"]),
            person_times=_person_times(row["personTimes"]),
            suppressed=False,
        )
        for row in rows
    ]
    suppress_small(access, out)
    return out
