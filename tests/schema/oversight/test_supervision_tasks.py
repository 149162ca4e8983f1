"""Key supervision task lists: who issues them, sub-tasks, progress rolled up, completion."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from tests.support.supervision_world import (
    ADMIN,
    COMMISSIONER,
    CREATE_TASK,
    DIRECTOR,
    OTHER_SUPERVISOR,
    STAFF,
    SUPERVISOR,
    TOWN,
    World,
    gid,
    new_entry,
    new_rectification,
    new_task,
    supervision_world,
)

PROGRESS = """
query($id: ID!) { node(id: $id) { ... on SupervisionTask { status
  progress { done total percent subTasksDone subTasksTotal rectificationsDone rectificationsTotal }
  subTasks(first: 10) { nodes { id parent { id } } } } } }"""
COMPLETE = "mutation($id: ID!) { completeSupervisionTask(id: $id) { status completedAt } }"
EVIDENCE = """mutation($id: ID!) { submitRectificationEvidence(id: $id,
  evidence: "已补齐全部走访记录") { status } }"""
SIGN_OFF = 'mutation($id: ID!) { signOffRectification(id: $id, note: "核实无误") { status } }'


def _progress(data: dict[str, Any]) -> dict[str, Any]:
    progress: dict[str, Any] = data["node"]["progress"]
    return progress


async def _fix(w: World, rect_id: str) -> None:
    await w.run(EVIDENCE, DIRECTOR, id=rect_id)
    await w.run(SIGN_OFF, SUPERVISOR, id=rect_id)


async def test_the_center_issues_a_task_carried_by_the_towns_supervisor(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        data = await w.run(
            "query($id: ID!) { node(id: $id) { ... on SupervisionTask { title period status "
            "origin regionCode issuedDate dueDate createdBy supervisor { id } "
            "towns(first: 5) { nodes { code } } } } }",
            id=task,
        )
        node = data["node"]
        assert node["supervisor"] == {"id": gid("Supervisor", "t-sup-1")}
        assert [t["code"] for t in node["towns"]["nodes"]] == [TOWN]
        assert (node["status"], node["origin"], node["regionCode"]) == ("in_progress", "plan", TOWN)
        assert node["issuedDate"] == "2026-06-01"  # the world's clock
        assert node["createdBy"] == ADMIN.name
        # Two towns: the task lies at their common division, the county.
        both = await new_task(w, townCodes=[TOWN, "990001002"])
        wide = await w.run(
            "query($id: ID!) { node(id: $id) { ... on SupervisionTask { regionCode "
            "supervisor { id } } } }",
            id=both,
        )
        assert wide["node"] == {"regionCode": "990001", "supervisor": None}


async def test_who_may_issue_tasks_and_what_is_refused(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        good = {"title": "档案规范化督查", "period": "2026Q3", "dueDate": "2026-09-30"}
        for reader in (STAFF, DIRECTOR, COMMISSIONER, SUPERVISOR):
            message = await w.errors(CREATE_TASK, reader, input={**good, "townCodes": [TOWN]})
            assert "FORBIDDEN" in message, reader.role
        bad: list[tuple[dict[str, Any], str]] = [
            ({"period": "Q3"}, "`period`"),
            ({"dueDate": "2026-01-01"}, "already past"),
            ({"townCodes": ["990001009"]}, "no town has the code 990001009"),
            ({"townCodes": ["9900"]}, "9-digit"),
            ({"title": "<b>督查</b>"}, "plain text"),
            ({"supervisorId": gid("Supervisor", "t-sup-2")}, "supervises none of the task's towns"),
        ]
        for change, expected in bad:
            message = await w.errors(CREATE_TASK, input={**good, "townCodes": [TOWN], **change})
            assert expected in message, (change, message)


async def test_supervisors_add_sub_tasks_under_the_tasks_they_carry(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        parent = await new_task(w)
        sub = await new_task(w, SUPERVISOR, title="东村档案核查", parentId=parent)
        data = await w.run(PROGRESS, id=parent)
        assert [n["id"] for n in data["node"]["subTasks"]["nodes"]] == [sub]
        assert data["node"]["subTasks"]["nodes"][0]["parent"] == {"id": parent}
        elsewhere = {
            "title": "远方镇核查",
            "period": "2026Q2",
            "dueDate": "2026-12-31",
            "townCodes": [TOWN],
            "parentId": parent,
        }
        message = await w.errors(CREATE_TASK, OTHER_SUPERVISOR, input=elsewhere)
        assert "FORBIDDEN" in message


async def test_progress_rolls_up_sub_tasks_and_rectifications(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        parent = await new_task(w)
        sub = await new_task(w, SUPERVISOR, title="东村档案核查", parentId=parent)
        # Nothing under it yet: no percentage, rather than a misleading 0 % or 100 %.
        empty = _progress(await w.run(PROGRESS, id=sub))
        assert (empty["done"], empty["total"], empty["percent"]) == (0, 0, None)
        first = await new_rectification(w, await new_entry(w, parent))
        second = await new_rectification(w, await new_entry(w, sub))
        await new_entry(w, sub)  # noted, no rectification ordered: nothing to track
        top = _progress(await w.run(PROGRESS, id=parent))
        assert top == {
            "done": 0,
            "total": 3,
            "percent": 0.0,
            "subTasksDone": 0,
            "subTasksTotal": 1,
            "rectificationsDone": 0,
            "rectificationsTotal": 2,
        }
        await _fix(w, second["id"])
        assert _progress(await w.run(PROGRESS, id=sub))["percent"] == 100.0
        assert "not done" in await w.errors(COMPLETE, id=parent)
        completed = await w.run(COMPLETE, SUPERVISOR, id=sub)
        assert completed["completeSupervisionTask"]["status"] == "completed"
        top = _progress(await w.run(PROGRESS, id=parent))
        assert (top["done"], top["total"], top["percent"]) == (2, 3, 66.7)
        await _fix(w, first["id"])
        assert _progress(await w.run(PROGRESS, id=parent))["percent"] == 100.0
        await w.run(COMPLETE, id=parent)
        assert "already completed" in await w.errors(COMPLETE, id=parent)


async def test_progress_of_a_page_of_tasks_costs_one_statement(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        for _ in range(3):
            await new_rectification(w, await new_entry(w, await new_task(w)))
        query = "{ supervisionTasks(first: 10) { nodes { id progress { total } } } }"
        reads: list[str] = []
        w.store = _Reads(store, reads)  # type: ignore[assignment]
        data = await w.run(query)
        totals = [n["progress"]["total"] for n in data["supervisionTasks"]["nodes"]]
        assert totals == [1, 1, 1]
        assert reads.count("supervision.progress") == 1


class _Reads:
    """The real store, noting the names of the statements read through it."""

    def __init__(self, inner: GraphStore, names: list[str]) -> None:
        self.inner, self.names, self.backend = inner, names, inner.backend

    async def read(self, stmt: Any, params: Any = None) -> Any:
        self.names.append(stmt.name)
        return await self.inner.read(stmt, params)

    async def write(self, stmt: Any, params: Any = None) -> Any:
        return await self.inner.write(stmt, params)
