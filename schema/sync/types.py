from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.node import Node
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
