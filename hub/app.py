"""The application factory: the one place where the parts are put together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from graph import GraphConfig, GraphStore, migrate, open_graph
from hub.graphiql import local_graphiql
from hub.settings import Settings
from public_portal import portal_routes
from schema import Context, GraphQLEndpoint, Limits, TrustedDocuments, build_schema

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 2.0


def graph_config(settings: Settings) -> GraphConfig:
    """The graph section of the settings, as the graph layer takes it."""
    g = settings.graph
    return GraphConfig(
        uri=g.uri,
        data_dir=settings.data_dir,
        user=g.user,
        password=g.password.get_secret_value() if g.password else None,
        database=g.database,
        max_connections=g.max_connections,
        query_timeout_ms=g.query_timeout_ms,
    )


def graphql_limits(settings: Settings) -> Limits:
    """The graphql section of the settings, as the endpoint takes it."""
    g = settings.graphql
    return Limits(
        max_depth=g.max_depth,
        max_aliases=g.max_aliases,
        max_tokens=g.max_tokens,
        max_cost=g.max_cost,
        introspection=settings.introspection,
        max_body_bytes=g.max_body_bytes,
        max_batch=g.max_batch,
        timeout_s=g.timeout_s,
    )


@dataclass
class HubState:
    """What lives for the app's lifetime."""

    store: GraphStore | None = None


def create_app(settings: Settings, *, store: GraphStore | None = None) -> Starlette:
    """Build the ASGI app. With ``store`` given (tests), the app uses it as is."""
    state = HubState(store=store)

    def current_store() -> GraphStore:
        if state.store is None:
            raise RuntimeError("the graph is not open")
        return state.store

    schema = build_schema()

    def context(request: Request) -> Context:
        return Context(store=current_store(), request=request)

    def trusted_only(request: Request) -> bool:
        # Until authentication lands, one switch for every client; then the
        # principal in request.scope["auth"] decides.
        return settings.graphql.trusted_documents_only

    local = local_graphiql() if settings.graphiql else None
    graphql = GraphQLEndpoint(
        schema,
        context,
        graphiql=settings.graphiql,
        graphiql_html=local[0] if local else None,
        limits=graphql_limits(settings),
        documents=TrustedDocuments.load(),
        trusted_only=trusted_only,
    )

    async def healthz(request: Request) -> JSONResponse:
        # A hung graph must not hang the probe: it answers within the timeout or is down.
        try:
            ok = state.store is not None and await asyncio.wait_for(
                state.store.ping(), HEALTH_TIMEOUT_S
            )
        except TimeoutError:
            ok = False
        if ok:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable"}, status_code=503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        async with open_graph(graph_config(settings)) as opened:
            applied = await migrate(opened)
            for name in applied:
                log.info("applied migration %s", name)
            state.store = opened
            try:
                yield
            finally:
                state.store = None

    routes = [
        Route("/graphql", graphql),  # answers other methods itself (405, JSON)
        Route("/healthz", healthz),
        *portal_routes(schema, context),
        *(local[1] if local else []),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
