"""Per-request DataLoaders: one graph statement per batch, whatever the page sizes.

Loaders are built per request (in the context) so that nothing is cached
across readers. Each batch is one ``UNWIND $keys`` statement: the number of
round trips depends on the query's shape, never on how many parents a level
has.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from graph import GraphStore
from graph.listing import Direction, Projection
from graph.queries.catalog import CATALOG

Row = dict[str, Any]
#: Row-scope parameters of the access policy (``schema.access.Access.row_params``).
Scope = dict[str, Any]


@dataclass(frozen=True)
class RelPage:
    """One parent's share of a relationship page: the total and the rows read."""

    total: int
    rows: list[Row]


class Loaders:
    """The loaders of one request, created on first use."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def by_id(
        self, label: str, props: Projection = None, scope: Scope | None = None
    ) -> DataLoader[str, Row | None]:
        """``<Label>ById``: nodes of a label by key (None for an unknown key or out of scope).

        ``scope`` holds the access policy's row parameters for the reader.
        """
        params = dict(scope or {})
        key = ("by_id", label, props, _frozen(params))
        loader = self._loaders.get(key)
        if loader is None:
            stmt = CATALOG.by_id(label, props, frozenset(params))

            async def load(keys: list[str]) -> Sequence[Row | None]:
                rows = await self.store.read(stmt, {**params, "ids": keys})
                found = {r["key"]: r["node"] for r in rows}
                return [found.get(k) for k in keys]

            loader = self._loaders[key] = DataLoader(load)
        return loader

    def rel_one(
        self, rel: str, props: Projection = None, scope: Scope | None = None
    ) -> DataLoader[str, Row | None]:
        """The single node at the end of a to-one relationship, per parent key (in scope)."""
        params = dict(scope or {})
        key = ("rel_one", rel, props, _frozen(params))
        loader = self._loaders.get(key)
        if loader is None:
            stmt = CATALOG.rel_one(rel, props, frozenset(params))

            async def load(keys: list[str]) -> Sequence[Row | None]:
                rows = await self.store.read(stmt, {**params, "keys": keys})
                found: dict[str, Row] = {}
                for r in rows:
                    found.setdefault(r["key"], r["node"])
                return [found.get(k) for k in keys]

            loader = self._loaders[key] = DataLoader(load)
        return loader

    def rel_page(
        self,
        rel: str,
        sort: str,
        direction: Direction,
        params: dict[str, Any],
        *,
        cursor: bool,
        props: Projection = None,
    ) -> DataLoader[str, RelPage]:
        """A page of a to-many relationship per parent key, for one set of arguments.

        ``params`` holds the page size and cursor and the filters in use (and only those).
        """
        key = ("rel_page", rel, sort, direction, _frozen(params), props)
        loader = self._loaders.get(key)
        if loader is None:
            used = frozenset(params) - {"limit", "afterKey", "afterId"}
            stmt = CATALOG.rel_page(rel, sort, direction, used, cursor=cursor, props=props)

            async def load(keys: list[str]) -> Sequence[RelPage]:
                rows = await self.store.read(stmt, {**params, "keys": keys})
                found = {r["key"]: RelPage(int(r["total"]), list(r["page"])) for r in rows}
                return [found.get(k, RelPage(0, [])) for k in keys]

            loader = self._loaders[key] = DataLoader(load)
        return loader

    def batch(
        self, key: Hashable, load: Callable[[list[Any]], Awaitable[Sequence[Any]]]
    ) -> DataLoader[Any, Any]:
        """A domain's own batch function (e.g. computed figures per node), one per ``key``."""
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load)
        return loader


def _frozen(params: dict[str, Any]) -> Hashable:
    return tuple(sorted((k, _freeze(v)) for k, v in params.items()))


def _freeze(value: Any) -> Hashable:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value  # type: ignore[no-any-return]
