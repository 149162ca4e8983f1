from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.sync.types"


@strawberry.type
class SyncQueries:
    sync_runs = list_field("SyncRun", "SyncRun", M, "Connector runs")
    sync_rejects = list_field(
        "SyncReject", "SyncReject", M, "Records the connectors rejected (filter by runId)"
    )
    match_reviews = list_field(
        "MatchReview", "MatchReview", M, "Uncertain identity matches waiting for a decision"
    )
