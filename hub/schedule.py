"""Configured syncs on a schedule, inside ``weibao serve`` (``every = "15m"`` per source).

Each scheduled source runs in its own task: first a short, staggered delay,
then one sync of all its streams, then the interval, and so on. A run that
fails is logged and retried at the next interval; it never stops the hub.
Runs of one source never overlap (the task awaits each run).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
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

log = logging.getLogger(__name__)


async def _every(engine: SyncEngine, config: SourceConfig, delay_s: float) -> None:
    assert config.every_s is not None
    await asyncio.sleep(delay_s)
    while True:
        try:
            source = build_source(config)
            for report in await sync_source(engine, source):
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
        except (ConnectorError, GraphError, OSError) as exc:
            log.error("scheduled sync of %s failed: %s", config.name, exc)
        await asyncio.sleep(config.every_s)


@contextlib.asynccontextmanager
async def scheduled_syncs(
    settings: Settings, store: GraphStore, *, first_delay_s: float = 5.0
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
    tasks = [
        # Staggered, so the sources do not all start at once.
        asyncio.create_task(_every(engine, c, first_delay_s * (1 + i)), name=f"sync:{c.name}")
        for i, c in enumerate(scheduled)
    ]
    try:
        yield len(tasks)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
