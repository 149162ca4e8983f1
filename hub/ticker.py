"""A job the hub runs every so often while it serves (escalation timers), stopped cleanly.

The job runs at once and then every ``every_s`` seconds until a stop event is
set. A run that fails is logged and tried again at the next tick; it never
stops the hub. When the hub stops, the loop ends between runs: a run in
progress is let finish, never cancelled mid-write, unless it hangs past a grace
period (a graph that stopped answering).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from graph import GraphError

log = logging.getLogger(__name__)

#: One run of the job: how many things it changed.
Job = Callable[[], Awaitable[int]]


async def tick(
    name: str,
    job: Job,
    *,
    every_s: float,
    stop: asyncio.Event,
    on_run: Callable[[int], None] | None = None,
) -> None:
    """Run ``job`` now and every ``every_s`` seconds until ``stop`` is set.

    ``on_run`` hears what each run returned (tests wait on it instead of sleeping).
    """
    while not stop.is_set():
        changed = 0
        try:
            changed = await job()
        except GraphError as exc:
            log.error("%s failed: %s", name, exc)
        except Exception:  # a bug must not end the timer of everything after it
            log.exception("%s failed", name)
        if on_run is not None:
            on_run(changed)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


@contextlib.asynccontextmanager
async def ticking(
    name: str,
    job: Job,
    *,
    every_s: float,
    on_run: Callable[[int], None] | None = None,
    grace_s: float = 30.0,
) -> AsyncIterator[None]:
    """Run ``job`` on its interval while the block runs; stop it cleanly when it ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        tick(name, job, every_s=every_s, stop=stop, on_run=on_run), name=name
    )
    try:
        yield
    finally:
        stop.set()
        _, late = await asyncio.wait({task}, timeout=grace_s)
        if late:
            log.warning("%s cut off at shutdown", name)
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
