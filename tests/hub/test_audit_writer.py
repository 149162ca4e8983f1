"""The background audit writer: batches, never drops, retries, and fails closed when full."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest
import pytest_asyncio

from graph import CountingStore, GraphStore, GraphUnavailable, Statement, WriteSummary
from graph.audit import AccessEventIn, AuditLog
from graph.falkordb_store import FalkorStore
from graph.queries import audit as q
from graph.store import unwrap
from hub.audit_writer import AuditBackpressure, AuditWriter


def event(i: int) -> AccessEventIn:
    return AccessEventIn(
        at=1_767_225_600_000 + i,
        principal="client:edu-bureau",
        role="partner",
        client_id="edu-bureau",
        purpose="入学核查",
        request_id=f"req-{i}",
        records=(f"Child:c-{i}",),
        fields=("Child.name",),
        break_glass=False,
    )


async def wipe(store: FalkorStore) -> None:
    for cypher in ("MATCH (e:AccessEvent) DELETE e", "MATCH (m:Meta {id: 'audit-head'}) DELETE m"):
        await store.command("GRAPH.QUERY", store.graph_name, cypher)


@pytest_asyncio.fixture
async def falkor(store: GraphStore) -> AsyncIterator[FalkorStore]:
    """The shared store with an empty trail (cleared with raw FalkorDB Cypher)."""
    inner = unwrap(store)
    if not isinstance(inner, FalkorStore):
        pytest.skip("the audit tests clear the trail with raw FalkorDB Cypher")
    await wipe(inner)
    yield inner
    await wipe(inner)


class Wrapped:
    """A store that can stall or fail the audit appends, as a slow or failing graph would."""

    def __init__(self, inner: GraphStore, *, fail_first: int = 0) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.fail_first = fail_first
        self.gate = asyncio.Event()
        self.gate.set()
        self.entered = asyncio.Event()

    async def read(self, stmt: Statement, params: Mapping[str, Any] | None = None) -> Any:
        return await self.inner.read(stmt, params)

    async def write(
        self, stmt: Statement, params: Mapping[str, Any] | None = None
    ) -> tuple[list[dict[str, Any]], WriteSummary]:
        if stmt is q.APPEND:
            self.entered.set()
            await self.gate.wait()
            if self.fail_first > 0:
                self.fail_first -= 1
                raise GraphUnavailable("the graph does not answer")
        return await self.inner.write(stmt, params)


async def test_events_from_many_tasks_are_all_written_in_batches(falkor: FalkorStore) -> None:
    counting = CountingStore(falkor)
    log = AuditLog(counting)
    async with AuditWriter(log, max_batch=100, max_delay_s=0.01) as writer:

        async def requests(task: int) -> None:
            for k in range(50):
                writer.submit(event(task * 100 + k))
                await asyncio.sleep(0)

        await asyncio.gather(*(requests(t) for t in range(20)))
        await writer.flush(timeout_s=10)
        assert (writer.written, writer.pending, writer.failures) == (1000, 0, 0)
    appends = counting.calls.count("audit.append")
    assert 10 <= appends < 100, appends  # batched, up to max_batch per write
    report = await AuditLog(falkor).verify()
    assert report.ok, report.problems
    assert report.events == 1000
    ids = {e.request_id for e in await AuditLog(falkor).tail(1000)}
    assert len(ids) == 1000  # each event once


async def test_a_full_queue_refuses_events_and_loses_none(falkor: FalkorStore) -> None:
    stalled = Wrapped(falkor)
    stalled.gate.clear()
    writer = AuditWriter(AuditLog(stalled), max_batch=2, max_delay_s=0, max_queue=5)
    await writer.start()
    writer.submit(event(1))
    writer.submit(event(2))
    await asyncio.wait_for(stalled.entered.wait(), 5)  # the writer holds a batch, stuck
    for i in range(3, 8):
        writer.submit(event(i))
    assert writer.pending == 7
    with pytest.raises(AuditBackpressure, match="behind"):
        writer.submit(event(8))
    stalled.gate.set()
    await writer.flush(timeout_s=10)
    writer.submit(event(8))  # room again
    await writer.aclose()
    assert writer.written == 8
    report = await AuditLog(falkor).verify()
    assert (report.ok, report.events) == (True, 8)
    with pytest.raises(AuditBackpressure, match="closed"):
        writer.submit(event(9))


async def test_failed_writes_are_retried_with_the_same_events(
    falkor: FalkorStore, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = Wrapped(falkor, fail_first=3)
    writer = AuditWriter(AuditLog(flaky), max_delay_s=0, retry_initial_s=0.001)
    async with writer:
        for i in range(10):
            writer.submit(event(i))
        with caplog.at_level(logging.ERROR, logger="hub.audit_writer"):
            await writer.flush(timeout_s=10)
        assert (writer.written, writer.failures, writer.pending) == (10, 3, 0)
        assert writer.last_error is None
    assert sum("retrying" in r.getMessage() for r in caplog.records) == 3
    report = await AuditLog(falkor).verify()
    assert (report.ok, report.events) == (True, 10)


async def test_close_writes_what_was_queued(falkor: FalkorStore) -> None:
    writer = AuditWriter(AuditLog(falkor), max_delay_s=30)
    await writer.start()
    for i in range(5):
        writer.submit(event(i))
    await asyncio.sleep(0.01)  # the writer now waits for its batch to fill
    started = time.monotonic()
    await writer.aclose()  # no flush first: closing drains the queue, without waiting on
    assert time.monotonic() - started < 5
    assert (writer.written, writer.pending) == (5, 0)
    assert (await AuditLog(falkor).verify()).events == 5


async def test_close_gives_up_after_its_timeout_and_says_so(
    falkor: FalkorStore, caplog: pytest.LogCaptureFixture
) -> None:
    stalled = Wrapped(falkor)
    stalled.gate.clear()
    writer = AuditWriter(AuditLog(stalled), max_delay_s=0)
    await writer.start()
    writer.submit(event(1))
    with caplog.at_level(logging.CRITICAL, logger="hub.audit_writer"):
        await writer.aclose(timeout_s=0.05)
    assert not writer.running
    assert any("1 access events could not be written" in r.getMessage() for r in caplog.records)


async def test_flush_refuses_to_wait_on_a_writer_that_is_not_running(falkor: FalkorStore) -> None:
    writer = AuditWriter(AuditLog(falkor))
    await writer.flush()  # nothing submitted: nothing to wait for
    writer.submit(event(1))  # taken before start: written once started
    with pytest.raises(RuntimeError, match="not running; 1 pending"):
        await writer.flush()
    async with writer:
        await writer.flush(timeout_s=10)
        assert writer.written == 1
