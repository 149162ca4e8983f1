"""Escalating overdue rectifications: 催办 (urge), then 通报 (public notice), one statement each.

A rectification not signed off by the end of its deadline day is overdue from
00:00 China Standard Time the next day: the first run from then on urges it
(level 1) to the doer's superior and gives it ``notice_after`` more working
days of grace; a run after the grace has ended notices it (level 2) to the
town and the city center. Each level is one statement over all rectifications
at once, with its step in the trail; running again changes nothing until
something else falls due. The hub runs this every few minutes (see
``hub.supervision_escalation``); tests call it with the clock they need.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import GraphStore
from graph.queries import supervision as q
from schema.oversight import supervision_workflow as wf

URGE_NOTE = "逾期未销号，催办："
NOTICE_NOTE = "催办后仍未销号，通报："


@dataclass(frozen=True)
class EscalationRun:
    """What one run escalated."""

    urged: int
    noticed: int

    @property
    def total(self) -> int:
        return self.urged + self.noticed


async def escalate_overdue_rectifications(
    store: GraphStore, *, now_ms: int, notice_after: int = wf.DEFAULT_NOTICE_AFTER
) -> EscalationRun:
    """Urge what became overdue, notice what stayed overdue past its grace; the counts."""
    day = wf.today(now_ms)
    common = {
        "running": list(wf.RUNNING),
        "today": day.isoformat(),
        "now": now_ms,
        "actorRole": wf.SYSTEM,
        "source": "hub",
    }
    # 通报 first: a rectification urged in this very run has its grace still ahead.
    noticed, _ = await store.write(q.NOTICE, {**common, "action": wf.NOTICED, "note": NOTICE_NOTE})
    urged, _ = await store.write(
        q.URGE,
        {
            **common,
            "noticeDue": wf.notice_due(day, notice_after).isoformat(),
            "action": wf.URGED,
            "note": URGE_NOTE,
        },
    )
    return EscalationRun(
        urged=int(urged[0]["escalated"]) if urged else 0,
        noticed=int(noticed[0]["escalated"]) if noticed else 0,
    )
