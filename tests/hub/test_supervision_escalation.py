"""The rectifications' timer in the hub: runs at start and on its interval, stops between runs
(never mid-write), and survives a failing run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from graph import GraphStore, Statement, WriteSummary
from graph.store import Params, Row
from hub.settings import Settings
from hub.supervision_escalation import (
    rectification_escalation,
    run_rectification_escalations,
)
from tests.hub.test_escalation import HeldWrites
from tests.support.supervision_world import (
    World,
    at,
    new_entry,
    new_rectification,
    new_task,
    state,
    supervision_world,
)


async def _overdue(w: World) -> str:
    """A rectification due on Wednesday 30 September 2026, the day before National Day."""
    entry = await new_entry(w, await new_task(w))
    rect: dict[str, Any] = await new_rectification(w, entry, deadline="2026-09-30")
    return str(rect["id"])


async def test_the_hub_urges_overdue_rectifications_on_its_own(
    store: GraphStore, tmp_path: Path
) -> None:
    async with supervision_world(store, at(2026, 9, 22, 10)) as w:
        rect = await _overdue(w)
        settings = Settings(data_dir=tmp_path)
        assert settings.supervision.escalation_every_s == 300
        assert settings.supervision.notice_after_working_days == 3
        runs: list[int] = []
        ran = asyncio.Event()

        def heard(count: int) -> None:
            runs.append(count)
            ran.set()

        async with rectification_escalation(
            settings, store, clock=lambda: at(2026, 10, 1, 0, 0, 1), on_run=heard
        ):
            await asyncio.wait_for(ran.wait(), 60)
        # It ran at start (no waiting for the first tick) and stopped when the hub did.
        assert runs == [1]
        found = await state(w, rect)
        assert (found["escalationLevel"], found["escalation"]) == (1, "催办")


async def test_a_run_in_progress_finishes_when_the_hub_stops(store: GraphStore) -> None:
    async with supervision_world(store, at(2026, 9, 22, 10)) as w:
        rect = await _overdue(w)
        held = HeldWrites(store)
        stop = asyncio.Event()
        runs: list[int] = []
        timer = asyncio.create_task(
            run_rectification_escalations(
                held,
                every_s=3600,
                notice_after=3,
                stop=stop,
                clock=lambda: at(2026, 10, 1, 8),
                on_run=runs.append,
            )
        )
        await asyncio.wait_for(held.entered.wait(), 60)
        stop.set()  # the hub stops while the first statement is on its way
        held.release.set()
        await asyncio.wait_for(timer, 60)
        # The run was not cut off (both levels' statements ran), and no further run started.
        assert runs == [1]
        assert (await state(w, rect))["escalationLevel"] == 1


async def test_a_failing_run_does_not_end_the_timer(store: GraphStore) -> None:
    class Broken(HeldWrites):
        async def write(
            self, stmt: Statement, params: Params | None = None
        ) -> tuple[list[Row], WriteSummary]:
            raise RuntimeError("a bug")

    stop = asyncio.Event()
    runs: list[int] = []

    def heard(count: int) -> None:
        runs.append(count)
        if len(runs) == 2:
            stop.set()

    await asyncio.wait_for(
        run_rectification_escalations(
            Broken(store), every_s=0.01, notice_after=3, stop=stop, on_run=heard
        ),
        60,
    )
    assert runs == [0, 0]
