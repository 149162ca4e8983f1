"""The cost limit: the fields a query would resolve, estimated from its page sizes.

Each field costs 1 each time it resolves. A paged field (one with ``first`` or
``last`` arguments, or returning a ``…Connection``) resolves its rows page-size
times: for a connection, its ``edges``/``nodes`` subtrees are multiplied by the
page size (``totalCount`` and ``pageInfo`` resolve once); for any other paged
field the whole subtree is. The page size is ``first``/``last`` (literal or
variable, already coerced), else the argument's default, else the default page
size. Lists that are not paged are bounded by the model and count once.

``first``/``last`` over the page-size limit (or negative) are refused here
already, with the limit named, so ``first: 100000`` never reaches a resolver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    SKIP,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
)

from schema.safety._limits import Limits

PAGE_ARGUMENTS = ("first", "last")
ROW_FIELDS = frozenset({"edges", "nodes"})
CONNECTION_SUFFIX = "Connection"
MAX_NESTING = 200  # the depth rule has run already; this only bounds recursion


def is_connection(type_: GraphQLNamedType) -> bool:
    """Relay connection types are named ``<Thing>Connection`` in this schema."""
    return type_.name.endswith(CONNECTION_SUFFIX)


class _Estimator:
    """Walks one operation; fragments are costed once per (fragment, page size)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        limits: Limits,
        variables: Mapping[str, Any],
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._limits = limits
        self._variables = variables
        self._memo: dict[tuple[str, int], int] = {}
        self._visiting: set[str] = set()
        self.errors: list[GraphQLError] = []

    def selection_set(
        self,
        node: SelectionSetNode,
        parent: GraphQLNamedType | None,
        level: int,
        rows: int = 1,
    ) -> int:
        """Cost of ``node``; ``rows`` multiplies the row fields when ``parent`` is a connection."""
        if level > MAX_NESTING:
            return 0
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                cost = self._field(selection, parent, level)
                if rows != 1 and selection.name.value in ROW_FIELDS:
                    cost *= rows
                total += cost
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, inner, level, rows)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, level, rows)
        return total

    def _fragment(self, name: str, level: int, rows: int) -> int:
        key = (name, rows)
        if key in self._memo:
            return self._memo[key]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._visiting:
            return 0  # unknown fragments and cycles are other rules' errors
        self._visiting.add(name)
        try:
            inner = self._type(fragment.type_condition.name.value)
            self._memo[key] = self.selection_set(fragment.selection_set, inner, level, rows)
        finally:
            self._visiting.discard(name)
        return self._memo[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None, level: int) -> int:
        if node.name.value.startswith("__") or node.selection_set is None:
            return 1  # a leaf, or introspection (no graph; its own depth rule)
        definition = _field_definition(parent, node.name.value)
        if definition is None:
            return 1  # not a field of the schema: validation has reported it
        child = get_named_type(definition.type)
        size = self._page_size(node, definition, child)
        if size is None:
            return 1 + self.selection_set(node.selection_set, child, level + 1)
        if is_connection(child):
            return 1 + self.selection_set(node.selection_set, child, level + 1, rows=size)
        return 1 + size * self.selection_set(node.selection_set, child, level + 1)

    def _page_size(
        self, node: FieldNode, definition: GraphQLField, child: GraphQLNamedType
    ) -> int | None:
        declared = [name for name in PAGE_ARGUMENTS if name in definition.args]
        if not declared and not is_connection(child):
            return None
        given = {arg.name.value: arg.value for arg in node.arguments or ()}
        sizes: list[int] = []
        for name in declared:
            value = self._value(given[name]) if name in given else None
            if value is None:
                default = definition.args[name].default_value
                value = default if isinstance(default, int) else None
            if value is None:
                continue
            if not 0 <= value <= self._limits.max_page_size:
                self.errors.append(self._page_error(node, name, value))
                value = self._limits.max_page_size
            sizes.append(value)
        return max(sizes) if sizes else self._limits.default_page_size

    def _page_error(self, node: FieldNode, argument: str, value: int) -> GraphQLError:
        limit = self._limits.max_page_size
        problem = "is negative" if value < 0 else f"exceeds the page size limit of {limit}"
        return GraphQLError(
            f"{argument}: {value} on field '{node.name.value}' {problem}",
            node,
            extensions={"code": "PAGE_TOO_LARGE", "limit": limit, argument: value},
        )

    def _value(self, node: ValueNode) -> int | None:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            value = self._variables.get(node.name.value)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        return None  # null, or a wrong type that validation has reported

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self._schema.get_type(name)


def _field_definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


def check_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    limits: Limits,
) -> list[GraphQLError]:
    """The errors refusing ``operation`` (page sizes over the limit, or its cost), if any.

    It needs the operation's coerced ``variables`` (a page size may be one), so
    it runs after validation and variable coercion, still before any resolver.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    estimator = _Estimator(schema, fragments, limits, variables)
    root = schema.get_root_type(operation.operation)
    cost = estimator.selection_set(operation.selection_set, root, 1)
    if estimator.errors:
        return estimator.errors
    if cost <= limits.max_cost:
        return []
    return [
        GraphQLError(
            f"query cost {cost} exceeds the limit of {limits.max_cost}",
            operation,
            extensions={"code": "QUERY_TOO_COSTLY", "limit": limits.max_cost, "cost": cost},
        )
    ]


def cost_rule(
    limits: Limits, operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> type[ValidationRule]:
    """:func:`check_cost` as a graphql-core validation rule, for ``validate(...)`` callers.

    The guard calls :func:`check_cost` directly: a second ``validate`` walk
    costs ~0.5 ms on this schema, the check itself a few µs.
    """

    class QueryCostRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> Any:
            for error in check_cost(self.context.schema, node, operation, variables, limits):
                self.report_error(error)
            return SKIP

    return QueryCostRule
