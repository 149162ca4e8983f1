"""Access tokens revoked before they expire, as every hub process sees them.

The graph holds the truth (``RevokedToken`` nodes: ``jti``, ``expiresAt``,
``revokedAt``); each process keeps the unexpired jtis in memory and re-reads
them at most every ``refresh_s`` seconds, so validating a token costs a set
look-up, not a round trip. A revocation made here is written through at once
and seen here at once; another process sees it within ``refresh_s``.

A revocation is never undone, so a refresh only adds to what is known: a jti
revoked while a read is in flight is not lost when the read lands. If the graph
cannot be read, the last known set is used for up to ``max_stale_s``; after
that :meth:`Revocations.is_revoked` raises the graph's error (fail closed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from graph import GraphError, GraphStore
from graph.queries import clients as q

log = logging.getLogger(__name__)

#: How long a failed refresh waits before it is tried again.
_RETRY_S = 1.0

#: A store, or a function giving the store open now: the app builds its routes before
#: its lifespan opens the graph, so it hands over its ``current_store``.
StoreRef = GraphStore | Callable[[], GraphStore]


def store_getter(store: StoreRef) -> Callable[[], GraphStore]:
    """A function returning the store ``store`` refers to."""
    if isinstance(store, GraphStore):
        return lambda: store
    return store


class Revocations:
    """The revoked jtis, cached; see the module docstring for the freshness rules."""

    def __init__(
        self,
        store: StoreRef,
        *,
        refresh_s: float = 3.0,
        max_stale_s: float = 60.0,
        source: str = "hub",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store_getter(store)
        self._refresh_s = refresh_s
        self._max_stale_s = max_stale_s
        self._source = source
        self._clock = clock
        self._monotonic = monotonic
        self._revoked: dict[str, int] = {}  # jti -> expiry, epoch seconds
        self._loaded_at: float | None = None  # monotonic time of the last good read
        self._due_at = float("-inf")
        self._lock = asyncio.Lock()

    async def is_revoked(self, jti: str) -> bool:
        """True if ``jti`` was revoked (as known at most ``refresh_s`` ago)."""
        if self._monotonic() >= self._due_at:
            await self._refresh_when_due()
        return jti in self._revoked

    async def revoke(self, jti: str, expires_at: int) -> None:
        """Revoke a token (``expires_at``: its ``exp``, epoch seconds); written through."""
        now = self._clock()
        await self._store().write(
            q.REVOKE_TOKEN,
            {
                "id": f"revoked-{jti}",
                "jti": jti,
                "expiresAt": int(expires_at) * 1000,
                "revokedAt": int(now * 1000),
                "source": self._source,
            },
        )
        self._revoked[jti] = int(expires_at)

    async def refresh(self) -> None:
        """Re-read the unexpired revocations now."""
        now = self._clock()
        rows = await self._store().read(q.REVOKED_TOKENS, {"now": int(now * 1000)})
        known = {jti: exp for jti, exp in self._revoked.items() if exp > now}
        known.update({str(r["jti"]): int(r["expiresAt"]) // 1000 for r in rows})
        self._revoked = known
        self._loaded_at = self._monotonic()
        self._due_at = self._loaded_at + self._refresh_s

    async def prune(self) -> int:
        """Delete the records of revoked tokens that have expired anyway; returns how many."""
        now = int(self._clock() * 1000)
        _, summary = await self._store().write(q.PRUNE_REVOKED_TOKENS, {"now": now})
        return summary.nodes_deleted

    async def _refresh_when_due(self) -> None:
        if self._lock.locked() and self._loaded_at is not None:
            return  # another request is refreshing: the current set is fresh enough
        async with self._lock:
            if self._monotonic() < self._due_at:
                return
            try:
                await self.refresh()
            except GraphError:
                now = self._monotonic()
                age = float("inf") if self._loaded_at is None else now - self._loaded_at
                if age > self._max_stale_s:
                    raise
                log.warning("cannot refresh revoked tokens; using the set read %.0fs ago", age)
                self._due_at = now + _RETRY_S
