"""The escalation timer in the hub: runs on its interval, stops between runs, not mid-write."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph import GraphStore, Statement, WriteSummary
from graph.store import Params, Row
from hub.escalation import report_escalation, run_escalations
from hub.settings import Settings
from tests.support.care_world import DIRECTOR, STAFF, World, care_world, gid

FILE = """
mutation($input: FileMandatoryReportInput!) {
  fileMandatoryReport(input: $input) { id dueAt }
}"""
STATE = """
query($id: ID!) { node(id: $id) { ... on MandatoryReport { status escalationLevel } } }"""
HOUR_MS = 3600 * 1000


async def _file(w: World) -> str:
    data = await w.run(
        FILE,
        DIRECTOR,
        input={
            "childId": gid("Child", "t-child-1"),
            "situation": "NEGLECT",
            "description": "孩子连续多日独自在家，无人照料。",
        },
    )
    report_id: str = data["fileMandatoryReport"]["id"]
    return report_id


async def _state(w: World, report_id: str) -> tuple[str, int]:
    node = (await w.run(STATE, STAFF, id=report_id))["node"]
    return node["status"], node["escalationLevel"]


class HeldWrites:
    """A real store whose writes wait until the test lets them through."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        return await self.inner.read(stmt, params)

    async def write(
        self, stmt: Statement, params: Params | None = None
    ) -> tuple[list[Row], WriteSummary]:
        self.entered.set()
        await self.release.wait()
        return await self.inner.write(stmt, params)

    async def write_rows(
        self, stmt: Statement, rows: Iterable[Mapping[str, Any]], **kwargs: Any
    ) -> WriteSummary:
        return await self.inner.write_rows(stmt, rows, **kwargs)

    async def ping(self) -> bool:
        return await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()


async def test_the_hub_escalates_overdue_reports_on_its_own(
    store: GraphStore, tmp_path: Path
) -> None:
    async with care_world(store) as w:
        report = await _file(w)
        filed_s = w.clock_s
        settings = Settings(data_dir=tmp_path)
        assert settings.reports.escalation_every_s == 30
        runs: list[int] = []
        ran = asyncio.Event()

        def heard(count: int) -> None:
            runs.append(count)
            ran.set()

        async with report_escalation(
            settings, store, clock=lambda: filed_s + 2 * 3600, on_run=heard
        ):
            await asyncio.wait_for(ran.wait(), 60)
        # It ran at start (no waiting for the first tick) and stopped when the hub did.
        assert runs == [1]
        assert await _state(w, report) == ("escalated", 1)


async def test_a_run_in_progress_finishes_when_the_hub_stops(store: GraphStore) -> None:
    async with care_world(store) as w:
        report = await _file(w)
        held = HeldWrites(store)
        stop = asyncio.Event()
        runs: list[int] = []
        timer = asyncio.create_task(
            run_escalations(
                held,
                every_s=3600,
                window_ms=HOUR_MS,
                stop=stop,
                clock=lambda: w.clock_s + 2 * 3600,
                on_run=runs.append,
            )
        )
        await asyncio.wait_for(held.entered.wait(), 60)
        stop.set()  # the hub stops while the statement is on its way
        held.release.set()
        await asyncio.wait_for(timer, 60)
        # The statement was not cut off, and no further run started.
        assert runs == [1]
        assert await _state(w, report) == ("escalated", 1)


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
        run_escalations(Broken(store), every_s=0.01, window_ms=HOUR_MS, stop=stop, on_run=heard),
        60,
    )
    assert runs == [0, 0]
