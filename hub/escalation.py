"""The mandatory reports' timer, inside ``weibao serve``: escalate what nobody acknowledged.

Every ``reports.escalation_every_s`` (30 s by default) one statement escalates
every report whose acknowledgement deadline has passed (see
:func:`schema.care.report_workflow.escalate_overdue`), on :mod:`hub.ticker`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from graph import GraphStore
from hub.settings import Settings
from hub.ticker import Job, tick, ticking
from schema.care.report_workflow import escalate_overdue

log = logging.getLogger(__name__)

Clock = Callable[[], float]
NAME = "mandatory report escalation"


def _job(store: GraphStore, window_ms: int, clock: Clock) -> Job:
    async def once() -> int:
        escalated = await escalate_overdue(store, now_ms=int(clock() * 1000), window_ms=window_ms)
        if escalated:
            log.warning("%d mandatory reports escalated: not acknowledged in time", escalated)
        return escalated

    return once


async def run_escalations(
    store: GraphStore,
    *,
    every_s: float,
    window_ms: int,
    stop: asyncio.Event,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
) -> None:
    """Escalate overdue reports now and then every ``every_s`` seconds, until ``stop`` is set."""
    await tick(NAME, _job(store, window_ms, clock), every_s=every_s, stop=stop, on_run=on_run)


def report_escalation(
    settings: Settings,
    store: GraphStore,
    *,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
    grace_s: float = 30.0,
) -> AbstractAsyncContextManager[None]:
    """Run the escalation timer while the block runs; stop it cleanly when it ends."""
    job = _job(store, settings.reports.escalation_window_s * 1000, clock)
    every = settings.reports.escalation_every_s
    return ticking(NAME, job, every_s=every, on_run=on_run, grace_s=grace_s)
