"""The REST reader against ``httpx.MockTransport`` handlers that speak HTTP's semantics.

Fine-grained behaviour (which request is retried, how long it waits, what
becomes a reject) is easiest to pin with a handler per test; the end-to-end
reads over real HTTP are in ``tests/connectors/test_standins.py``.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from contextlib import aclosing
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.errors import ConfigError, SourceError
from connectors.kinds import rest
from connectors.kinds.rest import (
    BearerAuth,
    ClientCredentialsAuth,
    CursorPagination,
    LinkPagination,
    PagePagination,
    RestReadStats,
    RestSpec,
    RetryPolicy,
    cursor_key,
    read_rest,
)
from tests.support.memory import peak_of

BASE = "https://mz.example.gov.cn"
Handler = Callable[[httpx.Request], httpx.Response]
NO_JITTER = RetryPolicy(max_retries=3, backoff_base_s=0.5, jitter=0)


def spec(**changes: Any) -> RestSpec:
    settings: dict[str, Any] = {
        "base_url": BASE,
        "path": "/api/v1/visits",
        "pagination": PagePagination(page_size=2, total_path="data.total"),
        "records_path": "data.items",
        "since_param": "updated_since",
        "cursor_field": "updated_at",
        "retry": NO_JITTER,
    }
    settings.update(changes)
    return RestSpec(**settings)


def at(second: int) -> str:
    return f"2026-03-01T08:00:{second:02d}+08:00"


def visit(n: int) -> dict[str, Any]:
    return {"visit_id": f"V{n}", "updated_at": at(n)}


def paged(records: list[Any], size_param: str = "page_size") -> Handler:
    """A page-number endpoint over ``records`` with the total in the body."""

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        size = int(request.url.params[size_param])
        items = records[(page - 1) * size : page * size]
        return httpx.Response(200, json={"data": {"items": items, "total": len(records)}})

    return handle


class Sleeps:
    """A fake ``asyncio.sleep`` that records the waits and advances a fake clock."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1_800_000_000.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


async def read(
    the_spec: RestSpec,
    handler: Handler,
    since: str | None = None,
    sleeps: Sleeps | None = None,
    stats: RestReadStats | None = None,
) -> list[Extracted]:
    sleeps = sleeps or Sleeps()
    return [
        item
        async for item in read_rest(
            the_spec,
            since,
            transport=httpx.MockTransport(handler),
            sleep=sleeps,
            clock=sleeps.clock,
            stats=stats,
        )
    ]


def data(items: list[Extracted]) -> list[dict[str, Any]]:
    return [item.data for item in items if isinstance(item, RawRecord)]


# Pagination ------------------------------------------------------------------------------


async def test_page_numbers_stop_at_the_total_and_records_keep_their_location() -> None:
    seen: list[str] = []
    records = [visit(n) for n in range(5)]
    inner = paged(records)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return inner(request)

    got = await read(spec(), handle)
    assert data(got) == records
    assert seen == [f"{BASE}/api/v1/visits?page={p}&page_size=2" for p in (1, 2, 3)]
    assert got[0].location == "GET /api/v1/visits?page=1&page_size=2 #1"
    assert got[3].location == "GET /api/v1/visits?page=2&page_size=2 #2"


async def test_page_numbers_without_a_total_stop_at_the_first_empty_page() -> None:
    records = [visit(n) for n in range(4)]
    handler = paged(records)
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(int(request.url.params["page"]))
        response = handler(request)
        body = json.loads(response.content)
        del body["data"]["total"]
        return httpx.Response(200, json=body)

    got = await read(spec(pagination=PagePagination(page_size=2)), handle)
    assert data(got) == records
    assert calls == [1, 2, 3]


async def test_page_count_in_the_body_ends_the_read() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["pageNo"])
        return httpx.Response(200, json={"rows": [visit(page)], "pages": 3})

    pagination = PagePagination(
        page_param="pageNo", size_param="pageSize", page_size=1, total_pages_path="pages"
    )
    got = await read(spec(pagination=pagination, records_path="rows"), handle)
    assert [r["visit_id"] for r in data(got)] == ["V1", "V2", "V3"]


async def test_records_repeated_across_pages_are_passed_on_and_do_not_end_the_read_early() -> None:
    # The civil-affairs platform repeats the last record of a page at the top of the next.
    records = [visit(n) for n in range(5)]

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = records[(page - 1) * 2 : page * 2]
        if page > 1 and items:
            items = [records[(page - 1) * 2 - 1], *items]
        return httpx.Response(200, json={"data": {"items": items, "total": 5}})

    stats = RestReadStats()
    got = await read(spec(), handle, stats=stats)
    ids = [r["visit_id"] for r in data(got)]
    assert ids == ["V0", "V1", "V1", "V2", "V3", "V3", "V4"]
    assert stats.out_of_order == 0


async def test_cursor_pagination_follows_next_cursor_until_it_is_null() -> None:
    requests: list[dict[str, list[str]]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        query = parse_qs(request.url.query.decode())
        requests.append(query)
        cursor = query.get("cursor", ["0"])[0]
        start = int(cursor)
        nxt = str(start + 2) if start + 2 < 5 else None
        items = [visit(n) for n in range(start, min(start + 2, 5))]
        return httpx.Response(200, json={"success": True, "data": items, "next_cursor": nxt})

    the_spec = spec(pagination=CursorPagination(page_size=2), records_path="data")
    got = await read(the_spec, handle, since=at(0))
    assert [r["visit_id"] for r in data(got)] == [f"V{n}" for n in range(5)]
    assert [q.get("cursor") for q in requests] == [None, ["2"], ["4"]]
    assert all(q["updated_since"] == [at(0)] and q["limit"] == ["2"] for q in requests)


async def test_a_cursor_given_twice_is_a_loop_and_fails_the_read() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [visit(1)], "next_cursor": "same"})

    the_spec = spec(pagination=CursorPagination(), records_path="data")
    with pytest.raises(SourceError, match="same next_cursor again"):
        await read(the_spec, handle)


async def test_link_headers_are_followed_to_the_last_page() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        headers = {}
        if page < 3:
            headers["Link"] = (
                f'</api/v1/visits?page={page + 1}&per_page=1>; rel="next", '
                '</api/v1/visits?page=3&per_page=1>; rel="last"'
            )
        return httpx.Response(200, json=[visit(page)], headers=headers)

    the_spec = spec(pagination=LinkPagination(page_size=1), records_path="")
    got = await read(the_spec, handle)
    assert [r["visit_id"] for r in data(got)] == ["V1", "V2", "V3"]
    assert got[2].location == "GET /api/v1/visits?page=3&per_page=1 #1"


async def test_a_link_to_another_server_is_refused_so_the_token_does_not_leak() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        link = '<https://evil.example.com/steal?page=2>; rel="next"'
        return httpx.Response(200, json=[visit(1)], headers={"Link": link})

    the_spec = spec(
        pagination=LinkPagination(),
        records_path="",
        auth=BearerAuth(token=SecretStr("t0ken")),
    )
    with pytest.raises(SourceError, match="leaves the server"):
        await read(the_spec, handle)


async def test_max_pages_stops_a_listing_that_never_ends() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"items": [visit(1)]}})

    the_spec = spec(pagination=PagePagination(page_size=1), max_pages=4)
    with pytest.raises(SourceError, match="more than max_pages"):
        await read(the_spec, handle)


# Records, rejects and order --------------------------------------------------------------


async def test_a_record_that_is_not_an_object_is_a_reject_and_the_read_goes_on() -> None:
    records: list[Any] = [visit(1), None, "oops", visit(2)]
    got = await read(
        spec(pagination=PagePagination(page_size=4, total_path="data.total")), paged(records)
    )
    assert [type(item) for item in got] == [RawRecord, RawReject, RawReject, RawRecord]
    reject = got[2]
    assert isinstance(reject, RawReject)
    assert reject.location == "GET /api/v1/visits?page=1&page_size=4 #3"
    assert "not a JSON object" in reject.reason
    assert "oops" in reject.reason


async def test_a_record_without_a_usable_cursor_value_is_a_reject() -> None:
    records = [visit(1), {"visit_id": "V9", "updated_at": None}, {"visit_id": "V8"}, visit(2)]
    stats = RestReadStats()
    got = await read(
        spec(pagination=PagePagination(page_size=4, total_path="data.total")),
        paged(records),
        stats=stats,
    )
    rejects = [item for item in got if isinstance(item, RawReject)]
    assert [r.data for r in rejects] == [records[1], records[2]]
    assert all("no usable updated_at" in r.reason for r in rejects)
    assert (stats.records, stats.rejects) == (2, 2)


async def test_an_out_of_order_record_is_yielded_counted_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    records = [visit(1), visit(3), visit(2), visit(4), visit(0)]
    stats = RestReadStats()
    with caplog.at_level(logging.WARNING, logger="connectors.kinds.rest"):
        got = await read(
            spec(pagination=PagePagination(page_size=5, total_path="data.total")),
            paged(records),
            stats=stats,
        )
    assert data(got) == records
    assert stats.out_of_order == 2
    assert stats.first_out_of_order == "GET /api/v1/visits?page=1&page_size=5 #3"
    assert stats.max_cursor == at(4)
    assert "#3" in caplog.text


def test_cursor_values_compare_as_instants_numbers_or_text() -> None:
    assert cursor_key("2026-03-01T08:00:00+08:00") == cursor_key("2026-03-01T00:00:00Z")
    later = cursor_key("2026-03-01 08:00:01")
    earlier = cursor_key("2026-03-01 08:00:00")
    assert later is not None
    assert earlier is not None
    assert earlier < later
    assert cursor_key(17) == (0, 17)
    assert cursor_key("v-17") == (3, "v-17")
    assert cursor_key(None) is None
    assert cursor_key(True) is None
    assert cursor_key("  ") is None
    assert cursor_key({"a": 1}) is None


async def test_a_page_without_the_record_list_fails_the_read() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 0, "data": {"rows": []}})

    with pytest.raises(SourceError, match=r"expected a list of records at 'data.items'"):
        await read(spec(), handle)


async def test_since_is_sent_and_needs_a_since_param() -> None:
    seen: list[str | None] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params.get("updated_since"))
        return httpx.Response(200, json={"data": {"items": [], "total": 0}})

    assert await read(spec(), handle, since=at(7)) == []
    assert seen == [at(7)]
    with pytest.raises(ConfigError, match="since_param"):
        await read(spec(since_param=None), handle, since=at(7))


# Retries ---------------------------------------------------------------------------------


def flaky(*answers: httpx.Response | Exception, then: Handler) -> Handler:
    """Answers (or raises) ``answers`` in turn, then delegates to ``then``."""
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        if queue:
            answer = queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return then(request)

    return handle


ONE_PAGE = paged([visit(1), visit(2)])


async def test_429_waits_the_retry_after_seconds() -> None:
    sleeps = Sleeps()
    stats = RestReadStats()
    handler = flaky(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": "2"}),
        then=ONE_PAGE,
    )
    got = await read(spec(), handler, sleeps=sleeps, stats=stats)
    assert len(data(got)) == 2
    assert sleeps.waits == [7.0, 2.0]
    assert (stats.requests, stats.retries, stats.waited_s) == (3, 2, 9.0)


async def test_503_with_an_http_date_waits_until_that_date() -> None:
    sleeps = Sleeps()
    when = datetime.fromtimestamp(sleeps.now, UTC) + timedelta(seconds=30)
    handler = flaky(
        httpx.Response(503, headers={"Retry-After": format_datetime(when, usegmt=True)}),
        then=ONE_PAGE,
    )
    await read(spec(), handler, sleeps=sleeps)
    assert sleeps.waits == [pytest.approx(30.0)]


async def test_5xx_without_retry_after_backs_off_exponentially_then_succeeds() -> None:
    sleeps = Sleeps()
    handler = flaky(httpx.Response(500), httpx.Response(502), httpx.Response(504), then=ONE_PAGE)
    got = await read(spec(), handler, sleeps=sleeps)
    assert len(data(got)) == 2
    assert sleeps.waits == [0.5, 1.0, 2.0]


async def test_backoff_jitter_takes_off_at_most_its_fraction() -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(max_retries=6, backoff_base_s=1, backoff_max_s=8, jitter=0.5)
    handler = flaky(*[httpx.Response(500) for _ in range(6)], then=ONE_PAGE)
    await read(spec(retry=policy), handler, sleeps=sleeps)
    fulls = [1, 2, 4, 8, 8, 8]
    assert all(full / 2 <= wait <= full for wait, full in zip(sleeps.waits, fulls, strict=True))
    assert len(set(sleeps.waits)) > 1


async def test_retries_run_out_into_a_source_error_naming_the_status() -> None:
    sleeps = Sleeps()
    handler = flaky(*[httpx.Response(503, text="维护中") for _ in range(4)], then=ONE_PAGE)
    with pytest.raises(
        SourceError, match=r"answered 503 Service Unavailable after 4 attempts: 维护中"
    ):
        await read(spec(), handler, sleeps=sleeps)
    assert len(sleeps.waits) == 3


async def test_a_retry_after_beyond_the_limit_fails_at_once() -> None:
    sleeps = Sleeps()
    handler = flaky(httpx.Response(429, headers={"Retry-After": "3600"}), then=ONE_PAGE)
    with pytest.raises(SourceError, match="asking to wait 3600 s"):
        await read(spec(), handler, sleeps=sleeps)
    assert sleeps.waits == []


@pytest.mark.parametrize("status", [400, 403, 404, 422])
async def test_other_4xx_are_never_retried(status: int) -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, json={"code": status, "message": "参数错误：updated_since"})

    with pytest.raises(SourceError, match=rf"answered {status} .*参数错误：updated_since"):
        await read(spec(), handle)
    assert len(calls) == 1


async def test_timeouts_and_connection_errors_are_retried() -> None:
    sleeps = Sleeps()
    handler = flaky(
        httpx.ReadTimeout("slow"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("peer closed connection"),
        then=ONE_PAGE,
    )
    got = await read(spec(), handler, sleeps=sleeps)
    assert len(data(got)) == 2
    assert sleeps.waits == [0.5, 1.0, 2.0]


async def test_a_server_that_stays_down_is_a_source_error() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    with pytest.raises(SourceError, match="ConnectError after 4 attempts"):
        await read(spec(), handle)


async def test_a_page_that_is_not_json_is_fetched_once_more() -> None:
    half = httpx.Response(200, text='{"data": {"items": [{"visit_id": "V1", "upd')
    got = await read(spec(), flaky(half, then=ONE_PAGE))
    assert len(data(got)) == 2
    with pytest.raises(SourceError, match="not JSON, twice"):
        await read(spec(), flaky(half, half, then=ONE_PAGE))


# Authentication --------------------------------------------------------------------------


async def test_a_bearer_token_is_sent_and_a_401_is_final() -> None:
    seen: list[str | None] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(401, json={"message": "token无效"})

    with pytest.raises(SourceError, match="401 Unauthorized \\(the credentials were refused\\)"):
        await read(spec(auth=BearerAuth(token=SecretStr("s3cret"))), handle)
    assert seen == ["Bearer s3cret"]


class TokenServer:
    """An OAuth token endpoint and an API whose tokens serve ``uses`` requests each."""

    def __init__(self, uses: int, client_auth: str = "basic") -> None:
        self.uses = uses
        self.client_auth = client_auth
        self.issued: list[str] = []
        self.left: dict[str, int] = {}
        self.token_requests: list[httpx.Request] = []
        self.records = [visit(n) for n in range(6)]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.token_requests.append(request)
            token = f"tok{len(self.issued)}"
            self.issued.append(token)
            self.left[token] = self.uses
            return httpx.Response(
                200, json={"access_token": token, "token_type": "bearer", "expires_in": 60}
            )
        token = request.headers.get("authorization", "")[len("Bearer ") :]
        if self.left.get(token, 0) <= 0:
            return httpx.Response(401, json={"error": "invalid_token"})
        self.left[token] -= 1
        return paged(self.records)(request)


def client_credentials(**changes: Any) -> ClientCredentialsAuth:
    settings: dict[str, Any] = {
        "token_url": "/oauth/token",
        "client_id": "weibao hub",
        "client_secret": SecretStr("p@ss:word"),
        "scope": "read",
    }
    settings.update(changes)
    return ClientCredentialsAuth(**settings)


async def test_client_credentials_token_is_fetched_with_basic_auth_and_renewed_on_401() -> None:
    server = TokenServer(uses=1)
    stats = RestReadStats()
    got = await read(spec(auth=client_credentials()), server, stats=stats)
    assert len(data(got)) == 6
    assert server.issued == ["tok0", "tok1", "tok2"]
    assert stats.token_fetches == 3
    first = server.token_requests[0]
    assert first.method == "POST"
    assert parse_qs(first.content.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["read"],
    }
    basic = first.headers["authorization"].removeprefix("Basic ")
    # RFC 6749 §2.3.1: the id and secret are form-encoded before the Basic encoding.
    assert base64.b64decode(basic).decode() == "weibao+hub:p%40ss%3Aword"


async def test_client_secret_post_sends_the_credentials_in_the_form() -> None:
    server = TokenServer(uses=10)
    await read(spec(auth=client_credentials(client_auth="body", scope=None)), server)
    form = parse_qs(server.token_requests[0].content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["weibao hub"],
        "client_secret": ["p@ss:word"],
    }
    assert "authorization" not in server.token_requests[0].headers


async def test_a_401_right_after_a_fresh_token_is_final() -> None:
    server = TokenServer(uses=0)
    with pytest.raises(SourceError, match="401"):
        await read(spec(auth=client_credentials()), server)
    assert len(server.issued) == 2


async def test_a_refused_client_is_a_source_error_that_does_not_show_the_secret() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(SourceError) as caught:
        await read(spec(auth=client_credentials()), handle)
    assert "refused client 'weibao hub'" in str(caught.value)
    assert "p@ss" not in str(caught.value)


async def test_the_token_request_is_retried_like_a_page() -> None:
    server = TokenServer(uses=10)
    sleeps = Sleeps()
    handler = flaky(httpx.Response(503, headers={"Retry-After": "4"}), then=server)
    got = await read(spec(auth=client_credentials()), handler, sleeps=sleeps)
    assert len(data(got)) == 6
    assert sleeps.waits == [4.0]


# Settings ------------------------------------------------------------------------------


def test_the_public_api_is_pinned() -> None:
    assert rest.__all__ == [
        "BearerAuth",
        "ClientCredentialsAuth",
        "CursorPagination",
        "LinkPagination",
        "PagePagination",
        "RestReadStats",
        "RestSpec",
        "RetryPolicy",
        "cursor_key",
        "read_rest",
    ]


def test_spec_refuses_unknown_settings_and_bad_urls() -> None:
    with pytest.raises(ValidationError, match="extra"):
        spec(page_size=10)
    with pytest.raises(ValidationError, match="absolute http"):
        spec(base_url="ftp://example.com")
    with pytest.raises(ValidationError, match="below base_url"):
        spec(path="/visits?page=1")
    assert spec(base_url=BASE + "/", path="api/v1/visits").url == BASE + "/api/v1/visits"


def test_secrets_do_not_show_in_the_spec() -> None:
    shown = repr(spec(auth=client_credentials()))
    assert "p@ss" not in shown


# Streaming -------------------------------------------------------------------------------


def generating(pages: int, size: int = 100) -> Handler:
    """``pages`` pages of ``size`` records, the same bytes each time (serving costs nothing)."""
    items = [{"id": i, "updated_at": 1} for i in range(size)]
    full = json.dumps({"data": {"items": items, "total": pages * size}}).encode()
    empty = json.dumps({"data": {"items": [], "total": pages * size}}).encode()

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=full if int(request.url.params["page"]) <= pages else empty
        )

    return handle


async def count_reading(pages: int) -> int:
    the_spec = spec(pagination=PagePagination(page_size=100, total_path="data.total"))
    count = 0
    async with aclosing(
        read_rest(the_spec, transport=httpx.MockTransport(generating(pages)))
    ) as records:
        async for _ in records:
            count += 1
    return count


def peak_reading(pages: int) -> tuple[int, int]:
    peak, count = peak_of(
        "import asyncio\nfrom tests.connectors.kinds.test_rest import count_reading\n"
        "asyncio.run(count_reading(2))  # warm up: imports, caches",
        "asyncio.run(count_reading(int(sys.argv[1])))",
        str(pages),
    )
    return count, peak


def test_memory_does_not_grow_with_the_number_of_pages() -> None:
    small_count, small_peak = peak_reading(200)
    large_count, large_peak = peak_reading(2000)
    assert (small_count, large_count) == (20_000, 200_000)
    assert large_peak <= 1.5 * small_peak, (small_peak, large_peak)
