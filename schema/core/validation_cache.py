"""Validation results cached by query text.

strawberry's ``ValidationCache`` keys its cache on the parsed document, and
graphql-core hashes a document by walking its whole syntax tree on every
lookup: ~45 µs a request for a child's file, as much as the rest of the
execution machinery. The parser cache already maps one text to one document,
so the text (with the rules in force) is the key here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import validate
from strawberry.extensions import SchemaExtension

MAXSIZE = 512
_RESULTS: OrderedDict[tuple[str, tuple[Any, ...]], list[Any]] = OrderedDict()


class TextValidationCache(SchemaExtension):
    """Validates a query text once per set of rules (a bounded LRU cache)."""

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.query is not None and ec.graphql_document is not None:
            rules = tuple(ec.validation_rules)
            key = (ec.query, rules)
            errors = _RESULTS.get(key)
            if errors is None:
                errors = validate(ec.schema._schema, ec.graphql_document, rules)
                _RESULTS[key] = errors
                if len(_RESULTS) > MAXSIZE:
                    _RESULTS.popitem(last=False)
            else:
                _RESULTS.move_to_end(key)
            ec.pre_execution_errors = errors
        yield
