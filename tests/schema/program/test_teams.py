"""1+X+N teams: one team per director, members with roles, background checks that keep
barred people away from teams, volunteers' skills and availability."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from schema.access import Role
from tests.support.care_world import (
    DIRECTOR,
    DIRECTOR_2,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    TOWN,
    gid,
)
from tests.support.principals import user
from tests.support.teams_world import teams_world

FORM = """
mutation($d: ID!, $name: String) {
  formTeam(directorId: $d, name: $name) { id name villageCode leader { id } }
}"""
ADD = """
mutation($t: ID!, $role: TeamRole!, $w: ID, $v: ID) {
  addTeamMember(teamId: $t, role: $role, socialWorkerId: $w, volunteerId: $v) {
    members { memberId name professional role sinceDate }
  }
}"""
REMOVE = """
mutation($t: ID!, $m: ID!) {
  removeTeamMember(teamId: $t, memberId: $m) { members { memberId } }
}"""
CHECK = """
mutation($v: ID!, $status: BackgroundCheckStatus!, $date: Date!, $note: String) {
  recordBackgroundCheck(volunteerId: $v, status: $status, checkedDate: $date, note: $note) {
    status removedFromTeams check { status checkedDate checkedBy note volunteer { id } }
  }
}"""
VOLUNTEER = """
query($v: ID!) { node(id: $v) { ... on Volunteer {
  backgroundCheck backgroundCheckDate backgroundCheckStatus backgroundCheckExpires
  clearedForChildren skills availability { weekday start end }
  teams(first: 5) { nodes { id } }
  backgroundChecks(first: 10) { nodes { status checkedDate note } }
} } }"""
TEAM = gid("VolunteerTeam", "t-team-1")
ADMIN_OF_TOWN = STAFF


def _members(data: dict[str, Any], field: str) -> dict[str, dict[str, Any]]:
    return {m["memberId"]: m for m in data[field]["members"]}


async def test_a_director_leads_one_team(store: GraphStore) -> None:
    async with teams_world(store) as w:
        director = gid("Director", "t-dir-2")
        formed = (await w.run(FORM, STAFF, d=director, name="西村关爱服务队"))["formTeam"]
        assert formed["name"] == "西村关爱服务队"
        assert formed["leader"] == {"id": director}
        team = await w.run(
            "query($d: ID!) { node(id: $d) { ... on Director { team { id name } } } }",
            d=director,
        )
        assert team["node"]["team"]["id"] == formed["id"]
        assert "one team per director" in await w.errors(FORM, STAFF, d=director)
        # The one who already leads a team from the start:
        assert "already leads" in await w.errors(FORM, d=gid("Director", "t-dir-1"))


async def test_only_managers_of_the_town_form_teams(store: GraphStore) -> None:
    async with teams_world(store) as w:
        director = gid("Director", "t-dir-2")
        assert "FORBIDDEN" in await w.errors(FORM, DIRECTOR_2, d=director)
        assert "outside your regions" in await w.errors(FORM, OTHER_STAFF, d=director)
        assert "a Director's id" in await w.errors(FORM, STAFF, d=TEAM)


async def test_members_join_with_roles_and_leave(store: GraphStore) -> None:
    async with teams_world(store) as w:
        volunteer = gid("Volunteer", "t-vol-near")
        data = await w.run(ADD, SUPERVISOR, t=TEAM, role="VOLUNTEER", v=volunteer)
        members = _members(data, "addTeamMember")
        assert members[volunteer]["role"] == "volunteer"
        assert members[volunteer]["professional"] is False
        assert members[volunteer]["sinceDate"] == "2026-05-29"
        assert members[gid("SocialWorker", "t-sw-1")]["professional"] is True
        assert "already a member" in await w.errors(ADD, t=TEAM, role="VOLUNTEER", v=volunteer)
        assert "a volunteer's role" in await w.errors(
            ADD, t=TEAM, role="LAWYER", v=gid("Volunteer", "t-vol-craft")
        )
        assert "a professional's role" in await w.errors(
            ADD, t=TEAM, role="VOLUNTEER", w=gid("SocialWorker", "t-sw-1")
        )
        assert "exactly one" in await w.errors(ADD, t=TEAM, role="VOLUNTEER")
        left = await w.run(REMOVE, STAFF, t=TEAM, m=volunteer)
        assert volunteer not in {m["memberId"] for m in left["removeTeamMember"]["members"]}
        assert "not a member" in await w.errors(REMOVE, STAFF, t=TEAM, m=volunteer)


async def test_the_teams_director_changes_their_own_team_only(store: GraphStore) -> None:
    async with teams_world(store) as w:
        volunteer = gid("Volunteer", "t-vol-near")
        await w.run(ADD, DIRECTOR, t=TEAM, role="COORDINATOR", v=volunteer)
        other = (await w.run(FORM, STAFF, d=gid("Director", "t-dir-2")))["formTeam"]["id"]
        message = await w.errors(ADD, DIRECTOR, t=other, role="VOLUNTEER", v=volunteer)
        assert "their own team" in message
        assert "FORBIDDEN" in await w.errors(REMOVE, DIRECTOR_2, t=TEAM, m=volunteer)


async def test_barred_expired_and_pending_volunteers_never_join_a_team(store: GraphStore) -> None:
    async with teams_world(store) as w:
        for key, shown in (
            ("t-vol-flagged", "flagged"),
            ("t-vol-expired", "expired"),
            ("t-vol-pending", "pending"),
        ):
            message = await w.errors(ADD, t=TEAM, role="VOLUNTEER", v=gid("Volunteer", key))
            assert f"not cleared to work with children (background check: {shown})" in message
        data = await w.run("query($t: ID!) { node(id: $t) { ... on VolunteerTeam { members { "
                           "memberId } } } }", t=TEAM)  # fmt: skip
        assert {m["memberId"] for m in data["node"]["members"]} == {
            gid("Volunteer", "t-vol-ok"),
            gid("SocialWorker", "t-sw-1"),
        }


async def test_a_flagged_check_ends_every_membership(store: GraphStore) -> None:
    async with teams_world(store) as w:
        volunteer = gid("Volunteer", "t-vol-ok")
        data = await w.run(
            CHECK, v=volunteer, status="FLAGGED", date="2026-05-20", note="查询编号 TZ0001"
        )
        recorded = data["recordBackgroundCheck"]
        assert recorded["status"] == "FLAGGED"
        assert recorded["removedFromTeams"] == 1
        assert recorded["check"]["checkedBy"] == "center_admin:admin"
        assert recorded["check"]["volunteer"] == {"id": volunteer}
        seen = (await w.run(VOLUNTEER, v=volunteer))["node"]
        assert seen["teams"]["nodes"] == []
        assert seen["clearedForChildren"] is False
        assert seen["backgroundChecks"]["nodes"][0]["note"] == "查询编号 TZ0001"
        # Why someone was flagged is for center admins: station staff see the outcome only.
        staff = (await w.run(VOLUNTEER, STAFF, v=volunteer))["node"]
        assert staff["backgroundCheckStatus"] == "FLAGGED"
        assert staff["backgroundChecks"]["nodes"][0]["note"] is None
        # Directors do not read background checks at all.
        assert "FORBIDDEN" in await w.errors(VOLUNTEER, DIRECTOR, v=volunteer)


async def test_checks_are_recorded_by_center_admins_with_a_date_and_a_reason(
    store: GraphStore,
) -> None:
    async with teams_world(store) as w:
        volunteer = gid("Volunteer", "t-vol-pending")
        args: dict[str, Any] = {"v": volunteer, "status": "PASSED", "date": "2026-05-20"}
        assert "center admins only" in await w.errors(CHECK, STAFF, **args)
        future = {**args, "date": "2026-06-01"}
        assert "in the future" in await w.errors(CHECK, **future)
        assert "needs a `note`" in await w.errors(CHECK, **{**args, "status": "FLAGGED"})
        passed = (await w.run(CHECK, **args))["recordBackgroundCheck"]
        assert passed["status"] == "PASSED"
        assert passed["removedFromTeams"] == 0
        # An older check entered afterwards is kept on record but does not decide the status.
        older = {**args, "status": "PENDING", "date": "2026-05-01"}
        assert (await w.run(CHECK, **older))["recordBackgroundCheck"]["status"] == "PASSED"
        seen = (await w.run(VOLUNTEER, v=volunteer))["node"]
        assert seen["backgroundCheck"] == "passed"
        assert seen["backgroundCheckDate"] == "2026-05-20"
        assert seen["backgroundCheckExpires"] == "2027-05-20"
        assert len(seen["backgroundChecks"]["nodes"]) == 2
        # Now cleared, the volunteer may join.
        await w.run(ADD, t=TEAM, role="VOLUNTEER", v=volunteer)


async def test_a_passed_check_older_than_a_year_reads_as_expired(store: GraphStore) -> None:
    async with teams_world(store) as w:
        old = (await w.run(VOLUNTEER, v=gid("Volunteer", "t-vol-expired")))["node"]
        assert old["backgroundCheck"] == "passed"  # as recorded
        assert old["backgroundCheckStatus"] == "EXPIRED"  # as it stands today
        assert old["backgroundCheckExpires"] == "2026-04-01"
        assert old["clearedForChildren"] is False
        ok = (await w.run(VOLUNTEER, v=gid("Volunteer", "t-vol-ok")))["node"]
        assert (ok["backgroundCheckStatus"], ok["clearedForChildren"]) == ("PASSED", True)


async def test_skills_and_availability(store: GraphStore) -> None:
    async with teams_world(store) as w:
        update = """mutation($v: ID!, $skills: [String!], $slots: [AvailabilitySlotInput!]) {
          updateVolunteer(volunteerId: $v, skills: $skills, availability: $slots) {
            skills availability { weekday start end } } }"""
        volunteer = gid("Volunteer", "t-vol-craft")
        slots = [
            {"weekday": "SUN", "start": "14:00", "end": "17:00"},
            {"weekday": "WED", "start": "19:00", "end": "21:00"},
        ]
        data = await w.run(
            update, STAFF, v=volunteer, skills=["手工艺", "学业辅导", "手工艺"], slots=slots
        )
        shown = data["updateVolunteer"]
        assert shown["skills"] == ["手工艺", "学业辅导"]
        assert shown["availability"] == [
            {"weekday": "WED", "start": "19:00", "end": "21:00"},
            {"weekday": "SUN", "start": "14:00", "end": "17:00"},
        ]
        # Only the skills: the availability stays.
        kept = await w.run(update, STAFF, v=volunteer, skills=["手工艺"])
        assert len(kept["updateVolunteer"]["availability"]) == 2
        bad = [{"weekday": "MON", "start": "19:00", "end": "18:00"}]
        assert "ends after it starts" in await w.errors(update, v=volunteer, slots=bad)
        assert "HH:MM" in await w.errors(
            update, v=volunteer, slots=[{"weekday": "MON", "start": "7pm", "end": "21:00"}]
        )
        assert "plain text" in await w.errors(update, v=volunteer, skills=["<b>x</b>"])
        assert "FORBIDDEN" in await w.errors(update, DIRECTOR, v=volunteer, skills=["x"])
        # A member of a team in 测试镇: not for another town's staff.
        member = gid("Volunteer", "t-vol-ok")
        far_staff = user(Role.STATION_STAFF, ("990001002",))
        assert "outside your regions" in await w.errors(update, far_staff, v=member, skills=["x"])
        town_staff = user(Role.STATION_STAFF, (TOWN,))
        await w.run(update, town_staff, v=member, skills=["学业辅导"])
