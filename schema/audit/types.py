from __future__ import annotations

import datetime as dt

import strawberry

from schema.core.node import Node
from schema.core.registry import node_type


@node_type("AccessEvent")
@strawberry.type(
    description="One request's reads of children's personal data: who, which records, which "
    "fields, for what purpose. Append-only and hash-chained (`weibao audit verify`)."
)
class AccessEvent(Node):
    key: strawberry.Private[str]
    seq: int | None = strawberry.field(description="Position in the chain, from 1")
    at: dt.datetime | None = strawberry.field(description="When the request was answered")
    principal: str | None = strawberry.field(description="`user:<name>` or `client:<id>`")
    role: str | None
    client_id: str | None = strawberry.field(description="The partner client, if any")
    purpose: str | None
    request_id: str | None
    records: list[str] | None = strawberry.field(description="`Label:id` of the records read")
    fields: list[str] | None = strawberry.field(
        description="Personal fields returned (`:masked` when masked)"
    )
    break_glass: bool | None = strawberry.field(
        description="A record was opened outside the reader's scope under a break-the-glass grant"
    )
    prev_hash: str | None
    hash: str | None


@strawberry.type(description="A break-the-glass grant: access to one child's record for a while.")
class AccessGrant:
    child_id: strawberry.ID
    reason: str
    expires_at: dt.datetime
