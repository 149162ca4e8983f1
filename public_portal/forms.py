"""The anonymous forms' defences: a CSRF token (signed, tied to a cookie) and a honeypot.

Anonymous visitors have no session, so the hub's session-bound CSRF check
(``hub.auth.csrf``) lets their posts through. The portal's forms carry their
own token instead: the browser gets a random value in an ``HttpOnly``,
``SameSite=Lax`` cookie and the same value, signed with the server's key and
a time stamp, in a hidden field. A post is accepted when the field's
signature holds, it is not older than ``ttl_s`` and its value is the
cookie's: another site can make a browser send the cookie, not read it, and
cannot mint a signed field for a value it does not know.

The honeypot is a text field people never see (moved off-screen, hidden from
assistive technology, out of the tab order); form-filling robots fill it.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "portal_csrf"
FIELD = "portal_token"
HONEYPOT = "website"


class FormGuard:
    """Issues and checks the portal's form tokens."""

    def __init__(self, secret: str | bytes, *, ttl_s: int, secure_cookies: bool) -> None:
        self._signer = TimestampSigner(secret, salt="weibao-portal-csrf")
        self.ttl_s = ttl_s
        self.secure_cookies = secure_cookies

    def token(self, request: Request) -> tuple[str, str]:
        """The field value for a form on this page, and the cookie value to (re)set.

        The cookie is set again with each form so it outlives every token signed for it.
        """
        current = request.cookies.get(COOKIE)
        if current is None or not _well_formed(current):
            current = secrets.token_urlsafe(24)
        return self._signer.sign(current).decode(), current

    def set_cookie(self, response: Response, value: str) -> None:
        """Give the browser the cookie of :meth:`token`."""
        response.set_cookie(
            COOKIE,
            value,
            max_age=self.ttl_s,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies,
        )

    def valid(self, request: Request, field: str | None) -> bool:
        """Whether a posted ``field`` matches this browser's cookie and is fresh."""
        cookie = request.cookies.get(COOKIE)
        if not field or not _well_formed(cookie) or len(field) > 200:
            return False
        try:
            value = self._signer.unsign(field, max_age=self.ttl_s).decode()
        except (BadSignature, SignatureExpired):
            return False
        assert cookie is not None
        return hmac.compare_digest(value.encode(), cookie.encode())


def honeypot_filled(value: str | None) -> bool:
    """A person leaves the honeypot empty."""
    return bool(value and value.strip())


def _well_formed(value: str | None) -> bool:
    return value is not None and 16 <= len(value) <= 64 and value.isascii()
