"""The GraphQL HTTP endpoint (strawberry's ASGI view) with our context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL

from graph import GraphStore
from schema.context import Context


class GraphQLEndpoint(GraphQL[Context, None]):
    """Builds a fresh :class:`Context` per request from the app's store."""

    def __init__(
        self,
        schema: strawberry.Schema,
        store: Callable[[], GraphStore],
        *,
        graphiql: bool,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._store = store

    async def get_context(self, request: Request | Any, response: Response | Any) -> Context:
        return Context(store=self._store(), request=request)
