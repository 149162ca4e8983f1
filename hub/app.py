"""The application factory: the one place where the parts are put together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.http.ides import get_graphql_ide_html

from graph import GraphConfig, GraphStore, migrate, open_graph
from graph.audit import AuditLog
from hub.audit_writer import AuditWriter
from hub.auth.backend import Directory, HubAuthBackend, on_auth_error
from hub.auth.clients import ClientRegistry
from hub.auth.csrf import CsrfMiddleware, ensure_token
from hub.auth.keys import KeyRing
from hub.auth.login import (
    Authenticator,
    LoginPolicy,
    login_routes,
    session_middleware,
    session_secret,
)
from hub.auth.oauth import oauth_routes
from hub.auth.revocations import Revocations
from hub.auth.tokens import TokenService
from hub.auth.users import UserDirectory, UserRecord
from hub.escalation import report_escalation
from hub.exports import export_routes
from hub.graphiql import local_graphiql, with_session_csrf
from hub.media import build_media
from hub.schedule import scheduled_syncs
from hub.settings import Settings
from hub.supervision_escalation import rectification_escalation
from public_portal import portal_routes
from schema import Context, GraphQLEndpoint, Limits, TrustedDocuments, build_schema
from schema.access import Principal
from schema.media import media_routes

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


def session_csrf_token(request: Request) -> str | None:
    """A signed-in visitor's session CSRF token: the portal's forms carry it for them."""
    return ensure_token(request.session) if "uid" in request.session else None


@dataclass
class HubState:
    """What lives for the app's lifetime."""

    store: GraphStore | None = None
    audit: AuditWriter | None = None


def create_app(settings: Settings, *, store: GraphStore | None = None) -> Starlette:
    """Build the ASGI app. With ``store`` given (tests), the app uses it as is."""
    state = HubState(store=store)

    def current_store() -> GraphStore:
        if state.store is None:
            raise RuntimeError("the graph is not open")
        return state.store

    def current_audit() -> AuditWriter:
        if state.audit is None:
            raise RuntimeError("the audit trail is not open")
        return state.audit

    schema = build_schema()
    media = build_media(settings)

    # Who may call: partner clients (OAuth 2.0) and people (login), one principal each.
    keys = KeyRing.load(settings.keys_dir)
    revocations = Revocations(current_store)  # tokens' jti and signed-out sessions' ids
    tokens = TokenService(
        keys,
        settings.issuer,
        settings.auth.audience,
        settings.auth.client_token_ttl_s,
        settings.auth.user_token_ttl_s,
        revocations,
    )
    clients = ClientRegistry(current_store)
    users = UserDirectory(current_store)
    authenticator = Authenticator(users, LoginPolicy.from_settings(settings))

    def issue_user_token(record: UserRecord) -> tuple[str, int]:
        issued = tokens.issue_user(record.id, record.username, record.role.value)
        return issued.token, issued.expires_in

    feedback_rules = settings.feedback.rules()

    def context(request: Request) -> Context:
        principal = request.user
        if not isinstance(principal, Principal):  # pragma: no cover - the middleware sets it
            raise RuntimeError("the request has no principal")
        return Context(
            store=current_store(),
            request=request,
            principal=principal,
            audit=current_audit(),
            request_id=request.headers.get("x-request-id") or uuid.uuid4().hex,
            break_glass_s=settings.auth.break_glass_s,
            report_ack_s=settings.reports.ack_window_s,
            feedback_rules=feedback_rules,
            blobs=media.blobs,
            photo_signer=media.signer,
            compile_queries=settings.graphql.compiled_queries,
        )

    def trusted_only(request: Request) -> bool:
        principal = request.user
        agreement = principal.agreement if isinstance(principal, Principal) else None
        return settings.graphql.trusted_documents_only or bool(agreement and agreement.trusted_only)

    local = local_graphiql() if settings.graphiql else None
    graphql = GraphQLEndpoint(
        schema,
        context,
        graphiql=settings.graphiql,
        graphiql_html=local[0] if local else with_session_csrf(get_graphql_ide_html("graphiql")),
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
        audit = state.audit
        # Near a full queue the writer is not keeping up: reads would soon be refused.
        audit_ok = audit is not None and audit.running and audit.pending < 0.9 * audit.max_queue
        body = {
            "status": "ok" if ok and audit_ok else "unavailable",
            # Reads of personal data are refused while the trail cannot take them.
            "audit": {
                "running": audit is not None and audit.running,
                "pending": audit.pending if audit else 0,
                "written": audit.written if audit else 0,
            },
        }
        return JSONResponse(body, status_code=200 if ok and audit_ok else 503)

    @contextlib.asynccontextmanager
    async def audited(opened: GraphStore) -> AsyncIterator[None]:
        # The writer closes (and flushes what it holds) before the graph closes.
        async with AuditWriter(AuditLog(opened)) as audit:
            state.store, state.audit = opened, audit
            try:
                yield
            finally:
                state.audit = None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if store is not None:
            async with audited(store):
                yield
            return
        async with open_graph(graph_config(settings)) as opened:
            applied = await migrate(opened)
            for name in applied:
                log.info("applied migration %s", name)
            try:
                async with (
                    audited(opened),
                    scheduled_syncs(settings, opened) as count,
                    report_escalation(settings, opened),
                    rectification_escalation(settings, opened),
                ):
                    if count:
                        log.info("%d sources sync on a schedule", count)
                    yield
            finally:
                state.store = None

    routes = [
        Route("/graphql", graphql),  # answers other methods itself (405, JSON)
        Route("/healthz", healthz),
        # Photos by signed link only: the link is the permission (see Visit.photos).
        *media_routes(media.blobs, media.signer),
        *oauth_routes(clients, tokens, keys),
        *login_routes(
            authenticator,
            users,
            issue_user_token,
            secure_cookies=not settings.is_dev,
            revoke_session=revocations.revoke,
            session_max_age_s=settings.auth.session_max_age_s,
        ),
        *portal_routes(
            schema,
            context,
            settings=settings.portal,
            secret=session_secret(settings),
            secure_cookies=not settings.is_dev,
            hub_token=session_csrf_token,
        ),
        *export_routes(schema, context),
        *(local[1] if local else []),
    ]
    middleware = [
        session_middleware(settings),  # signed cookie `weibao_session`, HttpOnly, SameSite
        # Cookie-authenticated unsafe requests carry the token; a signed-in visitor's
        # portal form may carry a photo, so it reads as large a form as the portal takes.
        Middleware(CsrfMiddleware, max_form_bytes=settings.portal.max_body_bytes),
        Middleware(
            AuthenticationMiddleware,
            backend=HubAuthBackend(
                tokens,
                Directory(clients=clients, users=users),
                revocations=revocations,
                totp_roles=frozenset(settings.auth.totp_roles)
                if settings.require_totp
                else frozenset(),
            ),
            on_error=on_auth_error,
        ),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
