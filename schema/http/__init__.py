"""GraphQL over HTTP: the endpoint, its content negotiation and its status codes.

Public API: :class:`GraphQLEndpoint` (an ASGI app) and the two response media
types. See :mod:`schema.http._endpoint` for the request flow and
:mod:`schema.http._responses` for the status codes.
"""

from __future__ import annotations

from schema.http._endpoint import GraphQLEndpoint, nobody
from schema.http._negotiation import GRAPHQL_RESPONSE_JSON, JSON

__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "GraphQLEndpoint", "nobody"]
