"""How the pages of a listing chain: page numbers, a cursor in the body, or Link headers.

A pager gives the first request and, from each answer, the next one or
``None`` at the end. It also guards against a server that would make the read
loop forever (the same cursor or link again).
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from connectors.errors import SourceError
from connectors.kinds.rest._spec import CursorPagination, LinkPagination, PagePagination

Params = dict[str, str]
Request = tuple[httpx.URL, Params | None]

_MISSING = object()


def dig(body: Any, path: str) -> Any:
    """The value at a dotted path (``data.items``) of a JSON body; ``""`` is the body itself.

    Returns a private sentinel when a step is missing (test with :func:`found`).
    """
    value = body
    for step in path.split(".") if path else ():
        if not isinstance(value, dict) or step not in value:
            return _MISSING
        value = value[step]
    return value


def found(value: Any) -> bool:
    """False for :func:`dig`'s "not there"."""
    return value is not _MISSING


class Pager(Protocol):
    def first(self, url: str, params: Params) -> Request: ...

    def next(self, what: str, response: httpx.Response, body: Any, count: int) -> Request | None:
        """The request after this page; ``count`` is the number of records it held."""
        ...


def _whole(what: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError(f"{what}: {name} is not a whole number: {value!r}")
    try:
        return int(value)
    except ValueError as exc:
        raise SourceError(f"{what}: {name} is not a whole number: {value!r}") from exc


class PagePager:
    def __init__(self, spec: PagePagination) -> None:
        self._spec = spec
        self._url = httpx.URL()
        self._params: Params = {}
        self._page = spec.first_page

    def _request(self) -> Request:
        spec = self._spec
        params = {
            **self._params,
            spec.page_param: str(self._page),
            spec.size_param: str(spec.page_size),
        }
        return self._url, params

    def first(self, url: str, params: Params) -> Request:
        self._url, self._params = httpx.URL(url), params
        return self._request()

    def next(self, what: str, response: httpx.Response, body: Any, count: int) -> Request | None:
        spec = self._spec
        if count == 0:
            return None
        pages_read = self._page - spec.first_page + 1
        if spec.total_pages_path is not None:
            total_pages = dig(body, spec.total_pages_path)
            if not found(total_pages):
                raise SourceError(f"{what}: no page count at {spec.total_pages_path!r}")
            if pages_read >= _whole(what, spec.total_pages_path, total_pages):
                return None
        elif spec.total_path is not None:
            total = dig(body, spec.total_path)
            if not found(total):
                raise SourceError(f"{what}: no record total at {spec.total_path!r}")
            if pages_read * spec.page_size >= _whole(what, spec.total_path, total):
                return None
        self._page += 1
        return self._request()


class CursorPager:
    def __init__(self, spec: CursorPagination) -> None:
        self._spec = spec
        self._url = httpx.URL()
        self._params: Params = {}
        self._cursor: str | None = None

    def first(self, url: str, params: Params) -> Request:
        spec = self._spec
        self._url = httpx.URL(url)
        self._params = dict(params)
        if spec.size_param:
            self._params[spec.size_param] = str(spec.page_size)
        return self._url, self._params

    def next(self, what: str, response: httpx.Response, body: Any, count: int) -> Request | None:
        spec = self._spec
        cursor = dig(body, spec.next_path)
        if not found(cursor) or cursor is None or cursor == "":
            return None
        if not isinstance(cursor, str | int) or isinstance(cursor, bool):
            raise SourceError(f"{what}: {spec.next_path} is not a cursor: {cursor!r}")
        cursor = str(cursor)
        if cursor == self._cursor:
            raise SourceError(f"{what}: the server gave the same {spec.next_path} again")
        self._cursor = cursor
        return self._url, {**self._params, spec.cursor_param: cursor}


class LinkPager:
    def __init__(self, spec: LinkPagination) -> None:
        self._spec = spec
        self._previous = ""

    def first(self, url: str, params: Params) -> Request:
        spec = self._spec
        if spec.size_param:
            params = {**params, spec.size_param: str(spec.page_size)}
        return httpx.URL(url), params

    def next(self, what: str, response: httpx.Response, body: Any, count: int) -> Request | None:
        link = response.links.get("next", {}).get("url")
        if not link:
            return None
        current = response.request.url
        target = current.join(link)
        # The bearer token goes with every page: never follow a link to another origin.
        if (target.scheme, target.host, target.port) != (
            current.scheme,
            current.host,
            current.port,
        ):
            raise SourceError(f"{what}: the next link leaves the server: {target}")
        # Only the last two pages are remembered (memory must not grow with pages):
        # longer cycles are what ``max_pages`` is for.
        key = str(target)
        if key in (str(current), self._previous):
            raise SourceError(f"{what}: the next link points back to a page already read")
        self._previous = str(current)
        return target, None


def pager_for(spec: PagePagination | CursorPagination | LinkPagination) -> Pager:
    """The pager of a pagination setting."""
    if isinstance(spec, PagePagination):
        return PagePager(spec)
    if isinstance(spec, CursorPagination):
        return CursorPager(spec)
    return LinkPager(spec)
