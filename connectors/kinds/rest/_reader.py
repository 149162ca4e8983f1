"""Reading an endpoint page by page into records, as an async generator.

One page is in memory at a time, so a listing of any length is read in
constant memory. Each record keeps its location: the request that returned it
and its 1-based index in the page, ``"GET /scas/api/v1/visits?page=3&page_size=100 #5"``.

What becomes what:

- a JSON object in the record list → :class:`RawRecord`;
- anything else in the list (a string, ``null``), or an object without a
  usable cursor value when ``cursor_field`` is set → :class:`RawReject`, and the
  read goes on;
- a record whose cursor value is below the previous record's → still a
  :class:`RawRecord` (dropping it would lose data), counted in
  :attr:`RestReadStats.out_of_order` and logged as a warning;
- a page whose body is not JSON → fetched once more, then :class:`SourceError`;
- a JSON page without a record list where ``records_path`` says → :class:`SourceError`
  (the platform changed or the spec is wrong: retrying would not help);
- 4xx other than 429 (and other than a 401 that a token refresh cures) →
  :class:`SourceError` with the status and the start of the body;
- 429, 5xx, timeouts, connection errors → retried under the spec's
  :class:`RetryPolicy`, then :class:`SourceError`.

The engine de-duplicates on the primary key with an inclusive lower bound, so
records repeated across pages are passed on as they come.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.errors import ConfigError, SourceError
from connectors.kinds.rest._auth import Credentials, credentials_for
from connectors.kinds.rest._cursor import CursorOrder, cursor_key
from connectors.kinds.rest._paging import Params, Request, dig, found, pager_for
from connectors.kinds.rest._retry import Clock, Retrier, Sleep, snippet
from connectors.kinds.rest._spec import RestSpec
from connectors.kinds.rest._stats import RestReadStats

log = logging.getLogger("connectors.kinds.rest")

USER_AGENT = "weibao-hub-connector/0.1"


@dataclass(frozen=True)
class _Page:
    target: str  # path and query of the request, for locations and messages
    response: httpx.Response
    body: Any


def _target(url: httpx.URL) -> str:
    return unquote(url.raw_path.decode("ascii"))


class _PageFetcher:
    """GETs one page: auth header, retries, one token refresh on 401, one re-fetch of bad JSON."""

    def __init__(
        self,
        spec: RestSpec,
        client: httpx.AsyncClient,
        retrier: Retrier,
        credentials: Credentials | None,
        stats: RestReadStats,
    ) -> None:
        self._spec = spec
        self._client = client
        self._retrier = retrier
        self._credentials = credentials
        self._stats = stats
        self._timeout = httpx.Timeout(spec.timeout_s)

    async def _send(self, url: httpx.URL) -> httpx.Response:
        headers = dict(self._spec.headers)
        if self._credentials is not None:
            headers["Authorization"] = await self._credentials.header()
        self._stats.requests += 1
        return await self._client.get(url, headers=headers, timeout=self._timeout)

    async def get(self, url: httpx.URL, params: Params | None) -> _Page:
        if params is not None:
            url = url.copy_merge_params(params)
        target = _target(url)
        what = f"GET {target}"
        renewed = reparsed = False
        while True:
            response = await self._retrier.send(what, lambda: self._send(url))
            status = response.status_code
            credentials = self._credentials
            if status == 401 and credentials is not None and credentials.renewable and not renewed:
                credentials.invalidate()
                renewed = True
                continue
            if not 200 <= status < 300:
                hint = " (the credentials were refused)" if status in (401, 403) else ""
                location = response.headers.get("location")
                if location:
                    hint = f" (redirect to {location}: fix base_url)"
                raise SourceError(
                    f"{what} answered {status} {response.reason_phrase}{hint}: {snippet(response)}"
                )
            try:
                body = json.loads(response.content)
            except ValueError as exc:
                if reparsed:
                    raise SourceError(
                        f"{what}: the page is not JSON, twice: {snippet(response)}"
                    ) from exc
                reparsed = True
                await self._retrier.pause(self._retrier.backoff_s(0))
                continue
            return _Page(target, response, body)


async def read_rest(
    spec: RestSpec,
    since: str | None = None,
    *,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
    stats: RestReadStats | None = None,
) -> AsyncIterator[Extracted]:
    """Yield the records of one endpoint, page by page, from ``since`` on (inclusive).

    ``since`` is sent as ``spec.since_param`` verbatim (the engine's bookmark,
    a value of ``spec.cursor_field`` as the API gave it). Pass a long-lived
    ``client`` to share connections between streams, or a ``transport`` for a
    client made (and closed) here; ``sleep`` and ``clock`` are for tests, and
    ``stats`` is filled as the read goes (see :class:`RestReadStats`).
    Stopping early: wrap the generator in :func:`contextlib.aclosing`.
    """
    if since is not None and spec.since_param is None:
        raise ConfigError(f"{spec.path}: an incremental read needs since_param")
    if client is not None and transport is not None:
        raise ConfigError("give read_rest a client or a transport, not both")
    stats = stats if stats is not None else RestReadStats()
    async with AsyncExitStack() as stack:
        if client is None:
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=transport,
                    follow_redirects=False,
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                )
            )
        retrier = Retrier(
            spec.retry, sleep=sleep or asyncio.sleep, clock=clock or time.time, stats=stats
        )
        credentials = credentials_for(
            spec.auth,
            base_url=spec.base_url,
            client=client,
            retrier=retrier,
            stats=stats,
            timeout_s=spec.timeout_s,
        )
        fetcher = _PageFetcher(spec, client, retrier, credentials, stats)
        pager = pager_for(spec.pagination)
        params = dict(spec.params)
        if since is not None and spec.since_param is not None:
            params[spec.since_param] = since
        order = CursorOrder()
        request: Request | None = pager.first(spec.url, params)
        while request is not None:
            if spec.max_pages is not None and stats.pages >= spec.max_pages:
                raise SourceError(f"GET {spec.path}: more than max_pages ({spec.max_pages}) pages")
            page = await fetcher.get(*request)
            stats.pages += 1
            records = dig(page.body, spec.records_path)
            if not found(records) or not isinstance(records, list):
                shape = "nothing" if not found(records) else type(records).__name__
                raise SourceError(
                    f"GET {page.target}: expected a list of records at "
                    f"{spec.records_path or 'the top level'!r}, found {shape}"
                )
            for index, item in enumerate(records, 1):
                extracted = _extract(spec, item, f"GET {page.target} #{index}", order, stats)
                yield extracted
            stats.max_cursor = order.highest_value
            request = pager.next(f"GET {page.target}", page.response, page.body, len(records))
            del page, records  # let the page go before the next one arrives


def _extract(
    spec: RestSpec, item: Any, location: str, order: CursorOrder, stats: RestReadStats
) -> Extracted:
    if not isinstance(item, dict):
        stats.rejects += 1
        shown = json.dumps(item, ensure_ascii=False)[:80]
        return RawReject(location, f"the record is not a JSON object: {shown}")
    field = spec.cursor_field
    if field is not None:
        value = item.get(field)
        key = cursor_key(value)
        if key is None:
            stats.rejects += 1
            return RawReject(location, f"no usable {field}: {value!r}", item)
        if not order.step(key, value):
            stats.out_of_order += 1
            if stats.first_out_of_order is None:
                stats.first_out_of_order = location
                log.warning("%s: %s %r is below the previous record's", location, field, value)
    stats.records += 1
    return RawRecord(item, location)
