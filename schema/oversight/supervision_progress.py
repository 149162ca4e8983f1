"""A task's progress, rolled up: its sub-tasks and the rectifications under it, done / total.

One statement per request for every task on the page (a DataLoader over
``supervision.progress``), whatever the page size. The roll-up covers the
whole subtree: a sub-task at any depth counts once (done when completed), and
so does every rectification of a ledger entry under the task or a sub-task
(done once signed off, 已整改, or re-checked, 复查通过). A task with nothing
under it yet has no percentage (null), not 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from graph.queries import supervision as q
from schema.context import Info
from schema.oversight import supervision_workflow as wf


@strawberry.type(description="Progress of a supervision task, rolled up over its subtree.")
class TaskProgress:
    done: int = strawberry.field(description="Sub-tasks completed + rectifications done")
    total: int = strawberry.field(description="Sub-tasks + rectifications under the task")
    percent: float | None = strawberry.field(
        description="done / total in percent, one decimal; null when nothing is under it yet"
    )
    sub_tasks_done: int
    sub_tasks_total: int
    rectifications_done: int = strawberry.field(
        description="Signed off (已整改) or held (复查通过)"
    )
    rectifications_total: int


def progress_from(row: dict[str, Any] | None) -> TaskProgress:
    """The progress of one row of ``supervision.progress`` (None: nothing under the task)."""
    row = row or {}
    sub_done, sub_total = int(row.get("subDone") or 0), int(row.get("subTotal") or 0)
    rect_done, rect_total = int(row.get("rectDone") or 0), int(row.get("rectTotal") or 0)
    done, total = sub_done + rect_done, sub_total + rect_total
    return TaskProgress(
        done=done,
        total=total,
        percent=round(100 * done / total, 1) if total else None,
        sub_tasks_done=sub_done,
        sub_tasks_total=sub_total,
        rectifications_done=rect_done,
        rectifications_total=rect_total,
    )


async def task_progress(info: Info, key: str) -> TaskProgress:
    """The progress of the task ``key``, batched with every other task of the request."""
    store = info.context.store

    async def load(keys: list[str]) -> Sequence[TaskProgress]:
        rows = await store.read(
            q.PROGRESS, {"ids": keys, "completed": wf.TASK_COMPLETED, "done": list(wf.DONE)}
        )
        found = {str(r["key"]): r for r in rows}
        return [progress_from(found.get(k)) for k in keys]

    loader = info.context.loaders.batch("supervision.progress", load)
    result: TaskProgress = await loader.load(key)
    return result
