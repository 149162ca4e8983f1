from __future__ import annotations

import strawberry

from schema.core.fields import list_field

M = "schema.children.types"


@strawberry.type
class ChildrenQueries:
    children = list_field("Child", "Child", M, "Children in the program's care")
    guardians = list_field("Guardian", "Guardian", M, "Guardians")
