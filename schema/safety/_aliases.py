"""The alias limit: aliases are how one request asks for the same field many times."""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, ValidationContext, ValidationRule


def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than ``max_aliases`` aliased fields.

    Every aliased field node of the document counts once; a fragment spread
    many times multiplies work, and that is the cost limit's business.
    """

    class MaxAliasesRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._count = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is not None:
                self._count += 1

        def leave_document(self, node: DocumentNode, *_: Any) -> None:
            if self._count > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"{self._count} aliases exceed the limit of {max_aliases}",
                        extensions={
                            "code": "TOO_MANY_ALIASES",
                            "limit": max_aliases,
                            "aliases": self._count,
                        },
                    )
                )

    return MaxAliasesRule
