"""The Relay ``Node`` interface and ``node(id:)``."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.core.ids import from_global_id
from schema.core.registry import NODE_KINDS
from schema.core.rows import from_row
from schema.core.selection import props_for


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global, opaque id")


async def resolve_node(info: Info, id: strawberry.ID) -> Node | None:
    """The object with this global id, or null when there is none."""
    type_name, key = from_global_id(str(id))
    kind = NODE_KINDS.get(type_name)
    if kind is None:
        return None
    props = props_for(info, kind.label, kind.cls, connection=False)
    row = await info.context.loaders.by_id(kind.label, props).load(key)
    if row is None:
        return None
    node: Node = from_row(kind.cls, row, type_name=type_name)
    return node
