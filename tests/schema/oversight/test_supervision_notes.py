"""Commissioners' notes become tracked tasks they can follow, without seeing children's data."""

from __future__ import annotations

from dataclasses import replace

from graph import GraphStore
from tests.support.supervision_world import (
    ADMIN,
    COMMISSIONER,
    DIRECTOR,
    SUPERVISOR,
    TOWN,
    gid,
    new_entry,
    new_rectification,
    new_task,
    supervision_world,
)

NOTE = """mutation($subject: ID!, $note: String!) {
  noteToTask(subjectId: $subject, note: $note) {
    id title origin note subjectId status period issuedDate dueDate regionCode
    supervisor { id } raisedBy { id name } parent { id } progress { done total percent }
  }
}"""
MINE = """query($me: ID!) {
  supervisionTasks(first: 10, filter: {raisedBy: $me, origin: {eq: "commissioner-note"}}) {
    nodes { id note progress { total } }
  }
  node(id: $me) { ... on Commissioner { raisedTasks(first: 10) { nodes { id } } } }
}"""
TEXT = "东村儿童之家周末不开放，请督促整改。\n群众多次反映。"


async def test_a_note_about_a_station_becomes_a_task_of_the_towns_supervisor(
    store: GraphStore,
) -> None:
    async with supervision_world(store) as w:
        station = gid("Station", "t-station-1")
        task = (await w.run(NOTE, COMMISSIONER, subject=station, note=TEXT))["noteToTask"]
        assert task["title"] == "督查专员意见：东村儿童之家周末不开放，请督促整改。"
        assert (task["origin"], task["note"], task["subjectId"]) == (
            "commissioner-note",
            TEXT,
            station,
        )
        assert (task["status"], task["period"]) == ("in_progress", "2026Q2")
        assert task["regionCode"] == TOWN
        # Issued Monday 1 June 2026; answered within 20 working days (端午 19 June is a holiday).
        assert (task["issuedDate"], task["dueDate"]) == ("2026-06-01", "2026-06-30")
        assert task["supervisor"] == {"id": gid("Supervisor", "t-sup-1")}
        assert task["raisedBy"] == {"id": gid("Commissioner", "t-com-1"), "name": "孙委员"}
        assert task["progress"] == {"done": 0, "total": 0, "percent": None}
        # The commissioner follows it; the supervisor works it like any task.
        me = gid("Commissioner", "t-com-1")
        mine = await w.run(MINE, COMMISSIONER, me=me)
        assert [n["id"] for n in mine["supervisionTasks"]["nodes"]] == [task["id"]]
        assert mine["node"]["raisedTasks"]["nodes"] == [{"id": task["id"]}]
        entry = await new_entry(w, task["id"], villageCode="990001001001")
        await new_rectification(w, entry)
        progress = (await w.run(MINE, COMMISSIONER, me=me))["supervisionTasks"]["nodes"][0]
        assert progress["progress"] == {"total": 1}


async def test_a_note_about_a_task_becomes_its_sub_task(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        parent = await new_task(w)
        note = await w.run(NOTE, COMMISSIONER, subject=parent, note="请同步核查各村档案完整性")
        assert note["noteToTask"]["parent"] == {"id": parent}
        progress = await w.run(
            "query($id: ID!) { node(id: $id) { ... on SupervisionTask { progress { total } } } }",
            COMMISSIONER,
            id=parent,
        )
        assert progress["node"]["progress"] == {"total": 1}


async def test_only_commissioners_note_and_only_where_they_oversee(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        station = gid("Station", "t-station-1")
        for reader in (ADMIN, SUPERVISOR, DIRECTOR):
            assert "FORBIDDEN" in await w.errors(NOTE, reader, subject=station, note=TEXT)
        far = gid("Village", "t-vil-3")
        assert "outside the towns you oversee" in await w.errors(
            NOTE, COMMISSIONER, subject=far, note=TEXT
        )
        unlinked = replace(COMMISSIONER, person_id=None)
        assert "not linked" in await w.errors(NOTE, unlinked, subject=station, note=TEXT)
        child = gid("Child", "t-child-1")
        assert "`subjectId` names" in await w.errors(NOTE, COMMISSIONER, subject=child, note=TEXT)
        assert "no Village with that id" in await w.errors(
            NOTE, COMMISSIONER, subject=gid("Village", "t-vil-9"), note=TEXT
        )
        assert "plain text" in await w.errors(
            NOTE, COMMISSIONER, subject=station, note="<script>x</script>"
        )


async def test_commissioners_read_supervision_records_never_childrens_data(
    store: GraphStore,
) -> None:
    async with supervision_world(store) as w:
        rect = await new_rectification(w, await new_entry(w, await new_task(w)))
        seen = await w.run(
            "{ rectifications(first: 5) { nodes { id status ledgerEntry { problem } "
            "steps(first: 5) { nodes { action } } } } }",
            COMMISSIONER,
        )
        assert [n["id"] for n in seen["rectifications"]["nodes"]] == [rect["id"]]
        assert seen["rectifications"]["nodes"][0]["steps"]["nodes"] == [{"action": "opened"}]
        children = "{ children(first: 5) { nodes { id } } }"
        assert "FORBIDDEN" in await w.errors(children, COMMISSIONER)
