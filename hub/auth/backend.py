"""From a request to its principal: Starlette's authentication backend of the hub.

A bearer token (partner client or program app) or, failing that, the session
cookie of a person who logged in; else the anonymous public. The principal
carries the roles, regions, purposes and agreement the schema's policy reads;
``schema`` and ``public_portal`` never authenticate anyone themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

from hub.auth.clients import ClientRecord
from hub.auth.errors import AuthError, Forbidden, InvalidToken
from hub.auth.revocations import Revocations
from hub.auth.tokens import Claims, TokenService
from hub.auth.users import UserRecord
from schema.access import ANONYMOUS, DEFAULT_PURPOSE, Agreement, Principal, Role

PURPOSE_HEADER = "weibao-purpose"
OAUTH_PATHS = ("/oauth/",)


class Clients(Protocol):
    async def get(self, client_id: str) -> ClientRecord | None: ...


class Users(Protocol):
    async def get_by_id(self, user_id: str) -> UserRecord | None: ...


class Refused(AuthenticationError):
    """Authentication failed (401) or the stated purpose is not the caller's (403)."""

    def __init__(self, error: AuthError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class Directory:
    """Where the backend finds clients and users: set once the graph is open."""

    clients: Clients | None = None
    users: Users | None = None


class HubAuthBackend(AuthenticationBackend):
    def __init__(
        self,
        tokens: TokenService,
        directory: Directory,
        *,
        totp_roles: frozenset[str] = frozenset(),
        revocations: Revocations | None = None,
    ) -> None:
        self.tokens = tokens
        self.directory = directory
        self.totp_roles = totp_roles
        self.revocations = revocations

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, Principal]:
        if conn.url.path.startswith(OAUTH_PATHS):
            # The OAuth endpoints authenticate clients themselves (HTTP Basic, form).
            return AuthCredentials(), ANONYMOUS
        purpose = conn.headers.get(PURPOSE_HEADER) or None
        header = conn.headers.get("authorization")
        try:
            if header is not None:
                principal = await self._bearer(header, purpose)
            else:
                principal = await self._session(conn, purpose)
        except AuthError as exc:
            raise Refused(exc) from exc
        scopes = ["authenticated"] if principal.is_authenticated else []
        return AuthCredentials(scopes), principal

    async def _bearer(self, header: str, purpose: str | None) -> Principal:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("use `Authorization: Bearer <access token>`")
        claims = await self.tokens.validate(token.strip())
        if claims.kind == "client":
            return await self._client(claims, purpose)
        user = await self._user(claims.sub)
        if user is None or not _fresh(user, claims.iat * 1000):
            raise InvalidToken("the token's account is disabled or its password was changed")
        return user_principal(user, purpose, token_id=claims.jti)

    async def _client(self, claims: Claims, purpose: str | None) -> Principal:
        clients = self.directory.clients
        record = None if clients is None else await clients.get(claims.client_id)
        if record is None or record.disabled:
            raise InvalidToken("the client is disabled")
        allowed = tuple(record.purposes)
        if purpose is not None and purpose not in allowed:
            raise Forbidden(f"purpose `{purpose}` is outside the agreement: {', '.join(allowed)}")
        if purpose is None and len(allowed) == 1:
            purpose = allowed[0]
        agreement = Agreement(
            client_id=record.client_id,
            name=record.name,
            types=frozenset(record.types),
            fields=frozenset(record.fields),
            regions=tuple(record.regions),
            purposes=allowed,
            scopes=tuple(claims.scope),
            trusted_only=record.trusted_only,
        )
        return Principal(
            kind="client",
            subject=record.client_id,
            name=record.client_id,
            role=Role.PARTNER,
            regions=tuple(record.regions),
            purposes=allowed,
            purpose=purpose,
            agreement=agreement,
            token_id=claims.jti,
        )

    async def _session(self, conn: HTTPConnection, purpose: str | None) -> Principal:
        session: dict[str, Any] = conn.scope.get("session") or {}
        uid = session.get("uid")
        if not isinstance(uid, str):
            return ANONYMOUS
        user = await self._user(uid)
        issued = session.get("iat")
        sid = session.get("sid")
        if (
            user is None
            or not isinstance(sid, str)
            or (
                self.revocations is not None and await self.revocations.is_revoked(f"session:{sid}")
            )
            or not isinstance(issued, int)
            or not _fresh(user, issued)
            or (user.role in self.totp_roles and not session.get("mfa"))
        ):
            session.clear()  # a stale session is dropped, the request goes on as public
            return ANONYMOUS
        return user_principal(user, purpose)

    async def _user(self, user_id: str) -> UserRecord | None:
        users = self.directory.users
        user = None if users is None else await users.get_by_id(user_id)
        return None if user is None or user.disabled else user


def _fresh(user: UserRecord, issued_ms: int) -> bool:
    """Sessions and tokens issued before the last password change are void."""
    changed = user.password_changed_at or 0
    # Token `iat` has second precision: allow the second of the change itself.
    return issued_ms >= changed - 999


def user_principal(user: UserRecord, purpose: str | None, token_id: str | None = None) -> Principal:
    """The principal of a person's account."""
    role = Role(user.role)
    allowed = tuple(user.purposes) or (DEFAULT_PURPOSE[role],)
    if purpose is not None and purpose not in allowed:
        raise Forbidden(f"purpose `{purpose}` is not one of this account's: {', '.join(allowed)}")
    return Principal(
        kind="user",
        subject=user.id,
        name=user.username,
        role=role,
        regions=tuple(user.regions),
        purposes=allowed,
        purpose=purpose or allowed[0],
        person_id=user.person_id,
        token_id=token_id,
        # A center admin's break-the-glass grants are loaded by the schema when needed.
        grants=None if role is Role.CENTER_ADMIN else {},
    )


def on_auth_error(conn: HTTPConnection, exc: Exception) -> Response:
    """401 with ``WWW-Authenticate`` (RFC 6750) or 403, as a GraphQL-shaped JSON error."""
    error = exc.error if isinstance(exc, Refused) else InvalidToken(str(exc))
    headers = {}
    if error.status_code == 401:
        description = error.message.replace('"', "'")
        headers["WWW-Authenticate"] = (
            f'Bearer realm="weibao-hub", error="invalid_token", error_description="{description}"'
        )
    return JSONResponse(
        {
            "errors": [
                {
                    "message": error.message,
                    "extensions": {
                        "code": "UNAUTHENTICATED" if error.status_code == 401 else "FORBIDDEN"
                    },
                }
            ]
        },
        status_code=error.status_code,
        headers=headers,
    )
