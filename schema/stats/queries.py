"""Statistics fields: ``<things>Stats(groupBy, filter, inRegion)`` and ``coverage``.

Grouping keys come from each label's allow-list (``graph.queries.catalog``);
at most two per statistic, so a breakdown stays a table, not a listing.
"""

from __future__ import annotations

import enum
import functools
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from graph.queries import coverage
from graph.queries.catalog import CATALOG, SPECS
from schema.access.policy import SMALL_COUNT
from schema.context import Info
from schema.core.fields import check_region
from schema.core.filters import filter_input, filter_params
from schema.core.rows import snake
from schema.errors import BadArgument
from schema.stats.types import Bucket, Coverage, TownCoverage

MAX_DIMENSIONS = 2


@functools.cache
def dimension_enum(label: str, type_name: str) -> Any:
    members = {snake(d).upper(): d for d in sorted(SPECS[label].groups)}
    return strawberry.enum(  # type: ignore[call-overload]
        enum.Enum(f"{type_name}Dimension", members),
        description=f"What {type_name} statistics can be grouped by.",
    )


def _bucket(row: dict[str, Any], dims: tuple[str, ...]) -> Bucket:
    values: dict[str, Any] = {snake(d): None if row[d] is None else str(row[d]) for d in dims}
    values["count"] = int(row["count"])
    for prop in ("personTimes", "budget"):
        if f"sum_{prop}" in row and row[f"sum_{prop}"] is not None:
            # FalkorDB's sum() of integers is a float.
            values[snake(prop)] = int(row[f"sum_{prop}"])
    return Bucket(**values)


def suppress_small(buckets: list[Bucket]) -> None:
    """Withhold counts under 5, and one more when a lone small count could be derived.

    With a single cell withheld, the grand total (another statistic) minus the
    others would give it back: the next smallest is withheld too.
    """
    small = [b for b in buckets if (b.count or 0) < SMALL_COUNT]
    if len(small) == 1 and len(buckets) > 1:
        others = sorted((b for b in buckets if b is not small[0]), key=lambda b: b.count or 0)
        small.append(others[0])
    for b in small:
        b.count = None
        b.suppressed = True
        b.person_times = None
        b.budget = None


def stats_field(label: str, type_name: str, description: str) -> StrawberryField:
    spec = SPECS[label]
    dims_enum = dimension_enum(label, type_name)
    filter_type = filter_input(label, type_name)

    async def resolve(
        info: Info,
        group_by: list[Any] | None = None,
        filter: Any = None,
        in_region: str | None = None,
    ) -> list[Bucket]:
        dims = tuple(sorted({str(d.value) for d in group_by or []}))
        if len(dims) > MAX_DIMENSIONS:
            raise BadArgument(f"group by at most {MAX_DIMENSIONS} dimensions")
        access = info.context.access
        access.require_aggregates(label, f"`{info.field_name}`")
        params = filter_params(spec, filter, access)
        if in_region is not None:
            if spec.region is None:
                raise BadArgument(f"{type_name} statistics have no region")
            params["region"] = check_region(in_region)
        params.update(info.context.access.row_params(label))
        stmt = CATALOG.aggregate(label, dims, frozenset(params))
        rows = await info.context.store.read(stmt, params)
        buckets = [_bucket(r, dims) for r in rows]
        buckets.sort(key=lambda b: tuple(str(getattr(b, snake(d)) or "") for d in dims))
        if access.aggregate_only:
            suppress_small(buckets)
        return buckets

    resolve.__annotations__ = {
        "info": Info,
        "group_by": list[dims_enum] | None,  # type: ignore[valid-type]
        "filter": filter_type | None,
        "in_region": str | None,
        "return": list[Bucket],
    }
    field: StrawberryField = strawberry.field(resolver=resolve, description=description)
    return field


@strawberry.type
class StatsQueries:
    village_stats = stats_field("Village", "Village", "Villages by town or kind")
    station_stats = stats_field("Station", "Station", "Stations by four-haves status")
    facility_stats = stats_field("Facility", "Facility", "Facilities by town or kind")
    director_stats = stats_field("Director", "Director", "Directors by town, status, qualification")
    child_stats = stats_field(
        "Child", "Child", "Children by town, village, category, how found, risk level"
    )
    visit_stats = stats_field("Visit", "Visit", "Visits by town, village, month, quarter, mode")
    screening_stats = stats_field("Screening", "Screening", "Screenings by town, outcome, period")
    mandatory_report_stats = stats_field(
        "MandatoryReport", "MandatoryReport", "Mandatory reports by town, situation, status"
    )
    service_stats = stats_field(
        "Service", "Service", "Services (and person-times) by town, kind, period"
    )
    project_stats = stats_field("Project", "Project", "Projects (and budgets) by status")
    training_stats = stats_field("Training", "Training", "Trainings by topic or round")
    assessment_stats = stats_field("Assessment", "Assessment", "Assessments by period, tier, town")
    supervision_task_stats = stats_field(
        "SupervisionTask", "SupervisionTask", "Supervision tasks by status, period, town"
    )
    ledger_entry_stats = stats_field(
        "LedgerEntry", "LedgerEntry", "Ledger entries by category, severity, town"
    )
    rectification_stats = stats_field(
        "Rectification", "Rectification", "Rectifications by status, town"
    )
    feedback_stats = stats_field("Feedback", "Feedback", "Feedback by kind, period, town")

    @strawberry.field(description="Villages with at least one children's director, per town.")
    async def coverage(self, info: Info, in_region: str | None = None) -> Coverage:
        if in_region is None:
            rows = await info.context.store.read(coverage.BY_TOWN)
        else:
            rows = await info.context.store.read(
                coverage.BY_TOWN_IN_REGION, {"region": check_region(in_region)}
            )
        towns = [
            TownCoverage(
                town_key=str(r["town"]),
                town_code=str(r["code"]),
                villages=int(r["villages"]),
                villages_with_director=int(r["covered"]),
                directors=int(r["directors"]),
                vacant_keys=[str(v) for v in r["vacant"]],
            )
            for r in rows
        ]
        return Coverage(
            villages=sum(t.villages for t in towns),
            villages_with_director=sum(t.villages_with_director for t in towns),
            directors=sum(t.directors for t in towns),
            towns=towns,
        )
