"""The depth limit: how deeply fields nest, fragments followed.

Introspection fields (``__schema``, ``__type``, ``__typename``) are left out,
as graphql-depth-limit does: the GraphiQL introspection query nests ~13
levels, and its real risk (cycles through ``fields { type { fields … } }``)
is refused by graphql-core's ``MaxIntrospectionDepthRule``, which the guard
runs too.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    SKIP,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

EXACT_UP_TO = 200
"""Depths are measured exactly up to here; deeper fragment chains stop the walk
early (the parser itself refuses ~200 levels of literal nesting)."""


class _TooDeep(Exception):
    """Stops the walk once the depth is beyond :data:`EXACT_UP_TO`."""


class _Walker:
    """Measures depth with one visit per fragment, so fragment bombs stay linear."""

    def __init__(self, context: ValidationContext) -> None:
        self._context = context
        self._memo: dict[str, int] = {}
        self._visiting: set[str] = set()

    def depth(self, selection_set: SelectionSetNode, level: int) -> int:
        if level > EXACT_UP_TO:
            raise _TooDeep
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                below = selection.selection_set
                here = 1 + (self.depth(below, level + 1) if below else 0)
            elif isinstance(selection, InlineFragmentNode):
                here = self.depth(selection.selection_set, level)
            elif isinstance(selection, FragmentSpreadNode):
                here = self._fragment(selection.name.value, level)
            else:  # pragma: no cover - the AST has no other selections
                continue
            deepest = max(deepest, here)
        return deepest

    def _fragment(self, name: str, level: int) -> int:
        if name in self._memo:
            return self._memo[name]
        fragment = self._context.get_fragment(name)
        if fragment is None or name in self._visiting:
            return 0  # unknown fragments and cycles are other rules' errors
        self._visiting.add(name)
        try:
            # A fragment's depth does not depend on where it is spread.
            self._memo[name] = self.depth(fragment.selection_set, level)
        finally:
            self._visiting.discard(name)
        return self._memo[name]


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations whose fields nest deeper than ``max_depth``."""

    class QueryDepthRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._walker = _Walker(context)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
            try:
                depth = self._walker.depth(node.selection_set, 1)
                shown = str(depth)
            except _TooDeep:
                depth, shown = EXACT_UP_TO + 1, f"over {EXACT_UP_TO}"
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"query depth {shown} exceeds the limit of {max_depth}",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "limit": max_depth, "depth": depth},
                    )
                )
            return SKIP

        def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: Any) -> Any:
            return SKIP  # measured where spread

    return QueryDepthRule
