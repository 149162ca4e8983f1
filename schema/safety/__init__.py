"""Query safety: every refusal happens here or in the HTTP layer, before the graph.

Public API: :class:`Limits`, :class:`QueryGuard` (parse → validate → coerce →
cost, raising :class:`~schema.errors.GraphQLRequestError`),
:class:`ParsedDocument`, :class:`CheckedOperation`, the validation-rule
factories and :func:`check_cost`, and error masking
(:func:`should_mask_error`, :func:`mask_errors`), and
:class:`ReuseCheckedDocument` with :func:`checked_document` / :func:`install`,
which spare ``schema.execute`` a second parse and validation. Every refusal message names
the limit it hit, e.g. "query depth 20 exceeds the limit of 16".
"""

from __future__ import annotations

from schema.safety._aliases import alias_rule
from schema.safety._cost import check_cost, cost_rule, is_connection
from schema.safety._depth import depth_rule
from schema.safety._guard import CheckedOperation, ParsedDocument, QueryGuard
from schema.safety._introspection import NoIntrospectionRule
from schema.safety._limits import MIB, Limits
from schema.safety._masking import MASKED_MESSAGE, mask_errors, should_mask_error
from schema.safety._reuse import ReuseCheckedDocument, checked_document, install

__all__ = [
    "MASKED_MESSAGE",
    "MIB",
    "CheckedOperation",
    "Limits",
    "NoIntrospectionRule",
    "ParsedDocument",
    "QueryGuard",
    "ReuseCheckedDocument",
    "alias_rule",
    "check_cost",
    "checked_document",
    "cost_rule",
    "depth_rule",
    "install",
    "is_connection",
    "mask_errors",
    "should_mask_error",
]
