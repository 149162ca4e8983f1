"""1+X+N teams through the API: form a team around a director, add and remove members,
volunteers' skills and availability, background checks.

Who may: center admins, and station staff and supervisors of the team's town
(:func:`schema.care.rights.require_manager`); the team's own director may
change its members too. Background checks are recorded by center admins only:
they come from the query to the public security organs (从业禁止/性侵害违法犯罪
信息查询) that the center makes.

A volunteer joins a team only while cleared (a passed check younger than
:data:`schema.program.teams_vetting.VALID_DAYS`); a pending check is not
enough either: the law asks for the query before someone works with children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from graph.queries import teams as q
from schema.access.policy import Access
from schema.access.principal import Role
from schema.care.common import key_of, now_ms, optional_text, plain_text
from schema.care.rights import MANAGERS, require_manager
from schema.context import Info
from schema.core.fields import written
from schema.core.ids import from_global_id
from schema.errors import BadArgument, Forbidden
from schema.people.types import Volunteer
from schema.program import teams_slots as slots
from schema.program import teams_vetting as vetting
from schema.program.teams_fields import today
from schema.program.teams_types import PROFESSIONAL_ROLES, BackgroundCheck, TeamRole
from schema.program.types import VolunteerTeam

MAX_SKILLS = 20
MAX_NOTE = 500


@strawberry.type(description="A background check recorded, and what followed from it.")
class RecordedCheck:
    check: BackgroundCheck
    status: vetting.BackgroundCheckStatus | None = strawberry.field(
        description="The volunteer's status now (the check with the latest date decides)"
    )
    removed_from_teams: int = strawberry.field(
        description="Team memberships ended because the check was flagged"
    )


def _actor(info: Info) -> str:
    principal = info.context.access.principal
    return f"{principal.role.value}:{principal.name}"


def _require_team_manager(access: Access, village: str | None, leader: str | None) -> None:
    principal = access.principal
    if principal.kind == "user" and principal.role is Role.DIRECTOR:
        if leader is None or principal.person_id != leader:
            raise Forbidden("changing a team: directors change their own team only")
        return
    require_manager(access, village, "changing a team")


def _skills(values: list[str]) -> list[str]:
    if len(values) > MAX_SKILLS:
        raise BadArgument(f"`skills` takes at most {MAX_SKILLS} skills")
    out: list[str] = []
    for value in values:
        skill = plain_text(value, "skills", maximum=20, lines=False)
        if skill not in out:
            out.append(skill)
    return out


@strawberry.type
class TeamMutations:
    @strawberry.mutation(
        description="Form the 1+X+N team around a director (one team per director). Center "
        "admins, or station staff and supervisors of the director's town."
    )
    async def form_team(
        self, info: Info, director_id: strawberry.ID, name: str | None = None
    ) -> VolunteerTeam:
        access = info.context.access
        director = key_of(director_id, "Director", "directorId")
        found = await info.context.store.read(q.DIRECTOR, {"directorId": director})
        if not found:
            raise BadArgument("no director with that id")
        facts = found[0]
        require_manager(access, facts["villageCode"], "forming a team")
        if facts["status"] == "departed":
            raise BadArgument("that director has departed")
        if facts["teams"]:
            raise BadArgument("that director already leads a team: one team per director")
        team_name = optional_text(name, "name", maximum=60, lines=False)
        team_id = f"team-{uuid.uuid4().hex}"
        rows, _ = await info.context.store.write(
            q.FORM,
            {
                "directorId": director,
                "teamId": team_id,
                "name": team_name or f"{facts['name'] or ''}1+X+N关爱服务队",
                "formedDate": today(info).isoformat(),
                "at": now_ms(info),
            },
        )
        if not rows:  # pragma: no cover - another request formed one meanwhile
            raise BadArgument("that director already leads a team: one team per director")
        formed: VolunteerTeam = await written(info, VolunteerTeam, team_id)
        return formed

    @strawberry.mutation(
        description="Add a professional (the X: `socialWorkerId`) or a volunteer (the N: "
        "`volunteerId`) to a team. A volunteer must be cleared by a current, passed background "
        "check: flagged, expired or pending checks are refused."
    )
    async def add_team_member(
        self,
        info: Info,
        team_id: strawberry.ID,
        role: TeamRole,
        social_worker_id: strawberry.ID | None = None,
        volunteer_id: strawberry.ID | None = None,
    ) -> VolunteerTeam:
        if (social_worker_id is None) == (volunteer_id is None):
            raise BadArgument("give exactly one of `socialWorkerId` and `volunteerId`")
        team = key_of(team_id, "VolunteerTeam", "teamId")
        worker = (
            key_of(social_worker_id, "SocialWorker", "socialWorkerId") if social_worker_id else None
        )
        volunteer = key_of(volunteer_id, "Volunteer", "volunteerId") if volunteer_id else None
        store = info.context.store
        found = await store.read(
            q.MEMBER_FACTS, {"teamId": team, "volunteerId": volunteer, "socialWorkerId": worker}
        )
        if not found:
            raise BadArgument("no team with that id")
        facts = found[0]
        _require_team_manager(info.context.access, facts["villageCode"], facts["leader"])
        params: dict[str, Any] = {
            "teamId": team,
            "role": role.value,
            "sinceDate": today(info).isoformat(),
            "at": now_ms(info),
        }
        if worker is not None:
            if facts["socialWorker"] is None:
                raise BadArgument("no professional with that id")
            if role not in PROFESSIONAL_ROLES:
                raise BadArgument("a professional's role: social worker, psychologist or lawyer")
            stmt = q.ADD_SOCIAL_WORKER
            params["socialWorkerId"] = worker
        else:
            if facts["volunteer"] is None:
                raise BadArgument("no volunteer with that id")
            if role in PROFESSIONAL_ROLES:
                raise BadArgument("a volunteer's role: volunteer or coordinator")
            day = today(info)
            status = vetting.effective(facts["check"], facts["checkDate"], day)
            if status is not vetting.BackgroundCheckStatus.PASSED:
                state = status.value if status is not None else "not recorded"
                raise BadArgument(
                    f"the volunteer is not cleared to work with children (background check: "
                    f"{state}); only a current, passed check allows joining a team"
                )
            stmt = q.ADD_VOLUNTEER
            params["volunteerId"] = volunteer
            params["validSince"] = vetting.valid_since(day)
        if facts["member"]:
            raise BadArgument("already a member of that team")
        rows, _ = await store.write(stmt, params)
        if not rows:  # pragma: no cover - the check changed between the read and the write
            raise BadArgument("the volunteer's background check changed meanwhile: not added")
        shown: VolunteerTeam = await written(info, VolunteerTeam, team)
        return shown

    @strawberry.mutation(description="Remove a professional or a volunteer from a team.")
    async def remove_team_member(
        self, info: Info, team_id: strawberry.ID, member_id: strawberry.ID
    ) -> VolunteerTeam:
        team = key_of(team_id, "VolunteerTeam", "teamId")
        kind, member = from_global_id(str(member_id))
        if kind not in ("SocialWorker", "Volunteer"):
            raise BadArgument("`memberId` must be a SocialWorker's or a Volunteer's id")
        store = info.context.store
        found = await store.read(
            q.MEMBER_FACTS, {"teamId": team, "volunteerId": None, "socialWorkerId": None}
        )
        if not found:
            raise BadArgument("no team with that id")
        _require_team_manager(info.context.access, found[0]["villageCode"], found[0]["leader"])
        rows, _ = await store.write(q.REMOVE_MEMBER, {"teamId": team, "memberId": member})
        if not rows:
            raise BadArgument("not a member of that team")
        shown: VolunteerTeam = await written(info, VolunteerTeam, team)
        return shown

    @strawberry.mutation(
        description="Set a volunteer's skills and weekly availability (null: left as they "
        "are). Center admins, or station staff and supervisors of a town where they serve."
    )
    async def update_volunteer(
        self,
        info: Info,
        volunteer_id: strawberry.ID,
        skills: list[str] | None = None,
        availability: list[slots.AvailabilitySlotInput] | None = None,
    ) -> Volunteer:
        access = info.context.access
        principal = access.principal
        if principal.kind != "user" or principal.role not in MANAGERS:
            raise Forbidden("updating a volunteer: center admins, station staff and supervisors")
        volunteer = key_of(volunteer_id, "Volunteer", "volunteerId")
        found = await info.context.store.read(q.VOLUNTEER, {"volunteerId": volunteer})
        if not found:
            raise BadArgument("no volunteer with that id")
        villages = [v for v in found[0]["villages"] if v]
        if villages and not any(access.principal.covers(v) for v in villages):
            raise Forbidden("updating a volunteer: they serve outside your regions")
        params = {
            "volunteerId": volunteer,
            "skills": None if skills is None else _skills(skills),
            "availability": None
            if availability is None
            else [s.text() for s in slots.parse_inputs(availability, "availability")],
        }
        await info.context.store.write(q.UPDATE_VOLUNTEER, params)
        updated: Volunteer = await written(info, Volunteer, volunteer)
        return updated

    @strawberry.mutation(
        description="Record a volunteer's background check (从业禁止/性侵害违法犯罪信息查询). "
        "Center admins only. A flagged check ends the volunteer's team memberships at once; "
        "a flagged, expired or pending volunteer is never matched with a child."
    )
    async def record_background_check(
        self,
        info: Info,
        volunteer_id: strawberry.ID,
        status: vetting.BackgroundCheckStatus,
        checked_date: dt.date,
        note: str | None = None,
    ) -> RecordedCheck:
        principal = info.context.access.principal
        if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
            raise Forbidden("recording a background check: center admins only")
        volunteer = key_of(volunteer_id, "Volunteer", "volunteerId")
        day = today(info)
        if checked_date > day:
            raise BadArgument("`checkedDate` lies in the future")
        text = optional_text(note, "note", maximum=MAX_NOTE)
        if status is vetting.BackgroundCheckStatus.FLAGGED and text is None:
            raise BadArgument("a flagged check needs a `note` (e.g. the query's reference)")
        check_id = f"bgcheck-{uuid.uuid4().hex}"
        rows, _ = await info.context.store.write(
            q.RECORD_CHECK,
            {
                "volunteerId": volunteer,
                "id": check_id,
                "status": status.value,
                "checkedDate": checked_date.isoformat(),
                "note": text,
                "checkedBy": _actor(info),
                "at": now_ms(info),
            },
        )
        if not rows:
            raise BadArgument("no volunteer with that id")
        return RecordedCheck(
            check=await written(info, BackgroundCheck, check_id),
            status=vetting.effective(rows[0]["current"], rows[0]["currentDate"], day),
            removed_from_teams=int(rows[0]["removed"]),
        )
