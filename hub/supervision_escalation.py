"""The rectifications' timer, inside ``weibao serve``: 催办 what is overdue, then 通报.

Every ``supervision.escalation_every_s`` (5 minutes by default) the hub runs
:func:`schema.oversight.supervision_escalation.escalate_overdue_rectifications`:
one statement urges every rectification whose deadline day has ended
unsigned, one notices every one still unsigned when its grace
(``supervision.notice_after_working_days``) has ended. A run that fails is
logged and tried again at the next tick; it never stops the hub. When the
hub stops, the loop ends between runs: a run in progress is let finish,
never cancelled mid-write, unless it hangs past a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from graph import GraphError, GraphStore
from hub.settings import Settings
from schema.oversight.supervision_escalation import escalate_overdue_rectifications

log = logging.getLogger(__name__)

Clock = Callable[[], float]


async def run_rectification_escalations(
    store: GraphStore,
    *,
    every_s: float,
    notice_after: int,
    stop: asyncio.Event,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
) -> None:
    """Escalate overdue rectifications now and every ``every_s`` seconds, until ``stop`` is set.

    ``clock`` gives the time (seconds since the epoch); ``on_run`` hears how
    many rectifications each run escalated (tests wait on it instead of sleeping).
    """
    while not stop.is_set():
        escalated = 0
        try:
            run = await escalate_overdue_rectifications(
                store, now_ms=int(clock() * 1000), notice_after=notice_after
            )
            escalated = run.total
            if escalated:
                log.warning(
                    "overdue rectifications: %d urged (催办), %d noticed (通报)",
                    run.urged,
                    run.noticed,
                )
        except GraphError as exc:
            log.error("escalating overdue rectifications failed: %s", exc)
        except Exception:  # a bug must not end the timer of every later rectification
            log.exception("escalating overdue rectifications failed")
        if on_run is not None:
            on_run(escalated)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


@contextlib.asynccontextmanager
async def rectification_escalation(
    settings: Settings,
    store: GraphStore,
    *,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
    grace_s: float = 30.0,
) -> AsyncIterator[None]:
    """Run the rectifications' timer while the block runs; stop it cleanly when it ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_rectification_escalations(
            store,
            every_s=settings.supervision.escalation_every_s,
            notice_after=settings.supervision.notice_after_working_days,
            stop=stop,
            clock=clock,
            on_run=on_run,
        ),
        name="supervision:escalation",
    )
    try:
        yield
    finally:
        stop.set()
        # A run in progress is let finish; only one hanging past the grace period
        # (a graph that stopped answering) is cancelled.
        _, late = await asyncio.wait({task}, timeout=grace_s)
        if late:
            log.warning("rectification escalation cut off at shutdown")
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
