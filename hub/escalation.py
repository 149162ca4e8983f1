"""The mandatory reports' timer, inside ``weibao serve``: escalate what nobody acknowledged.

Every ``reports.escalation_every_s`` (30 s by default) one statement escalates
every report whose acknowledgement deadline has passed (see
:func:`schema.care.report_workflow.escalate_overdue`). A run that fails is
logged and tried again at the next tick; it never stops the hub. When the hub
stops, the loop ends between runs: a run in progress (one statement) is let
finish, never cancelled mid-write, unless it hangs past a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from graph import GraphError, GraphStore
from hub.settings import Settings
from schema.care.report_workflow import escalate_overdue

log = logging.getLogger(__name__)

Clock = Callable[[], float]


async def run_escalations(
    store: GraphStore,
    *,
    every_s: float,
    window_ms: int,
    stop: asyncio.Event,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
) -> None:
    """Escalate overdue reports now and then every ``every_s`` seconds, until ``stop`` is set.

    ``clock`` gives the time (seconds since the epoch); ``on_run`` hears how
    many reports each run escalated (tests wait on it instead of sleeping).
    """
    while not stop.is_set():
        escalated = 0
        try:
            escalated = await escalate_overdue(
                store, now_ms=int(clock() * 1000), window_ms=window_ms
            )
            if escalated:
                log.warning("%d mandatory reports escalated: not acknowledged in time", escalated)
        except GraphError as exc:
            log.error("escalating overdue mandatory reports failed: %s", exc)
        except Exception:  # a bug must not end the timer of every later report
            log.exception("escalating overdue mandatory reports failed")
        if on_run is not None:
            on_run(escalated)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


@contextlib.asynccontextmanager
async def report_escalation(
    settings: Settings,
    store: GraphStore,
    *,
    clock: Clock = time.time,
    on_run: Callable[[int], None] | None = None,
    grace_s: float = 30.0,
) -> AsyncIterator[None]:
    """Run the escalation timer while the block runs; stop it cleanly when it ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_escalations(
            store,
            every_s=settings.reports.escalation_every_s,
            window_ms=settings.reports.escalation_window_s * 1000,
            stop=stop,
            clock=clock,
            on_run=on_run,
        ),
        name="reports:escalation",
    )
    try:
        yield
    finally:
        stop.set()
        # A run in progress is let finish; only one hanging past the grace period
        # (a graph that stopped answering) is cancelled.
        _, late = await asyncio.wait({task}, timeout=grace_s)
        if late:
            log.warning("mandatory report escalation cut off at shutdown")
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
