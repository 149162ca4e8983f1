"""The exceptions of :mod:`hub.auth`; their messages are safe to show to the caller."""

from __future__ import annotations


class AuthError(Exception):
    """Root of authentication errors."""

    status_code = 401

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidToken(AuthError):
    """A bearer token that is malformed, expired, revoked, for another audience or unsigned."""


class InvalidCredentials(AuthError):
    """Wrong user name, password, second factor or client secret (never says which)."""


class LoginThrottled(AuthError):
    """Too many failed logins: wait ``retry_after`` seconds (backoff or lockout)."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(AuthError):
    """Authenticated, but not allowed (e.g. a purpose outside one's agreement)."""

    status_code = 403
