from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.node import Node
from schema.core.privacy import personal
from schema.core.registry import node_type


@node_type("SyncRun")
@strawberry.type(description="One run of a connector stream.")
class SyncRun(Node):
    key: strawberry.Private[str]
    source_name: str | None
    stream: str | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    status: str | None
    read: int | None
    inserted: int | None
    updated: int | None
    unchanged: int | None
    rejected: int | None
    cursor_before: str | None
    cursor_after: str | None
    errors: list[str] | None


@node_type("SyncReject")
@strawberry.type(description="A record a sync could not load: where it was and why.")
class SyncReject(Node):
    key: strawberry.Private[str]
    run_id: str | None
    source_name: str | None
    stream: str | None
    location: str | None = strawberry.field(description="file!sheet:row, or request #index")
    reason: str | None
    at: dt.datetime | None
    data: str | None = personal("The row as read, JSON (may hold personal data)")


@node_type("MatchReview")
@strawberry.type(
    description="An uncertain identity match: a record that may be a person already known."
)
class MatchReview(Node):
    key: strawberry.Private[str]
    label: str | None
    source_name: str | None
    source_key: str | None
    entity_id: str | None = strawberry.field(description="The node the record was kept as")
    candidate_id: str | None = strawberry.field(description="The person it may be")
    confidence: float | None
    reasons: list[str] | None
    status: str | None = strawberry.field(description="open, merged or kept apart")
    created_at: dt.datetime | None
