"""Authentication: partner clients (OAuth 2.0), people (login), tokens, the principal.

* :class:`KeyRing` (ES256 signing keys, rotation, JWKS), :class:`TokenService`
  (RFC 9068 access tokens) with :class:`Revocations`;
* :class:`ClientRegistry` (partner agencies and their agreements) and
  :func:`oauth_routes` (``/oauth/token``, ``/oauth/revoke``, JWKS, metadata);
* :class:`UserDirectory` and :class:`Authenticator` (people's accounts, login
  policy) with :func:`login_routes` and :class:`CsrfMiddleware`;
* :class:`HubAuthBackend`: every request's principal, for Starlette's
  authentication middleware.
"""

from __future__ import annotations

from hub.auth.backend import Directory, HubAuthBackend, on_auth_error
from hub.auth.clients import ClientRecord, ClientRegistry
from hub.auth.csrf import CsrfMiddleware
from hub.auth.errors import AuthError, Forbidden, InvalidCredentials, InvalidToken, LoginThrottled
from hub.auth.keys import KeyRing
from hub.auth.login import Authenticator, LoginPolicy, login_routes, session_middleware
from hub.auth.oauth import oauth_routes
from hub.auth.revocations import Revocations
from hub.auth.tokens import AccessToken, Claims, TokenService
from hub.auth.users import UserDirectory, UserRecord

__all__ = [
    "AccessToken",
    "AuthError",
    "Authenticator",
    "Claims",
    "ClientRecord",
    "ClientRegistry",
    "CsrfMiddleware",
    "Directory",
    "Forbidden",
    "HubAuthBackend",
    "InvalidCredentials",
    "InvalidToken",
    "KeyRing",
    "LoginPolicy",
    "LoginThrottled",
    "Revocations",
    "TokenService",
    "UserDirectory",
    "UserRecord",
    "login_routes",
    "oauth_routes",
    "on_auth_error",
    "session_middleware",
]
