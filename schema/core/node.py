"""The Relay ``Node`` interface and ``node(id:)``."""

from __future__ import annotations

import strawberry

from graph.queries.catalog import SPECS
from schema.context import Info
from schema.core.fields import FIELD_KINDS, FieldKind, load_grants, make_object
from schema.core.ids import from_global_id
from schema.core.registry import NODE_KINDS
from schema.core.selection import props_for


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global, opaque id")


async def resolve_node(info: Info, id: strawberry.ID) -> Node | None:
    """The object with this global id, or null when there is none."""
    type_name, key = from_global_id(str(id))
    kind = NODE_KINDS.get(type_name)
    # What the reader may not see is answered like what does not exist: null.
    if kind is None or not info.context.access.can_read(kind.label):
        return None
    access, loaders = info.context.access, info.context.loaders
    props = props_for(info, kind.label, kind.cls, connection=False)
    row = await loaders.by_id(kind.label, props, access.row_params(kind.label)).load(key)
    # Outside the admin's regions: open only under a break-the-glass grant. Grants
    # are looked up here, on the miss, so in-scope reads never pay for them.
    if (
        row is None
        and access.needs_grants
        and SPECS[kind.label].grantable
        and key in await load_grants(info)
    ):
        row = await loaders.by_id(kind.label, props, access.row_params(kind.label)).load(key)
    if row is None:
        return None
    node: Node = make_object(info, type_name)(row)
    return node


async def node_field(info: Info, id: strawberry.ID) -> Node | None:
    """The object with this global id (Relay), or null."""
    return await resolve_node(info, id)


FIELD_KINDS[node_field] = FieldKind("node", "node", "Node")
