"""What the stand-in endpoints share: sorted listings, ``updated_since``, faults, JSON answers.

Each endpoint builds a :class:`Page` (the body, the list of records inside it,
extra headers); :func:`endpoint` wraps that with the platform's faults and
authentication in the order a real deployment has them: the gateway's rate
limit and outages first, then the token check, then the application.
"""

from __future__ import annotations

import asyncio
import json
from bisect import bisect_left, bisect_right
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from connectors.standins.faults import Fault
from connectors.standins.state import StandinState

CST = timezone(timedelta(hours=8))
Record = dict[str, Any]
Key = tuple[datetime, str]


def instant(text: str) -> datetime:
    """An ISO 8601 time (``T`` or a space; an offset or Beijing time); ``ValueError`` if not."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CST)


class BadRequest(Exception):
    """A 400 answer with the platform's error body."""

    def __init__(self, body: Any) -> None:
        super().__init__(body)
        self.body = body


class Listing:
    """An endpoint's records in ascending (cursor, id) order, as the platforms promise."""

    def __init__(self, records: list[Record], id_field: str, cursor_field: str) -> None:
        keyed = sorted(
            (((instant(str(r[cursor_field])), str(r[id_field])), r) for r in records),
            key=lambda pair: pair[0],
        )
        self.keys: list[Key] = [k for k, _ in keyed]
        self.records: list[Record] = [r for _, r in keyed]
        self.id_field = id_field

    @classmethod
    def load(cls, path: Path, id_field: str, cursor_field: str) -> Listing:
        return cls(json.loads(path.read_text(encoding="utf-8")), id_field, cursor_field)

    def start(self, since: str | None) -> int:
        """Index of the first record updated at or after ``since`` (inclusive)."""
        if not since:
            return 0
        return bisect_left(self.keys, (instant(since), ""))

    def after(self, key: Key) -> int:
        """Index of the first record strictly after ``key`` (keyset paging)."""
        return bisect_right(self.keys, key)


def int_param(request: Request, name: str, default: int, low: int, bad: Any) -> int:
    """An integer query parameter ≥ ``low``; a 400 with ``bad`` otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(bad) from None
    if value < low:
        raise BadRequest(bad)
    return value


@dataclass
class Page:
    body: Any
    items: list[Any]
    headers: dict[str, str] = field(default_factory=dict)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(
        text.encode("utf-8"),
        status_code=status,
        media_type="application/json; charset=utf-8",
        headers=headers,
    )


Build = Callable[[Request], Page]
Check = Callable[[Request], Awaitable[Response | None]]


def endpoint(
    state: StandinState, system: str, check: Check, build: Build
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint: faults, then ``check`` (auth), then ``build``."""

    async def handle(request: Request) -> Response:
        faults = state.faults_of(system)
        fault = faults.next_request()
        if fault is Fault.RATE_LIMITED:
            return json_response(
                {"code": 429, "message": "请求过于频繁，请稍后再试"},
                429,
                {"Retry-After": str(faults.retry_after_s)},
            )
        if fault is Fault.UNAVAILABLE:
            when = datetime.now(UTC) + timedelta(seconds=faults.retry_after_s)
            return Response(
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                503,
                media_type="text/html",
                headers={"Retry-After": format_datetime(when, usegmt=True)},
            )
        denied = await check(request)
        if denied is not None:
            return denied
        try:
            page = build(request)
        except BadRequest as exc:
            return json_response(exc.body, 400)
        if fault is Fault.ERROR:
            return json_response({"code": 500, "message": "系统繁忙，请稍后重试"}, 500)
        if fault is Fault.SLOW:
            await asyncio.sleep(faults.slow_s)
        if fault is Fault.JUNK_RECORD:
            page.items.insert(len(page.items) // 2, None)
        text = json.dumps(page.body, ensure_ascii=False)
        if fault is Fault.MALFORMED:
            text = text[: len(text) // 2]
        return Response(
            text.encode("utf-8"),
            media_type="application/json; charset=utf-8",
            headers=page.headers,
        )

    return handle


def bearer_check(token: Callable[[], str], realm: str) -> Check:
    """A static-token check (the token is read from the state at each request)."""

    async def check(request: Request) -> Response | None:
        if request.headers.get("authorization") == f"Bearer {token()}":
            return None
        return json_response(
            {"code": 401, "message": "未授权：令牌无效或已过期"},
            401,
            {"WWW-Authenticate": f'Bearer realm="{realm}", error="invalid_token"'},
        )

    return check
