"""The background writer of the audit trail: requests hand events over and move on.

A GraphQL request that returned a child's personal data calls :meth:`AuditWriter.submit`,
which only puts the event on a bounded in-memory queue (about a microsecond), so
the request never waits on a graph write. A background task drains the queue in
batches into :meth:`graph.audit.AuditLog.append` (one write per batch).

Nothing is dropped silently:

* a failed write is retried, with backoff, with the same events, until it lands;
* when the queue is full (the graph is down or too slow for a while) ``submit``
  raises :class:`AuditBackpressure`, and the caller must then refuse to return
  the personal data: the hub fails closed rather than serve unaudited reads.

What can still be lost is what sits in memory when the process dies: at most
``max_queue`` events plus one batch, never acknowledged to the graph.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from types import TracebackType

from graph.audit import AccessEventIn, AuditLog

log = logging.getLogger(__name__)


class AuditBackpressure(Exception):
    """The audit trail cannot take an event now; the caller must not return personal data."""


class AuditWriter:
    """Writes submitted access events to an :class:`AuditLog` in the background."""

    def __init__(
        self,
        log: AuditLog,
        *,
        max_batch: int = 500,
        max_delay_s: float = 0.05,
        max_queue: int = 10_000,
        retry_initial_s: float = 0.05,
        retry_max_s: float = 5.0,
    ) -> None:
        if max_batch < 1 or max_queue < 1:
            raise ValueError("max_batch and max_queue must be positive")
        self._log = log
        self._max_batch = max_batch
        self._max_delay_s = max_delay_s
        self._max_queue = max_queue
        self._retry_initial_s = retry_initial_s
        self._retry_max_s = retry_max_s
        self._queue: deque[AccessEventIn] = deque()
        self._in_flight = 0  # taken off the queue, not yet written
        self._submitted = 0
        self._written = 0
        self._failures = 0
        self.last_error: str | None = None
        self._arrived = asyncio.Event()  # the queue went from empty to not empty
        self._full = asyncio.Event()  # a whole batch is waiting
        self._progress = asyncio.Condition()  # notified after each written batch
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    # -- counters (health and metrics) ---------------------------------------

    @property
    def written(self) -> int:
        """Events written to the graph since start."""
        return self._written

    @property
    def pending(self) -> int:
        """Events submitted and not yet written (queued or in a batch being written)."""
        return len(self._queue) + self._in_flight

    @property
    def max_queue(self) -> int:
        return self._max_queue

    @property
    def failures(self) -> int:
        """Failed write attempts since start (each was retried)."""
        return self._failures

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- the request side -----------------------------------------------------

    def submit(self, event: AccessEventIn) -> None:
        """Queue ``event`` for writing; raise :class:`AuditBackpressure` if it cannot be taken."""
        if self._closed:
            raise AuditBackpressure("the audit trail is closed")
        if self._task is not None and self._task.done():
            raise AuditBackpressure("the audit writer has stopped")
        if len(self._queue) >= self._max_queue:
            raise AuditBackpressure(
                f"the audit trail is behind ({self.pending} events waiting); try again later"
            )
        self._queue.append(event)
        self._submitted += 1
        self._arrived.set()
        if len(self._queue) >= self._max_batch:
            self._full.set()

    # -- life cycle -------------------------------------------------------------

    async def start(self) -> None:
        """Start the background task (idempotent)."""
        if self._closed:
            raise RuntimeError("an AuditWriter cannot be restarted after aclose()")
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="audit-writer")

    async def flush(self, timeout_s: float | None = None) -> None:
        """Wait until every event submitted so far is written.

        Raises ``TimeoutError`` after ``timeout_s``, and ``RuntimeError`` if the
        writer is not running while events wait (they would never be written).
        """
        target = self._submitted
        async with asyncio.timeout(timeout_s), self._progress:
            while self._written < target:
                if not self.running:
                    raise RuntimeError(f"the audit writer is not running; {self.pending} pending")
                await self._progress.wait()

    async def aclose(self, timeout_s: float | None = 10.0) -> None:
        """Refuse new events, write the queued ones (for up to ``timeout_s``), stop."""
        self._closed = True
        self._full.set()  # no more waiting for batches to fill
        try:
            if self.running:
                await self.flush(timeout_s)
        except TimeoutError:
            log.critical(
                "audit: %d access events could not be written before shutdown (last error: %s)",
                self.pending,
                self.last_error,
            )
        finally:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    async def __aenter__(self) -> AuditWriter:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- the background task ---------------------------------------------------

    async def _run(self) -> None:
        try:
            while True:
                batch = await self._next_batch()
                await self._write(batch)
                async with self._progress:
                    self._in_flight = 0
                    self._written += len(batch)
                    self._progress.notify_all()
        finally:
            # Wake any flush() so that it sees the writer stopped instead of waiting forever.
            async with self._progress:
                self._progress.notify_all()

    async def _next_batch(self) -> list[AccessEventIn]:
        while not self._queue:
            self._arrived.clear()
            await self._arrived.wait()
        if len(self._queue) < self._max_batch and self._max_delay_s > 0 and not self._closed:
            # Let a batch fill for a moment: fewer, larger writes under load.
            self._full.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._full.wait(), self._max_delay_s)
        size = min(self._max_batch, len(self._queue))
        batch = [self._queue.popleft() for _ in range(size)]
        self._in_flight = size
        if len(self._queue) < self._max_batch and not self._closed:
            self._full.clear()
        return batch

    async def _write(self, batch: list[AccessEventIn]) -> None:
        """Append ``batch``, retrying with backoff until it is written (never dropped)."""
        delay = self._retry_initial_s
        while True:
            try:
                await self._log.append(batch)
            except Exception as exc:  # any failure: keep the events and try again
                self._failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.error(
                    "audit: writing %d access events failed (%d failures so far); "
                    "retrying in %.2fs: %s",
                    len(batch),
                    self._failures,
                    delay,
                    self.last_error,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            self.last_error = None
            return
