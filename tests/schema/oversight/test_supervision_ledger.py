"""The supervision ledger (台账): entries as immutable events, where and by whom, corrections."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from schema.core.ids import from_global_id
from tests.support.supervision_world import (
    ADMIN,
    DIRECTOR,
    OTHER_SUPERVISOR,
    RECORD,
    STAFF,
    SUPERVISOR,
    VILLAGE,
    gid,
    new_entry,
    new_rectification,
    new_task,
    supervision_world,
)

ENTRY = """
query($id: ID!) { node(id: $id) { ... on LedgerEntry { problem category severity regionCode
  foundDate month quarter version recordId source correctionReason
  task { id } village { code } station { id } director { id } recordedBy { id }
  rectifications(first: 5) { nodes { id } } } } }"""
CORRECT = """
mutation($id: ID!, $problem: String, $severity: LedgerSeverity) {
  correctLedgerEntry(id: $id, reason: "问题描述有误，更正", problem: $problem,
                     severity: $severity) { id version recordId problem severity } }"""


def _entry(task: str, **fields: Any) -> dict[str, Any]:
    return {
        "taskId": task,
        "problem": "村儿童之家活动记录不全",
        "category": "PREMISES",
        "severity": "SERIOUS",
        **fields,
    }


async def test_an_entry_records_the_problem_where_and_by_whom(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        entry = await new_entry(w, task, villageCode=VILLAGE, foundDate="2026-05-20")
        node = (await w.run(ENTRY, id=entry))["node"]
        assert node["problem"] == "本月走访未按要求全覆盖"
        assert (node["category"], node["severity"]) == ("走访不到位", "一般")
        assert node["regionCode"] == VILLAGE
        assert (node["foundDate"], node["month"], node["quarter"]) == (
            "2026-05-20",
            "2026-05",
            "2026Q2",
        )
        assert (node["version"], node["recordId"], node["source"]) == (
            1,
            from_global_id(entry)[1],
            "hub",
        )
        assert node["task"] == {"id": task}
        assert node["village"] == {"code": VILLAGE}
        assert node["director"] == {"id": gid("Director", "t-dir-1")}
        # The supervisor recording it is who found it.
        assert node["recordedBy"] == {"id": gid("Supervisor", "t-sup-1")}
        # The center records on the task's supervisor's behalf; a station is a place too.
        station = await w.run(
            RECORD, ADMIN, input=_entry(task, stationId=gid("Station", "t-station-1"))
        )
        assert station["recordLedgerEntry"]["regionCode"] == "990001001"
        assert station["recordLedgerEntry"]["recordedBy"] == {"id": gid("Supervisor", "t-sup-1")}
        listed = await w.run("{ ledgerEntries(first: 10) { nodes { id } } }", SUPERVISOR)
        assert len(listed["ledgerEntries"]["nodes"]) == 2


async def test_entries_are_refused_when_out_of_place(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        for reader in (STAFF, DIRECTOR):
            assert "FORBIDDEN" in await w.errors(RECORD, reader, input=_entry(task))
        cases: list[tuple[dict[str, Any], str]] = [
            ({}, "say where"),
            ({"villageCode": "990001001009"}, "no village has the code"),
            ({"villageCode": "990001002001"}, "outside the task's region"),
            (
                {"villageCode": VILLAGE, "directorId": gid("Director", "t-dir-3")},
                "different towns",
            ),
            ({"villageCode": VILLAGE, "foundDate": "2026-06-02"}, "in the future"),
            ({"villageCode": VILLAGE, "problem": "短"}, "at least 5"),
            ({"villageCode": VILLAGE, "taskId": gid("Town", "t-town-1")}, "a SupervisionTask's id"),
        ]
        for change, expected in cases:
            message = await w.errors(RECORD, SUPERVISOR, input=_entry(task, **change))
            assert expected in message, (change, message)
        # A supervisor of another town may not record here.
        other = await w.errors(RECORD, OTHER_SUPERVISOR, input=_entry(task, villageCode=VILLAGE))
        assert "outside your regions" in other


async def test_a_correction_is_a_new_version_keeping_places_and_rectifications(
    store: GraphStore,
) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        entry = await new_entry(w, task, villageCode=VILLAGE)
        rect = await new_rectification(w, entry)
        data = await w.run(CORRECT, SUPERVISOR, id=entry, problem="本季度走访覆盖率不足80%")
        corrected = data["correctLedgerEntry"]
        assert corrected["version"] == 2
        assert corrected["id"] != entry
        assert corrected["problem"] == "本季度走访覆盖率不足80%"
        assert corrected["severity"] == "一般"  # not corrected: kept
        new = (await w.run(ENTRY, id=corrected["id"]))["node"]
        old = (await w.run(ENTRY, id=entry))["node"]
        assert new["recordId"] == old["recordId"]
        assert new["correctionReason"] == "问题描述有误，更正"
        for edge in ("task", "village", "director", "recordedBy"):
            assert new[edge] == old[edge], edge
        assert new["rectifications"]["nodes"] == [{"id": rect["id"]}]
        # The list and the export show the current version only.
        listed = await w.run("{ ledgerEntries(first: 10) { nodes { id problem } } }")
        assert [n["id"] for n in listed["ledgerEntries"]["nodes"]] == [corrected["id"]]
        # The old version cannot be corrected again, nor a rectification ordered on it.
        assert "already corrected" in await w.errors(CORRECT, id=entry, severity="GRAVE")
        assert "FORBIDDEN" in await w.errors(CORRECT, DIRECTOR, id=corrected["id"], problem="x")
