"""The rectifications' timer, inside ``weibao serve``: 催办 what is overdue, then 通报.

Every ``supervision.escalation_every_s`` (5 minutes by default) the hub runs
:func:`schema.oversight.supervision_escalation.escalate_overdue_rectifications`
on :mod:`hub.ticker`: one statement urges every rectification whose deadline
day has ended unsigned, one notices every one still unsigned when its grace
(``supervision.notice_after_working_days``) has ended.
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
from schema.oversight.supervision_escalation import escalate_overdue_rectifications

log = logging.getLogger(__name__)

Clock = Callable[[], float]
NAME = "rectification escalation"


def _job(store: GraphStore, notice_after: int, clock: Clock) -> Job:
    async def once() -> int:
        run = await escalate_overdue_rectifications(
            store, now_ms=int(clock() * 1000), notice_after=notice_after
        )
        if run.total:
            log.warning(
                "overdue rectifications: %d urged (催办), %d noticed (通报)", run.urged, run.noticed
            )
        return run.total

    return once


async def run_rectification_escalations(
    store: GraphStore,
    *,
    every_s: float,
    notice_after: int,
    stop: asyncio.Event,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
) -> None:
    """Escalate overdue rectifications now and every ``every_s`` seconds, until ``stop`` is set."""
    job = _job(store, notice_after, clock)
    await tick(NAME, job, every_s=every_s, stop=stop, on_run=on_run)


def rectification_escalation(
    settings: Settings,
    store: GraphStore,
    *,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
    grace_s: float = 30.0,
) -> AbstractAsyncContextManager[None]:
    """Run the rectifications' timer while the block runs; stop it cleanly when it ends."""
    job = _job(store, settings.supervision.notice_after_working_days, clock)
    every = settings.supervision.escalation_every_s
    return ticking(NAME, job, every_s=every, on_run=on_run, grace_s=grace_s)
