"""Introspection off: production hides the schema unless configured to show it."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class NoIntrospectionRule(ValidationRule):
    """Refuses ``__schema`` and ``__type``; ``__typename`` stays, clients need it."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(
                    f"introspection ({node.name.value}) is disabled on this server "
                    "(setting graphql.introspection)",
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )
