"""The 24-hour on-call roster for crisis intervention (危机干预) over GraphQL.

``onDuty`` answers "whom do I call now" for a place: the shifts covering the
instant of the place's town and of the city center. Shifts are scheduled by
center admins (anywhere in their regions) and by station staff (their town);
the same person (their account, else their phone) never holds two
overlapping shifts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from graph.listing import CODE_LENGTHS
from graph.model import CST
from graph.queries import oncall as q
from schema.access.principal import Principal, Role
from schema.care.common import instant, now_ms, plain_text
from schema.care.types import OnCallShift
from schema.context import Info
from schema.core.fields import check_region, list_field, make_object
from schema.errors import BadArgument, Forbidden

#: A longer shift is a typing error rather than a plan.
MAX_SHIFT_MS = 24 * 3600 * 1000
SCHEDULERS = frozenset({Role.CENTER_ADMIN, Role.STATION_STAFF})
_PHONE_CHARS = frozenset("0123456789-+ ")


@strawberry.input(description="A shift of the on-call roster, [startsAt, endsAt).")
class ScheduleOnCallInput:
    starts_at: dt.datetime
    ends_at: dt.datetime
    name: str = strawberry.field(description="Who is on call")
    phone: str = strawberry.field(description="The number to call during the shift")
    role: str = strawberry.field(description="Their role, e.g. 未保站工作人员, 社会工作者")
    region_code: str = strawberry.field(
        description="The town's code (the station's roster) or the county's (the city center's)"
    )
    user_id: str | None = strawberry.field(default=None, description="Their account, if any")


def _chain(code: str) -> list[str]:
    """``code`` and its ancestors from the county down: whose rosters serve the place."""
    return [code[:n] for n in CODE_LENGTHS if 6 <= n <= len(code)]


def _visible(principal: Principal, scope: str, code: str) -> bool:
    """A roster is for those in its region and those below it (the center's for the city).

    Directors too see the rosters of their village's town and county only.
    """
    if scope == "all":
        return True
    return any(code.startswith(r) or r.startswith(code) for r in principal.regions)


def _phone(value: str) -> str:
    phone = value.strip()
    if not (5 <= len(phone) <= 20) or not set(phone) <= _PHONE_CHARS:
        raise BadArgument("`phone` takes a telephone number (digits, spaces, - and +)")
    return phone


async def schedule(info: Info, data: ScheduleOnCallInput) -> OnCallShift:
    """Check and write one shift (refused if it overlaps the same person's)."""
    principal = info.context.access.principal
    if principal.kind != "user" or principal.role not in SCHEDULERS:
        raise Forbidden("scheduling on-call shifts: center admins and station staff may")
    starts, ends = instant(data.starts_at, "startsAt"), instant(data.ends_at, "endsAt")
    if ends <= starts:
        raise BadArgument("a shift must end after it starts")
    if ends - starts > MAX_SHIFT_MS:
        raise BadArgument("a shift lasts at most 24 hours")
    code = data.region_code.strip()
    if not (code.isdigit() and len(code) in (6, 9)):
        raise BadArgument("`regionCode` takes a town's (9 digits) or the county's (6) code")
    if not principal.covers(code):
        raise Forbidden(f"scheduling on-call shifts: {code} is outside your regions")
    name = plain_text(data.name, "name", maximum=40, lines=False)
    role = plain_text(data.role, "role", maximum=40, lines=False)
    phone = _phone(data.phone)
    user_id = (data.user_id or "").strip() or None
    store = info.context.store
    known = await store.read(q.REGION_KNOWN, {"code": code})
    if not known or not known[0]["known"]:
        raise BadArgument(f"no town or county has the code {code}")
    person = {"startsAt": starts, "endsAt": ends, "phone": phone, "userId": user_id}
    clash = await store.read(q.OVERLAPPING, person)
    if clash:
        raise BadArgument(f"{name} is already on call then: {_describe(clash[0])}")
    rows, _ = await store.write(
        q.SCHEDULE,
        {
            **person,
            "id": f"oncall-{uuid.uuid4().hex}",
            "name": name,
            "role": role,
            "regionCode": code,
            "source": "hub",
            "now": now_ms(info),
        },
    )
    if not rows:
        raise BadArgument(f"{name} was given an overlapping shift meanwhile: nothing was added")
    shift: OnCallShift = make_object(info, "OnCallShift")(rows[0])
    return shift


def _describe(row: dict[str, Any]) -> str:
    def fmt(ms: Any) -> str:
        return dt.datetime.fromtimestamp(int(ms) / 1000, CST).strftime("%Y-%m-%d %H:%M")

    return f"{fmt(row['startsAt'])}–{fmt(row['endsAt'])} ({row['regionCode']})"


@strawberry.type
class OnCallQueries:
    on_call_shifts = list_field(
        "OnCallShift", "OnCallShift", "schema.care.types", "The on-call roster's shifts"
    )

    @strawberry.field(
        description="Who is on call for crisis intervention now (or at `at`): for a place "
        "(`regionCode`), its town's shifts and the city center's; without one, every shift "
        "the reader may see."
    )
    async def on_duty(
        self, info: Info, region_code: str | None = None, at: dt.datetime | None = None
    ) -> list[OnCallShift]:
        access = info.context.access
        access.require_rows("OnCallShift", "`onDuty`")
        code = check_region(region_code.strip() if region_code is not None else None)
        if code is not None and len(code) < 6:
            raise BadArgument("`regionCode` takes a county's, town's or village's code")
        moment = now_ms(info) if at is None else instant(at, "at")
        rows = await info.context.store.read(
            q.ON_DUTY, {"at": moment, "codes": _chain(code) if code is not None else None}
        )
        make = make_object(info, "OnCallShift")
        scope = access.rules.scope
        return [make(r) for r in rows if _visible(access.principal, scope, str(r["regionCode"]))]


@strawberry.type
class OnCallMutations:
    @strawberry.mutation(
        description="Add a shift to the on-call roster. Center admins, or station staff for "
        "their town; a person's shifts may not overlap."
    )
    async def schedule_on_call(self, info: Info, input: ScheduleOnCallInput) -> OnCallShift:
        return await schedule(info, input)
