"""The one GraphQL schema of the hub, organised by domain.

Public API: :func:`build_schema`, :class:`Context`; the HTTP endpoint
:class:`GraphQLEndpoint` with its :class:`Limits` and
:class:`TrustedDocuments`; :class:`PublicError`, the root of errors a client
may read (everything else is masked).
"""

from __future__ import annotations

from schema.build import build_schema
from schema.context import Context
from schema.documents import TrustedDocuments, document_id
from schema.errors import PublicError, SchemaError
from schema.http import GraphQLEndpoint
from schema.safety import Limits

__all__ = [
    "Context",
    "GraphQLEndpoint",
    "Limits",
    "PublicError",
    "SchemaError",
    "TrustedDocuments",
    "build_schema",
    "document_id",
]
