"""Configured syncs on a schedule, inside ``weibao serve`` (``every = "15m"`` per source).

Each scheduled source runs in its own task: first a short, staggered delay,
then one sync of all its streams, then the interval, and so on. A run that
fails is logged and retried at the next interval; it never stops the hub.
Runs of one source never overlap (the task awaits each run). When the hub
stops, a run in progress may finish its stream (up to a grace period) rather
than be cut off mid-write; a run cut off anyway resumes from its bookmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from connectors import (
    ConnectorError,
    SyncEngine,
    build_source,
    engine_for,
    load_sources,
    sync_source,
)
from connectors.config import SourceConfig
from graph import GraphError, GraphStore
from hub.settings import Settings
from schema.care.screening import run_screening
from schema.care.screening_rules import load_rules

log = logging.getLogger(__name__)


async def _every(
    engine: SyncEngine, config: SourceConfig, delay_s: float, stop: asyncio.Event
) -> None:
    assert config.every_s is not None
    if await _stopped(stop, delay_s):
        return
    while True:
        try:
            source = build_source(config)
            reports = await sync_source(engine, source)
            for report in reports:
                log.info(
                    "sync %s/%s: %s, %d read, %d new, %d changed, %d rejected",
                    report.source,
                    report.stream,
                    report.status,
                    report.read,
                    report.inserted,
                    report.updated,
                    report.rejected,
                )
            if any(r.inserted or r.updated for r in reports):
                await _screen(engine.store, config.name)
        except (ConnectorError, GraphError, OSError) as exc:
            log.error("scheduled sync of %s failed: %s", config.name, exc)
        except Exception:  # a bug in one connector must not end its schedule
            log.exception("scheduled sync of %s failed", config.name)
        if stop.is_set() or await _stopped(stop, config.every_s):
            return


async def _screen(store: GraphStore, name: str) -> None:
    """Screen the children after a run that loaded anything (疑似困境儿童排查)."""
    report = await run_screening(store, load_rules(), now_ms=int(time.time() * 1000))
    log.info(
        "screening after %s: %d flag(s) opened, %d without a director",
        name,
        report.flagged,
        report.unassigned,
    )


async def _stopped(stop: asyncio.Event, wait_s: float) -> bool:
    """Wait ``wait_s`` seconds unless ``stop`` is set first; True if it was."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), wait_s)
    return stop.is_set()


@contextlib.asynccontextmanager
async def scheduled_syncs(
    settings: Settings,
    store: GraphStore,
    *,
    first_delay_s: float = 5.0,
    grace_s: float = 30.0,
) -> AsyncIterator[int]:
    """Run the sources file's scheduled sources while the block runs; yields how many."""
    path = settings.sources_file
    if not path.exists():
        yield 0
        return
    try:
        configs = load_sources(path)
    except ConnectorError as exc:
        log.error("sources file %s: %s; no scheduled syncs", path, exc)
        yield 0
        return
    scheduled = [c for c in configs.values() if c.every_s is not None]
    engine = engine_for(store, configs)
    stop = asyncio.Event()
    tasks = [
        # Staggered, so the sources do not all start at once.
        asyncio.create_task(_every(engine, c, first_delay_s * (1 + i), stop), name=f"sync:{c.name}")
        for i, c in enumerate(scheduled)
    ]
    try:
        yield len(tasks)
    finally:
        stop.set()
        if tasks:
            # Cancelling mid-write costs a run its last batch; let runs end first.
            _, late = await asyncio.wait(tasks, timeout=grace_s)
            for task in late:
                log.warning("scheduled sync %s cut off at shutdown", task.get_name())
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
