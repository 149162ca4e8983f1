from __future__ import annotations

import strawberry

from graph.queries.overview import OVERVIEW
from schema.context import Info
from schema.core.rows import snake
from schema.overview.types import Overview


@strawberry.type
class OverviewQuery:
    @strawberry.field(description="The program's headline figures.")
    async def overview(self, info: Info) -> Overview:
        rows = await info.context.store.read(OVERVIEW)
        row = rows[0]
        # FalkorDB's sum() of integers is a float; the figures are counts.
        return Overview(**{snake(k): int(v or 0) for k, v in row.items()})
