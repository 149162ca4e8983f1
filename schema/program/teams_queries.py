"""``matchVolunteers(childId, needs, first, when)``: volunteers proposed for a child.

Who may ask: center admins, station staff and supervisors whose regions hold
the child's home village, and the directors paired with the child. The child's
home position is read for the distances and noted in the request's audit event
(as used, not returned); the answer carries distances only.
"""

from __future__ import annotations

import strawberry

from graph.queries import teams as q
from schema.access.principal import Role
from schema.care.common import key_of, plain_text
from schema.care.rights import MANAGERS
from schema.context import Info
from schema.core.fields import make_object
from schema.errors import BadArgument, Forbidden
from schema.people.types import Volunteer
from schema.program import teams_matching as matching
from schema.program import teams_slots as slots
from schema.program import teams_vetting as vetting
from schema.program.teams_fields import today

MAX_NEEDS = 10
MAX_FIRST = 50


@strawberry.type(description="A volunteer proposed for a child, with the reasons for the score.")
class VolunteerMatch:
    volunteer: Volunteer
    score: float = strawberry.field(description="0–100: skills, distance, availability, team")
    skills_matched: list[str] = strawberry.field(description="The needs the volunteer covers")
    km: float = strawberry.field(description="From the child's home, rounded to 0.1 km")
    available: list[slots.AvailabilitySlot] = strawberry.field(
        description="Their slots meeting the times asked for (`when`)"
    )
    in_team: bool = strawberry.field(description="Serves in the team of the child's director")
    explanation: list[str] = strawberry.field(description="One line per part of the score")


def _needs(values: list[str]) -> list[str]:
    if not values:
        raise BadArgument("`needs` names at least one skill, e.g. 学业辅导")
    if len(values) > MAX_NEEDS:
        raise BadArgument(f"`needs` takes at most {MAX_NEEDS} skills")
    out: list[str] = []
    for value in values:
        need = plain_text(value, "needs", maximum=20, lines=False)
        if need not in out:
            out.append(need)
    return out


@strawberry.type
class TeamQueries:
    @strawberry.field(
        description="Volunteers for a child's needs, best first: by skills, distance from the "
        "child's home, availability (`when`) and team. Only volunteers with a current, passed "
        "background check are ever proposed. Managers of the child's town and the child's "
        "directors; the child's home position is used, never returned."
    )
    async def match_volunteers(
        self,
        info: Info,
        child_id: strawberry.ID,
        needs: list[str],
        first: int = 10,
        when: list[slots.AvailabilitySlotInput] | None = None,
    ) -> list[VolunteerMatch]:
        access = info.context.access
        principal = access.principal
        if principal.kind != "user" or principal.role not in MANAGERS | {Role.DIRECTOR}:
            raise Forbidden("matching volunteers: managers of the child's town and their director")
        access.require_rows("Volunteer", "matching volunteers")
        child = key_of(child_id, "Child", "childId")
        wanted = _needs(needs)
        if not 1 <= first <= MAX_FIRST:
            raise BadArgument(f"`first` is between 1 and {MAX_FIRST}")
        times = slots.parse_inputs(when, "when") if when else []
        found = await info.context.store.read(q.CHILD, {"childId": child})
        if not found:
            raise BadArgument("no child with that id")
        facts = found[0]
        if principal.role is Role.DIRECTOR:
            if principal.person_id not in facts["directors"]:
                raise Forbidden("matching volunteers: directors match for their paired children")
        elif not access.principal.covers(facts["villageCode"]):
            raise Forbidden("matching volunteers: the child lives outside your regions")
        if facts["lat"] is None or facts["lng"] is None:
            raise BadArgument("the child's home position is not recorded: matching needs it")
        home = (float(facts["lat"]), float(facts["lng"]))
        # Used for the computation, not returned: noted as such in the audit event.
        access.records.add(f"Child:{child}")
        access.fields.update({"Child.homeLat:used", "Child.homeLng:used"})
        day = today(info)
        rows = await info.context.store.read(
            q.CANDIDATES,
            {
                "validSince": vetting.valid_since(day),
                "needs": wanted,
                **matching.box(home[0], home[1], matching.RULES.max_km),
            },
        )
        best = matching.rank(
            [matching.Candidate.of(r) for r in rows],
            wanted,
            home,
            day,
            first=first,
            when=times,
            child_teams=frozenset(str(t) for t in facts["teams"]),
        )
        loader = info.context.loaders.by_id("Volunteer", None, access.row_params("Volunteer"))
        volunteers = await loader.load_many([s.volunteer_id for s in best])
        shown = make_object(info, "Volunteer")
        return [
            VolunteerMatch(
                volunteer=shown(row),
                score=s.score,
                skills_matched=list(s.skills_matched),
                km=s.km,
                available=[slots.shown(a) for a in s.available],
                in_team=s.in_team,
                explanation=list(s.explanation),
            )
            for s, row in zip(best, volunteers, strict=True)
            if row is not None
        ]
