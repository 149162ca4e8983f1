from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.sync.types"


@strawberry.type
class SyncQueries:
    sync_runs = list_field("SyncRun", "SyncRun", M, "Connector runs")
