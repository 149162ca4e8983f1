from __future__ import annotations

import strawberry

from schema.context import Info
from schema.core.rows import from_row
from schema.regions.types import Town, Village


@strawberry.type(
    description="One group of a statistic: the group's keys (only those grouped by are set), "
    "its count and, where the statistic has them, sums."
)
class Bucket:
    town: str | None = None
    village: str | None = None
    month: str | None = None
    quarter: str | None = None
    period: str | None = None
    category: str | None = None
    kind: str | None = None
    status: str | None = None
    mode: str | None = None
    outcome: str | None = None
    situation: str | None = None
    found_by: str | None = None
    risk_level: str | None = None
    four_haves: str | None = None
    qualified: str | None = None
    topic: str | None = None
    round: str | None = None
    tier: str | None = None
    severity: str | None = None
    count: int | None = strawberry.field(
        default=0, description="How many; null when suppressed (see `suppressed`)"
    )
    person_times: int | None = strawberry.field(default=None, description="Sum of person-times")
    budget: int | None = strawberry.field(default=None, description="Sum of budgets (yuan)")
    suppressed: bool = strawberry.field(
        default=False,
        description="The count is withheld: under 5 for a statistics-only reader, or "
        "withheld with it so that it cannot be worked out from a total",
    )

    @strawberry.field(description="The count as shown: a number, or `<5` when suppressed")
    def display(self) -> str:
        return "<5" if self.suppressed else str(self.count)


@strawberry.type(description="Director coverage of one town's villages.")
class TownCoverage:
    town_key: strawberry.Private[str]
    town_code: str
    villages: int
    villages_with_director: int
    directors: int
    vacant_keys: strawberry.Private[list[str]]

    @strawberry.field(description="Share of villages with at least one director")
    def ratio(self) -> float:
        return self.villages_with_director / self.villages if self.villages else 0.0

    @strawberry.field(description="The town")
    async def town(self, info: Info) -> Town | None:
        row = await info.context.loaders.by_id("Town").load(self.town_key)
        return None if row is None else from_row(Town, row)

    @strawberry.field(description="Villages with no director (vacancies)")
    async def vacancies(self, info: Info) -> list[Village]:
        rows = await info.context.loaders.by_id("Village").load_many(self.vacant_keys)
        return [from_row(Village, r) for r in rows if r is not None]


@strawberry.type(description="Director coverage of villages (every village has ≥ 1 director).")
class Coverage:
    villages: int
    villages_with_director: int
    directors: int
    towns: list[TownCoverage]

    @strawberry.field(description="Share of villages with at least one director")
    def ratio(self) -> float:
        return self.villages_with_director / self.villages if self.villages else 0.0
