"""The gate every operation passes before it may touch the graph.

Order: parse (token limit) → pick the operation → static validation (the
spec's rules, strawberry's two extra rules, graphql-core's introspection-depth
rule, depth, aliases, introspection switch) → coerce variables → page sizes and cost (they need the
variables). Each step refuses with a :class:`~schema.errors.GraphQLRequestError`,
so the transport answers with a request error and no resolver runs.

Parsing and static validation depend on the text alone and cost milliseconds
on this schema, so their results are kept per text (trusted documents and app
queries repeat; variables carry what changes).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.validation import ASTValidationRule, MaxIntrospectionDepthRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.errors import GraphQLRequestError
from schema.safety._aliases import alias_rule
from schema.safety._cost import check_cost
from schema.safety._depth import depth_rule
from schema.safety._introspection import NoIntrospectionRule
from schema.safety._limits import Limits

MAX_VARIABLE_ERRORS = 20
CACHE_SIZE = 512
CACHE_TEXT_MAX = 32 * 1024  # longer texts are checked every time, not kept


@dataclass
class ParsedDocument:
    """A parsed document, with its static validation errors once computed."""

    source: str
    document: DocumentNode
    static_errors: list[GraphQLError] | None = field(default=None, repr=False)

    def operation(self, operation_name: str | None) -> OperationDefinitionNode:
        """The operation to run: the only one, or the one named; else a request error."""
        operation = get_operation_ast(self.document, operation_name)
        if operation is not None:
            return operation
        if operation_name:
            message = f"Unknown operation named '{operation_name}'."
        elif any(isinstance(d, OperationDefinitionNode) for d in self.document.definitions):
            message = "Must provide operation name if query contains multiple operations."
        else:
            message = "Must provide an operation."
        raise GraphQLRequestError([GraphQLError(message)])


@dataclass(frozen=True)
class CheckedOperation:
    """An operation that passed every check, with its coerced variables."""

    document: DocumentNode
    operation: OperationDefinitionNode
    variables: dict[str, Any]

    @property
    def operation_type(self) -> OperationType:
        return self.operation.operation


class QueryGuard:
    """Checks documents against one schema and one set of :class:`Limits`."""

    def __init__(self, schema: GraphQLSchema, limits: Limits) -> None:
        self.schema = schema
        self.limits = limits
        rules: list[type[ASTValidationRule]] = [
            *specified_rules,
            # strawberry's own rules: execution reuses this validation (see _reuse).
            MaybeNullValidationRule,
            OneOfInputValidationRule,
            MaxIntrospectionDepthRule,
            depth_rule(limits.max_depth),
            alias_rule(limits.max_aliases),
        ]
        if not limits.introspection:
            rules.append(NoIntrospectionRule)
        self._static_rules = tuple(rules)
        self._cache: OrderedDict[str, ParsedDocument] = OrderedDict()

    def parse(self, source: str) -> ParsedDocument:
        """The parsed document, or a request error (syntax, or over the token limit)."""
        cached = self._cache.get(source)
        if cached is not None:
            self._cache.move_to_end(source)
            return cached
        try:
            parsed = ParsedDocument(source, parse(source, max_tokens=self.limits.max_tokens))
        except GraphQLError as error:
            raise GraphQLRequestError([_name_token_limit(error, self.limits)]) from None
        if len(source) <= CACHE_TEXT_MAX:
            self._cache[source] = parsed
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return parsed

    def check(
        self,
        parsed: ParsedDocument,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> CheckedOperation:
        """Validate, coerce the variables, check page sizes and cost; raise if refused."""
        if parsed.static_errors is None:
            parsed.static_errors = validate(self.schema, parsed.document, self._static_rules)
        if parsed.static_errors:
            raise GraphQLRequestError(parsed.static_errors)
        coerced = get_variable_values(
            self.schema,
            operation.variable_definitions or (),
            dict(variables or {}),
            max_errors=MAX_VARIABLE_ERRORS,
        )
        if isinstance(coerced, list):
            raise GraphQLRequestError(coerced)
        errors = check_cost(self.schema, parsed.document, operation, coerced.coerced, self.limits)
        if errors:
            raise GraphQLRequestError(errors)
        return CheckedOperation(parsed.document, operation, coerced.coerced)


def _name_token_limit(error: GraphQLError, limits: Limits) -> GraphQLError:
    """graphql-core's token error, reworded so it names the setting like the others."""
    if "tokens" not in error.message or "Parsing aborted" not in error.message:
        return error
    return GraphQLError(
        f"the document has more tokens than the limit of {limits.max_tokens}",
        extensions={"code": "TOO_MANY_TOKENS", "limit": limits.max_tokens},
    )
