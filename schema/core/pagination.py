"""Relay connections with keyset cursors.

A cursor is the position of a row in its order: ``(sort value, id)``,
base64-encoded JSON. Pages resume strictly after (or before) that pair, so a
row inserted meanwhile never shifts a page and no page costs an OFFSET scan.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import strawberry

from schema.errors import BadArgument

MAX_PAGE = 100
DEFAULT_PAGE = 20

T = TypeVar("T")


@strawberry.type(description="Where a page stands in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A page of a list, with its position and (on request) the list's size."""

    edges: list[Edge[T]]
    page_info: PageInfo
    _total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows in the whole filtered list, not just this page.")
    async def total_count(self) -> int:
        return await self._total()

    @strawberry.field(description="The page's nodes, without edges.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(sort_value: Any, key: str) -> str:
    raw = json.dumps([sort_value, key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError):
        raise BadArgument(f"not a valid cursor: {cursor!r}") from None
    if not isinstance(key, str) or not isinstance(value, (str, int, float, bool, type(None))):
        raise BadArgument(f"not a valid cursor: {cursor!r}")
    return value, key


Direction = Literal["asc", "desc"]


@dataclass(frozen=True)
class PageRequest:
    """A validated page request: how many, from where, which way the graph reads."""

    size: int
    cursor: tuple[Any, str] | None
    backward: bool  # last/before: read the reverse order, then flip

    @classmethod
    def parse(
        cls,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
    ) -> PageRequest:
        if first is not None and last is not None:
            raise BadArgument("pass either `first` or `last`, not both")
        if after is not None and before is not None:
            raise BadArgument("pass either `after` or `before`, not both")
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= MAX_PAGE:
                raise BadArgument(f"`{name}` must be between 0 and {MAX_PAGE}")
        backward = last is not None or (before is not None and first is None)
        size = (last if backward else first) if (first or last) is not None else DEFAULT_PAGE
        assert size is not None
        cursor_text = before if backward else after
        if backward and after is not None:
            raise BadArgument("`after` goes with `first`; use `before` with `last`")
        if not backward and before is not None:
            raise BadArgument("`before` goes with `last`; use `after` with `first`")
        cursor = decode_cursor(cursor_text) if cursor_text is not None else None
        return cls(size=size, cursor=cursor, backward=backward)

    def read_direction(self, order: Direction) -> Direction:
        if not self.backward:
            return order
        return "desc" if order == "asc" else "asc"

    def params(self) -> dict[str, Any]:
        """Statement parameters: one row more than asked, to know if there is more."""
        if self.cursor is None:
            return {"limit": self.size + 1}
        key, ident = self.cursor
        return {"limit": self.size + 1, "afterKey": key, "afterId": ident}

    def cache_key(self) -> tuple[Any, ...]:
        return (self.size, self.cursor, self.backward)


def build_connection(
    rows: Sequence[dict[str, Any]],
    page: PageRequest,
    sort: str,
    make: Callable[[dict[str, Any]], T],
    total: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """A connection from rows read in the request's direction (``size + 1`` at most)."""
    more = len(rows) > page.size
    rows = list(rows[: page.size])
    if page.backward:
        rows.reverse()
    edges = [Edge(cursor=encode_cursor(r.get(sort), str(r["id"])), node=make(r)) for r in rows]
    info = PageInfo(
        has_next_page=more if not page.backward else page.cursor is not None,
        has_previous_page=more if page.backward else page.cursor is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _total=total)


def known_total(value: int) -> Callable[[], Awaitable[int]]:
    async def total() -> int:
        return value

    return total
