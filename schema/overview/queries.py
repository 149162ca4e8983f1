from __future__ import annotations

import strawberry

from graph.queries.overview import OVERVIEW
from schema.context import Info
from schema.overview.types import Overview


@strawberry.type
class OverviewQuery:
    @strawberry.field(description="The program's headline figures.")
    async def overview(self, info: Info) -> Overview:
        rows = await info.context.store.read(OVERVIEW)
        row = rows[0]
        # FalkorDB's sum() of integers is a float; the figures are counts.
        return Overview(**{_snake(k): int(v or 0) for k, v in row.items()})


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
