"""Cross-site request forgery: a synchroniser token kept in the signed session.

A browser attaches the session cookie to any request, also one a hostile
page makes; an unsafe request (POST, PUT, PATCH, DELETE) made with a signed-in
session must therefore prove it comes from our own pages by echoing the
session's ``csrf`` token: in the ``X-CSRF-Token`` header (scripts, GraphiQL)
or, for HTML forms, in a ``csrf_token`` field. :class:`CsrfMiddleware` checks
that for every route at once, so a new form or endpoint cannot forget it.

Requests without a signed-in session pass: bearer-token clients (no cookie)
and anonymous visitors have nothing a forgery could borrow. The login form is
the exception (login CSRF signs a victim into the attacker's account); its
handler checks the same token itself, put in the session by ``GET /login``.

Why not ``starlette-csrf``: it implements the double-submit *cookie* pattern
and reads the token from a header only, so plain HTML forms (login, logout)
could not pass it without JavaScript, and it adds a second cookie that a
sibling subdomain could overwrite. The token here lives inside the signed
session cookie, which nobody can forge, and the middleware is small.

Form bodies: to read the field without taking the body from the app, the
middleware buffers the body (at most ``max_form_bytes``; larger: 413) and
replays it to the app. It does so only for signed-in unsafe form posts
without the header, so uploads by anonymous visitors stream as before.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
HEADER = "x-csrf-token"
FIELD = "csrf_token"
#: The session key of the token (beside ``uid``, ``iat``, ``mfa``).
SESSION_KEY = "csrf"
MESSAGE = "CSRF token missing or invalid"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def ensure_token(session: dict[str, Any]) -> str:
    """The session's token, made (and stored in the session) if it has none."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = new_token()
        session[SESSION_KEY] = token
    return token


def token_matches(session: Mapping[str, Any], supplied: str | None) -> bool:
    """Constant-time comparison of a supplied token with the session's."""
    expected = session.get(SESSION_KEY)
    if not isinstance(expected, str) or not expected or not supplied:
        return False
    return hmac.compare_digest(expected.encode(), supplied.encode())


class CsrfMiddleware:
    """Refuse (403) unsafe requests of a signed-in session without its token.

    Must run inside Starlette's ``SessionMiddleware`` (it reads
    ``scope["session"]``).
    """

    def __init__(self, app: ASGIApp, *, max_form_bytes: int = 1024 * 1024) -> None:
        self.app = app
        self.max_form_bytes = max_form_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if "session" not in scope:
            raise RuntimeError("CsrfMiddleware must run inside SessionMiddleware")
        session: dict[str, Any] = scope["session"]
        if "uid" not in session:  # not cookie-authenticated: nothing to forge
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        supplied = headers.get(HEADER)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if supplied is None and content_type in FORM_TYPES:
            body = await _read_body(receive, self.max_form_bytes)
            if body is None:
                await _plain(send, 413, "Request body too large")
                return
            receive = _replay(body, receive)
            supplied = await _form_field(scope, body)
        if not token_matches(session, supplied):
            await _refuse(scope, send)
            return
        await self.app(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _form_field(scope: Scope, body: bytes) -> str | None:
    request = Request(scope, _replay(body, _disconnected))
    try:
        form = await request.form(max_fields=100)
    except (HTTPException, MultiPartException, ValueError):  # malformed: no token
        return None
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


async def _disconnected() -> Message:
    return {"type": "http.disconnect"}


def _wants_json(scope: Scope) -> bool:
    headers = Headers(scope=scope)
    content_type = headers.get("content-type", "").lower()
    accept = headers.get("accept", "").lower()
    return any(kind in content_type or kind in accept for kind in ("json", "graphql"))


async def _refuse(scope: Scope, send: Send) -> None:
    if _wants_json(scope):
        body = json.dumps({"errors": [{"message": MESSAGE}]}).encode()
        await _send(send, 403, body, b"application/json")
    else:
        await _plain(send, 403, MESSAGE)


async def _plain(send: Send, status: int, text: str) -> None:
    await _send(send, status, text.encode(), b"text/plain; charset=utf-8")


async def _send(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
