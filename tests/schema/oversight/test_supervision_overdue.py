"""Overdue rectifications escalate on China's calendar: 催办 the day after the deadline, 通报 when
the grace of K more working days has ended; one statement per level, idempotent."""

from __future__ import annotations

import datetime as dt

from graph import GraphStore
from schema.core.workdays import is_workday
from schema.oversight.supervision_escalation import (
    EscalationRun,
    escalate_overdue_rectifications,
)
from tests.support.supervision_world import (
    DIRECTOR,
    SUPERVISOR,
    World,
    at,
    new_entry,
    new_rectification,
    new_task,
    state,
    supervision_world,
)

EVIDENCE = """mutation($id: ID!) { submitRectificationEvidence(id: $id,
  evidence: "已补齐全部走访记录") { status } }"""
SIGN_OFF = 'mutation($id: ID!) { signOffRectification(id: $id, note: "核实无误") { status } }'


async def _escalate(w: World, clock_s: float) -> EscalationRun:
    """One run of the escalation, with the world's clock set to ``clock_s``."""
    w.clock_s = clock_s
    now_ms = int(clock_s * 1000)
    return await escalate_overdue_rectifications(w.store, now_ms=now_ms, notice_after=3)


def test_the_30th_of_september_2026_is_the_last_working_day_before_national_day() -> None:
    assert is_workday(dt.date(2026, 9, 30))
    assert not any(is_workday(dt.date(2026, 10, d)) for d in range(1, 8))
    assert is_workday(dt.date(2026, 10, 10))  # a Saturday worked in lieu (调休)


async def test_due_on_the_last_working_day_before_national_day_overdue_on_the_first(
    store: GraphStore,
) -> None:
    async with supervision_world(store, at(2026, 9, 22, 10)) as w:
        entry = await new_entry(w, await new_task(w))
        rect = (await new_rectification(w, entry, deadline="2026-09-30"))["id"]
        # Evidence came in time, but nobody signed it off: it still counts as overdue.
        w.clock_s = at(2026, 9, 30, 16)
        await w.run(EVIDENCE, DIRECTOR, id=rect)
        # The deadline day runs to its last instant (China Standard Time) …
        assert await _escalate(w, at(2026, 9, 30, 23, 59, 59.999)) == EscalationRun(0, 0)
        before = await state(w, rect)
        assert (before["overdue"], before["escalationLevel"], before["escalation"]) == (
            False,
            0,
            None,
        )
        # … and at 00:00 on 1 October it is overdue: urged (催办) to the town's supervisor.
        assert await _escalate(w, at(2026, 10, 1)) == EscalationRun(urged=1, noticed=0)
        urged = await state(w, rect)
        assert (urged["overdue"], urged["escalationLevel"], urged["escalation"]) == (
            True,
            1,
            "催办",
        )
        assert urged["urgedAt"] == "2026-10-01T00:00:00+08:00"
        # Three working days of grace: 8, 9 and Saturday 10 October (worked in lieu).
        assert urged["noticeDueDate"] == "2026-10-10"
        # Idempotent: the next runs that day and during the holiday change nothing.
        assert await _escalate(w, at(2026, 10, 1, 0, 5)) == EscalationRun(0, 0)
        assert await _escalate(w, at(2026, 10, 10, 23, 59, 59.999)) == EscalationRun(0, 0)
        # The grace ended with the make-up Saturday: 通报 to the town and the city center.
        assert await _escalate(w, at(2026, 10, 11)) == EscalationRun(urged=0, noticed=1)
        assert await _escalate(w, at(2026, 10, 12)) == EscalationRun(0, 0)
        noticed = await state(w, rect)
        assert (noticed["escalationLevel"], noticed["escalation"]) == (2, "通报")
        steps = {s["action"]: s for s in noticed["steps"]["nodes"]}
        assert steps["urged"]["note"] == "逾期未销号，催办：测试镇儿童督导员赵督导"
        assert steps["noticed"]["note"] == "催办后仍未销号，通报：测试镇及市未成年人保护中心"
        assert steps["noticed"]["actorRole"] == "system"
        # Signed off at last: no longer overdue, and nothing escalates any more.
        await w.run(SIGN_OFF, SUPERVISOR, id=rect)
        assert (await state(w, rect))["overdue"] is False
        assert await _escalate(w, at(2026, 11, 2)) == EscalationRun(0, 0)


async def test_a_deadline_on_a_make_up_working_saturday(store: GraphStore) -> None:
    # Ordered on Friday 9 October 2026 with one working day: Saturday 10 October is worked
    # in lieu of National Day, so that is the deadline, and the 11th is the day it is overdue.
    async with supervision_world(store, at(2026, 10, 9, 10)) as w:
        rect = await new_rectification(w, await new_entry(w, await new_task(w)), days=1)
        assert rect["deadline"] == "2026-10-10"
        assert await _escalate(w, at(2026, 10, 10, 23, 59, 59.999)) == EscalationRun(0, 0)
        assert await _escalate(w, at(2026, 10, 11)) == EscalationRun(urged=1, noticed=0)
        # Grace from Sunday the 11th: 12, 13, 14 October; 通报 on the 15th.
        assert (await state(w, rect["id"]))["noticeDueDate"] == "2026-10-14"
        assert await _escalate(w, at(2026, 10, 14, 12)) == EscalationRun(0, 0)
        assert await _escalate(w, at(2026, 10, 15)) == EscalationRun(urged=0, noticed=1)


async def test_an_ordinary_friday_gives_until_monday(store: GraphStore) -> None:
    async with supervision_world(store, at(2026, 10, 16, 10)) as w:
        rect = await new_rectification(w, await new_entry(w, await new_task(w)), days=1)
        assert rect["deadline"] == "2026-10-19"
        assert await _escalate(w, at(2026, 10, 19, 23)) == EscalationRun(0, 0)
        assert await _escalate(w, at(2026, 10, 20)) == EscalationRun(urged=1, noticed=0)
