"""Computed fields of volunteers and teams: availability, background-check status, members
and service hours.

Service hours are never typed in: they are the ``hours`` of the services a
person delivered (current versions only), summed when asked. One statement per
batch of volunteers or teams (a DataLoader per request and period), so a page
of a hundred volunteers costs one round trip for their hours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import strawberry

from graph.model import CST
from graph.queries import teams as q
from schema.context import Info
from schema.core.ids import to_global_id
from schema.errors import BadArgument
from schema.program import teams_slots as slots
from schema.program import teams_vetting as vetting
from schema.program.teams_types import TeamMember, TeamServiceHours

_QUARTER = re.compile(r"\d{4}Q[1-4]")


def today(info: Info) -> dt.date:
    """The request's day in China Standard Time (tests set the clock)."""
    return dt.datetime.fromtimestamp(info.context.clock(), CST).date()


def _quarter(value: str | None) -> str | None:
    if value is not None and _QUARTER.fullmatch(value) is None:
        raise BadArgument("`quarter` takes a quarter such as 2026Q3")
    return value


# -- volunteers: sync fields read from the row -----------------------------------------


def availability(root: Any) -> list[slots.AvailabilitySlot]:
    """The volunteer's weekly slots (slots in a source's own wording are left out)."""
    return [slots.shown(s) for s in slots.parse_stored(root.availability)]


def check_status(root: Any, info: Info) -> vetting.BackgroundCheckStatus | None:
    """The background check as it stands today: a passed one past its validity is expired."""
    return vetting.effective(root.background_check, root.background_check_date, today(info))


def check_expires(root: Any) -> dt.date | None:
    return vetting.expires(root.background_check, root.background_check_date)


def cleared(root: Any, info: Info) -> bool:
    """Whether the volunteer may work with children today (a current, passed check)."""
    return vetting.cleared(root.background_check, root.background_check_date, today(info))


def reported_hours(root: Any) -> float | None:
    """The total the volunteer platform reports, for comparison with the recorded services."""
    value = root.service_hours
    return None if value is None else float(value)


# -- batched figures ---------------------------------------------------------------------


async def volunteer_hours(root: Any, info: Info, quarter: str | None = None) -> float:
    """Hours of the services the volunteer delivered (in ``quarter``, e.g. 2026Q3, if given)."""
    period = _quarter(quarter)
    store = info.context.store

    async def load(keys: list[str]) -> Sequence[float]:
        rows = await store.read(q.VOLUNTEER_HOURS, {"keys": keys, "quarter": period})
        found = {str(r["key"]): float(r["hours"] or 0) for r in rows}
        return [found.get(k, 0.0) for k in keys]

    loader = info.context.loaders.batch(("volunteer-hours", period), load)
    hours: float = await loader.load(root.key)
    return round(hours, 2)


async def team_hours(root: Any, info: Info, quarter: str | None = None) -> TeamServiceHours:
    """The team members' hours from their services (in ``quarter`` if given)."""
    period = _quarter(quarter)
    store = info.context.store

    async def load(keys: list[str]) -> Sequence[TeamServiceHours]:
        rows = await store.read(q.TEAM_HOURS, {"keys": keys, "quarter": period})
        found = {str(r["key"]): r for r in rows}
        return [_hours(found.get(k)) for k in keys]

    loader = info.context.loaders.batch(("team-hours", period), load)
    result: TeamServiceHours = await loader.load(root.key)
    return result


def _hours(row: dict[str, Any] | None) -> TeamServiceHours:
    row = row or {}
    volunteers = round(float(row.get("volunteers") or 0), 2)
    professionals = round(float(row.get("professionals") or 0), 2)
    return TeamServiceHours(
        total=round(volunteers + professionals, 2),
        volunteers=volunteers,
        professionals=professionals,
        services=int(row.get("services") or 0),
        unmeasured=int(row.get("unmeasured") or 0),
    )


async def members(root: Any, info: Info) -> list[TeamMember]:
    """The team's professionals and volunteers with their roles, professionals first."""
    info.context.access.require_rows("Volunteer", "`VolunteerTeam.members`")
    store = info.context.store

    async def load(keys: list[str]) -> Sequence[list[TeamMember]]:
        rows = await store.read(q.MEMBERS, {"keys": keys})
        found: dict[str, list[TeamMember]] = {k: [] for k in keys}
        for r in rows:
            kind = "Volunteer" if r["volunteer"] else "SocialWorker"
            found.setdefault(str(r["key"]), []).append(
                TeamMember(
                    member_id=strawberry.ID(to_global_id(kind, str(r["id"]))),
                    name=r["name"],
                    professional=not r["volunteer"],
                    role=r["role"],
                    since_date=None if r["sinceDate"] is None else _date(r["sinceDate"]),
                )
            )
        return [found[k] for k in keys]

    loader = info.context.loaders.batch("team-members", load)
    result: list[TeamMember] = await loader.load(root.key)
    return result


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
