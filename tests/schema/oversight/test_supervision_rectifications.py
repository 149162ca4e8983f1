"""Rectifications: deadlines on China's working days, evidence by the doer, sign-off by another
role, the re-check and a relapse, each step in the trail; states refused with clear errors."""

from __future__ import annotations

from dataclasses import replace

from graph import GraphStore
from tests.support.care_world import DIRECTOR_2
from tests.support.supervision_world import (
    ADMIN,
    COMMISSIONER,
    DIRECTOR,
    OPEN,
    OTHER_SUPERVISOR,
    STAFF,
    SUPERVISOR,
    at,
    gid,
    new_entry,
    new_rectification,
    new_task,
    state,
    supervision_world,
)

STAFF_2 = replace(STAFF, subject="user-station-2", name="station-2")
EVIDENCE = """mutation($id: ID!, $evidence: String!, $photo: String) {
  submitRectificationEvidence(id: $id, evidence: $evidence, photo: $photo) {
    status stage evidence submitterRole } }"""
SIGN_OFF = """mutation($id: ID!, $after: Int! = 10) {
  signOffRectification(id: $id, note: "现场核实，已整改到位", recheckAfterWorkingDays: $after) {
    status stage completedDate recheckDate signedOffRole } }"""
RECHECK = """mutation($id: ID!, $outcome: RecheckOutcome!, $days: Int) {
  recheckRectification(id: $id, outcome: $outcome, note: "复查情况", deadlineWorkingDays: $days) {
    status stage round deadline recheckOutcome evidence completedDate } }"""
FIXED = "补走访3户，并更新“一人一档”资料"


async def test_a_deadline_in_working_days_skips_national_day_and_counts_the_make_up_saturday(
    store: GraphStore,
) -> None:
    # Ordered on Tuesday 29 September 2026: 30 Sep is the 1st working day, 1–7 Oct are
    # 国庆, 8 and 9 Oct the 2nd and 3rd, Saturday 10 Oct (worked in lieu) the 4th, Monday
    # 12 Oct the 5th.
    async with supervision_world(store, at(2026, 9, 29, 10)) as w:
        entry = await new_entry(w, await new_task(w))
        rect = await new_rectification(w, entry, days=5)
        assert (rect["deadline"], rect["workingDays"]) == ("2026-10-12", 5)
        assert (rect["status"], rect["stage"], rect["round"]) == ("整改中", "OPEN", 1)
        assert rect["assigneeRole"] == "director"
        assert rect["assigneeName"] == "儿童主任张主任"
        assert rect["urgeTo"] == "测试镇儿童督导员赵督导"
        assert rect["noticeTo"] == "测试镇及市未成年人保护中心"
        assert rect["overdue"] is False


async def test_a_deadline_given_as_a_holiday_runs_to_the_next_working_day(
    store: GraphStore,
) -> None:
    async with supervision_world(store, at(2026, 9, 29, 10)) as w:
        entry = await new_entry(w, await new_task(w))
        rect = await new_rectification(w, entry, deadline="2026-10-03")
        # 30 Sep and 8 Oct are the working days up to it.
        assert (rect["deadline"], rect["workingDays"]) == ("2026-10-08", 2)
        again = await w.errors(OPEN, SUPERVISOR, entry=entry, assignee={"role": "DIRECTOR"})
        assert "under way" in again


async def test_ordering_is_checked(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        entry = await new_entry(w, await new_task(w))
        director = {"role": "DIRECTOR"}
        for reader in (STAFF, DIRECTOR, COMMISSIONER):
            assert "FORBIDDEN" in await w.errors(OPEN, reader, entry=entry, assignee=director)
        assert "outside your regions" in await w.errors(
            OPEN, OTHER_SUPERVISOR, entry=entry, assignee=director
        )
        cases = [
            ({"days": 2, "deadline": "2026-06-10"}, "not both"),
            ({"days": 0}, "1 to 120"),
            ({"deadline": "2026-06-01"}, "must be after today"),
            ({"assignee": {"role": "STATION_STAFF", "directorId": gid("Director", "t-dir-1")}},
             "for the role DIRECTOR only"),
            ({"assignee": {"role": "DIRECTOR", "directorId": gid("Director", "t-dir-3")}},
             "another town"),
        ]  # fmt: skip
        for change, expected in cases:
            variables = {"entry": entry, "assignee": director, **change}
            message = await w.errors(OPEN, SUPERVISOR, **variables)
            assert expected in message, (change, message)


async def test_the_doer_submits_and_another_role_signs_off(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        rect = (await new_rectification(w, await new_entry(w, await new_task(w))))["id"]
        # Only the director named submits evidence.
        for reader in (DIRECTOR_2, STAFF, SUPERVISOR):
            message = await w.errors(EVIDENCE, reader, id=rect, evidence=FIXED)
            assert "FORBIDDEN" in message, reader.name
        assert "nothing to sign off yet" in await w.errors(SIGN_OFF, SUPERVISOR, id=rect)
        done = await w.run(EVIDENCE, DIRECTOR, id=rect, evidence=FIXED)
        assert done["submitRectificationEvidence"] == {
            "status": "待验收",
            "stage": "SUBMITTED",
            "evidence": FIXED,
            "submitterRole": "director",
        }
        # Directors never sign off; a supervisor of another town neither.
        assert "FORBIDDEN" in await w.errors(SIGN_OFF, DIRECTOR, id=rect)
        assert "outside your regions" in await w.errors(SIGN_OFF, OTHER_SUPERVISOR, id=rect)
        signed = (await w.run(SIGN_OFF, STAFF, id=rect, after=3))["signOffRectification"]
        # Signed off on Monday 1 June: the re-check falls due 3 working days later.
        assert signed == {
            "status": "已整改",
            "stage": "SIGNED_OFF",
            "completedDate": "2026-06-01",
            "recheckDate": "2026-06-04",
            "signedOffRole": "station_staff",
        }
        assert "already signed off" in await w.errors(SIGN_OFF, SUPERVISOR, id=rect)
        assert "is open" in await w.errors(EVIDENCE, DIRECTOR, id=rect, evidence=FIXED)


async def test_the_same_role_or_person_cannot_sign_off_their_own_work(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        station = await new_rectification(w, await new_entry(w, task), role="STATION_STAFF")
        await w.run(EVIDENCE, STAFF, id=station["id"], evidence=FIXED)
        assert "cannot sign it off" in await w.errors(SIGN_OFF, STAFF, id=station["id"])
        # A colleague at the station: the same role as the doer's.
        message = await w.errors(SIGN_OFF, STAFF_2, id=station["id"])
        assert "done by a station_staff: another role must sign it off" in message
        await w.run(SIGN_OFF, SUPERVISOR, id=station["id"])
        mine = await new_rectification(w, await new_entry(w, task), role="SUPERVISOR")
        assert mine["assigneeName"] == "测试镇儿童督导员赵督导"
        await w.run(EVIDENCE, SUPERVISOR, id=mine["id"], evidence=FIXED)
        assert "cannot sign it off" in await w.errors(SIGN_OFF, SUPERVISOR, id=mine["id"])
        await w.run(SIGN_OFF, ADMIN, id=mine["id"])


async def test_the_recheck_holds_or_a_relapse_starts_a_new_round(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        rect = (await new_rectification(w, await new_entry(w, task), days=5))["id"]
        assert "still 整改中" in await w.errors(RECHECK, id=rect, outcome="HELD")
        w.clock_s += 60
        await w.run(EVIDENCE, DIRECTOR, id=rect, evidence=FIXED)
        w.clock_s += 60
        await w.run(SIGN_OFF, SUPERVISOR, id=rect, after=2)
        assert "falls due on 2026-06-03" in await w.errors(RECHECK, id=rect, outcome="HELD")
        assert "FORBIDDEN" in await w.errors(RECHECK, DIRECTOR, id=rect, outcome="HELD")
        w.clock_s = at(2026, 6, 3, 9)
        relapsed = (await w.run(RECHECK, SUPERVISOR, id=rect, outcome="RELAPSED"))[
            "recheckRectification"
        ]
        # A new round: open again, due 5 working days on (as before), evidence to come.
        assert relapsed == {
            "status": "整改中",
            "stage": "OPEN",
            "round": 2,
            "deadline": "2026-06-10",
            "recheckOutcome": "RELAPSED",
            "evidence": None,
            "completedDate": None,
        }
        w.clock_s += 60
        await w.run(EVIDENCE, DIRECTOR, id=rect, evidence="再次整改：建立走访台账")
        w.clock_s += 60
        await w.run(SIGN_OFF, STAFF, id=rect, after=1)
        w.clock_s = at(2026, 6, 4, 9)
        held = (await w.run(RECHECK, ADMIN, id=rect, outcome="HELD"))["recheckRectification"]
        assert (held["status"], held["stage"], held["round"]) == ("复查通过", "HELD", 2)
        assert "closed" in await w.errors(RECHECK, id=rect, outcome="HELD")
        trail = await state(w, rect)
        steps = [(s["action"], s["round"]) for s in trail["steps"]["nodes"]]
        assert steps == [
            ("opened", 1),
            ("evidence-submitted", 1),
            ("signed-off", 1),
            ("rechecked-relapsed", 1),
            ("evidence-submitted", 2),
            ("signed-off", 2),
            ("rechecked-held", 2),
        ]
        roles = {s["action"]: s["actorRole"] for s in trail["steps"]["nodes"]}
        assert roles["opened"] == "supervisor"
        assert roles["rechecked-held"] == "center_admin"


async def test_a_director_reads_their_own_rectifications_only(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        task = await new_task(w)
        mine = await new_rectification(w, await new_entry(w, task))
        await new_rectification(w, await new_entry(w, task), role="STATION_STAFF")
        query = "{ rectifications(first: 10) { nodes { id ledgerEntry { problem } } } }"
        seen = (await w.run(query, DIRECTOR))["rectifications"]["nodes"]
        assert seen == [{"id": mine["id"], "ledgerEntry": {"problem": "本月走访未按要求全覆盖"}}]
        assert (await w.run(query, DIRECTOR_2))["rectifications"]["nodes"] == []
        assert "FORBIDDEN" in await w.errors("{ supervisionTasks(first: 5) { nodes { id } } }",
                                             DIRECTOR)  # fmt: skip


async def test_evidence_photo_must_be_a_blob_key(store: GraphStore) -> None:
    async with supervision_world(store) as w:
        rect = (await new_rectification(w, await new_entry(w, await new_task(w))))["id"]
        bad = await w.errors(EVIDENCE, DIRECTOR, id=rect, evidence=FIXED, photo="../etc/passwd")
        assert "blob key" in bad
        key = "ab" * 32
        done = await w.run(EVIDENCE, DIRECTOR, id=rect, evidence=FIXED, photo=f"sha256:{key}")
        assert done["submitRectificationEvidence"]["stage"] == "SUBMITTED"
        assert (await state(w, rect))["evidencePhoto"] == key
