"""The one GraphQL schema of the hub, organised by domain.

Public API: :func:`build_schema`, :class:`Context`, :class:`GraphQLEndpoint`.
"""

from __future__ import annotations

from schema.build import build_schema
from schema.context import Context
from schema.http import GraphQLEndpoint

__all__ = ["Context", "GraphQLEndpoint", "build_schema"]
