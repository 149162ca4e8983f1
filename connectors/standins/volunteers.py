"""Stand-in of the volunteer service platform: ``/volunteer/api/{volunteers,teams,service-hours}``.

OAuth 2.0 client credentials at ``POST /volunteer/oauth/token`` (client
authentication by HTTP Basic or in the form body); the tokens expire after
``token_ttl_s`` or ``token_max_uses`` requests and an expired token gets a
401, so clients must fetch a new one. Cursor paging: ``limit`` (at most 100),
an opaque ``cursor``, ``next_cursor`` in the body (``null`` at the end), over
ascending ``update_time`` then id, with ``updated_since`` inclusive. Body:
``{"success": true, "data": [...], "next_cursor": "…"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from connectors.standins._http import (
    BadRequest,
    Build,
    Check,
    Key,
    Listing,
    Page,
    endpoint,
    int_param,
    json_response,
)
from connectors.standins.state import StandinState

SYSTEM = "volunteers"
PREFIX = "/volunteer"
MAX_LIMIT = 100
_LISTINGS = {
    "volunteers": ("volunteers.json", "volunteer_id"),
    "teams": ("teams.json", "team_id"),
    "service-hours": ("service_hours.json", "record_id"),
}


def _encode(key: Key) -> str:
    raw = json.dumps([key[0].isoformat(), key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> Key:
    try:
        moment, record_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(moment), str(record_id)
    except (ValueError, TypeError, binascii.Error):
        raise BadRequest({"success": False, "error": "invalid cursor"}) from None


def _pager(listing: Listing) -> Build:
    def build(request: Request) -> Page:
        limit = min(
            int_param(request, "limit", 20, 1, {"success": False, "error": "invalid limit"}),
            MAX_LIMIT,
        )
        try:
            start = listing.start(request.query_params.get("updated_since"))
        except ValueError:
            raise BadRequest({"success": False, "error": "invalid updated_since"}) from None
        cursor = request.query_params.get("cursor")
        if cursor:
            start = max(start, listing.after(_decode(cursor)))
        items = listing.records[start : start + limit]
        more = start + limit < len(listing.records)
        next_cursor = _encode(listing.keys[start + limit - 1]) if more else None
        return Page({"success": True, "data": items, "next_cursor": next_cursor}, items)

    return build


class TokenIssuer:
    """Issues and checks short-lived opaque tokens (thread-safe: tests read from another thread)."""

    def __init__(self, state: StandinState) -> None:
        self._state = state
        self._tokens: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def _client_ok(self, request: Request, form: dict[str, str]) -> bool:
        state = self._state
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            try:
                pair = base64.b64decode(header[6:], validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return False
            client_id, _, secret = pair.partition(":")
            client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return secrets.compare_digest(client_id, state.volunteer_client_id) and (
            secrets.compare_digest(secret, state.volunteer_client_secret)
        )

    async def token(self, request: Request) -> Response:
        async with request.form() as raw:
            form = {k: v for k, v in raw.items() if isinstance(v, str)}
        no_store = {"Cache-Control": "no-store"}
        if not self._client_ok(request, form):
            return json_response(
                {"error": "invalid_client"},
                401,
                {**no_store, "WWW-Authenticate": 'Basic realm="volunteer"'},
            )
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400, no_store)
        token = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            ttl = self._state.token_ttl_s
            self._tokens = {t: v for t, v in self._tokens.items() if now - v[0] < ttl}
            self._tokens[token] = (now, 0)
        body = {"access_token": token, "token_type": "Bearer", "expires_in": int(ttl)}
        return json_response(body, 200, no_store)

    async def check(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        state = self._state
        with self._lock:
            issued = self._tokens.get(token)
            if issued is not None:
                at, uses = issued
                expired = time.monotonic() - at >= state.token_ttl_s or (
                    state.token_max_uses and uses >= state.token_max_uses
                )
                if expired:
                    del self._tokens[token]
                    issued = None
                else:
                    self._tokens[token] = (at, uses + 1)
        if issued is not None:
            return None
        return json_response(
            {"success": False, "error": "token expired or invalid"},
            401,
            {"WWW-Authenticate": 'Bearer realm="volunteer", error="invalid_token"'},
        )


def routes(state: StandinState, data_dir: Path) -> list[BaseRoute]:
    """The token endpoint and the three listings, served from ``data_dir/volunteers``."""
    issuer = TokenIssuer(state)
    check: Check = issuer.check
    out: list[BaseRoute] = [Route(f"{PREFIX}/oauth/token", issuer.token, methods=["POST"])]
    for name, (file, id_field) in _LISTINGS.items():
        listing = Listing.load(data_dir / SYSTEM / file, id_field, "update_time")
        out.append(Route(f"{PREFIX}/api/{name}", endpoint(state, SYSTEM, check, _pager(listing))))
    return out
