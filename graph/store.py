"""The async store interface every backend implements, and a counting wrapper.

A store runs registered :class:`~graph.statements.Statement` objects, never
raw text, so every query the hub sends is one the lint and statement tests
have seen. Results are lists of plain dicts: statements return scalars, lists
and maps (map projections), never driver node objects, so both engines give
the same shapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from graph.statements import Backend, Statement

Row = dict[str, Any]
Params = Mapping[str, Any]

DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True)
class WriteSummary:
    """What a write did, as far as the backend reports it."""

    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(
            self.nodes_created + other.nodes_created,
            self.relationships_created + other.relationships_created,
            self.properties_set + other.properties_set,
            self.nodes_deleted + other.nodes_deleted,
        )


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of the hub may ask of a graph backend."""

    backend: Backend

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        """Run a read statement and return its rows."""
        ...

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        """Run a write statement as one atomic, idempotent unit."""
        ...

    async def write_rows(
        self,
        stmt: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra: Params | None = None,
    ) -> WriteSummary:
        """Run ``stmt`` once per batch of ``rows`` (bound to ``$rows``)."""
        ...

    async def ping(self) -> bool:
        """True when the backend answers a trivial statement."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def batched(rows: Iterable[Mapping[str, Any]], size: int) -> Iterable[list[Mapping[str, Any]]]:
    """Split an iterable into lists of at most ``size`` without materialising it."""
    if size < 1:
        raise ValueError("batch size must be positive")
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def write_in_batches(
    run: Callable[[Params], Awaitable[WriteSummary]],
    rows: Iterable[Mapping[str, Any]],
    batch_size: int,
    extra: Params | None,
) -> WriteSummary:
    """Call ``run`` once per batch of ``rows`` (as ``$rows``, beside ``extra``); sum the writes."""
    total = WriteSummary()
    for batch in batched(rows, batch_size):
        total += await run({**(extra or {}), "rows": batch})
    return total


def unwrap(store: GraphStore) -> GraphStore:
    """The backend store under any counting wrapper."""
    while isinstance(store, CountingStore):
        store = store.inner
    return store


class CountingStore:
    """Wraps a store and counts round trips to the graph, per statement name.

    Tests use it to pin the number of round trips of a GraphQL query, whatever
    its page sizes (one batch of ``write_rows`` counts as one round trip).
    """

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.calls: list[str] = []

    @property
    def round_trips(self) -> int:
        return len(self.calls)

    def reset(self) -> None:
        self.calls.clear()

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        self.calls.append(stmt.name)
        return await self.inner.read(stmt, params)

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        self.calls.append(stmt.name)
        return await self.inner.write(stmt, params)

    async def write_rows(
        self,
        stmt: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        extra: Params | None = None,
    ) -> WriteSummary:
        async def run(params: Params) -> WriteSummary:
            self.calls.append(stmt.name)
            return (await self.inner.write(stmt, params))[1]

        return await write_in_batches(run, rows, batch_size, extra)

    async def ping(self) -> bool:
        return await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()
