"""The on-call roster: scheduling without overlaps, who is on duty at an instant, the demo's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import GraphStore
from graph.model import CST
from hub.demo import NOW
from schema import Context, build_schema
from schema.access import Principal, Role
from tests.support.care_world import (
    CITY_ADMIN,
    COUNTY,
    DIRECTOR,
    OTHER_STAFF,
    OTHER_TOWN,
    STAFF,
    SUPERVISOR,
    TOWN,
    VILLAGE,
    World,
    care_world,
)
from tests.support.principals import ADMIN, JINGHE, user

SCHEDULE = """
mutation($input: ScheduleOnCallInput!) {
  scheduleOnCall(input: $input) { id name phone role regionCode startsAt endsAt }
}"""
ON_DUTY = """
query($region: String, $at: DateTime) {
  onDuty(regionCode: $region, at: $at) { name phone role regionCode startsAt endsAt }
}"""
DAY = dt.date(2026, 5, 28)


def at(hour: int, day: int = 0) -> str:
    """An instant of the test day (hour 24: the next midnight), with its time zone."""
    midnight = dt.datetime.combine(DAY, dt.time(0), tzinfo=CST)
    return (midnight + dt.timedelta(days=day, hours=hour)).isoformat()


def shift(starts: str, ends: str, **fields: Any) -> dict[str, Any]:
    return {
        "startsAt": starts,
        "endsAt": ends,
        "name": "陈值班",
        "phone": "13800000001",
        "role": "未保站工作人员",
        "regionCode": TOWN,
        **fields,
    }


async def schedule(w: World, reader: Principal = STAFF, **fields: Any) -> dict[str, Any]:
    data = await w.run(SCHEDULE, reader, input=shift(at(8), at(16), **fields))
    scheduled: dict[str, Any] = data["scheduleOnCall"]
    return scheduled


async def test_on_duty_returns_the_shifts_covering_the_instant(store: GraphStore) -> None:
    async with care_world(store) as w:
        town = await schedule(w)
        assert (town["regionCode"], town["name"]) == (TOWN, "陈值班")
        await w.run(
            SCHEDULE, STAFF, input=shift(at(16), at(24), name="林值班", phone="13800000002")
        )
        center = await w.run(
            SCHEDULE,
            CITY_ADMIN,
            input=shift(at(8), at(20), name="周中心", phone="13800000003", regionCode=COUNTY),
        )
        assert center["scheduleOnCall"]["regionCode"] == COUNTY
        # A village's on-call: its town's shift and the city center's.
        found = (await w.run(ON_DUTY, STAFF, region=VILLAGE, at=at(10)))["onDuty"]
        assert [(s["regionCode"], s["name"]) for s in found] == [
            (COUNTY, "周中心"),
            (TOWN, "陈值班"),
        ]
        # Shifts end where the next begins: 16:00 is the evening shift's.
        found = (await w.run(ON_DUTY, STAFF, region=TOWN, at=at(16)))["onDuty"]
        assert [s["name"] for s in found] == ["周中心", "林值班"]
        found = (await w.run(ON_DUTY, DIRECTOR, region=TOWN, at=at(21)))["onDuty"]
        assert [s["name"] for s in found] == ["林值班"]
        assert (await w.run(ON_DUTY, STAFF, region=TOWN, at=at(3)))["onDuty"] == []
        # Without `at`: now, by the request's clock.
        w.clock_s = dt.datetime.fromisoformat(at(9)).timestamp()
        now = (await w.run(ON_DUTY, SUPERVISOR, region=TOWN))["onDuty"]
        assert [s["name"] for s in now] == ["周中心", "陈值班"]
        # Without a place: the rosters of the reader's own town and of the center.
        far = shift(at(8), at(16), name="吴远方", phone="13800000004", regionCode=OTHER_TOWN)
        await w.run(SCHEDULE, OTHER_STAFF, input=far)
        found = (await w.run(ON_DUTY, OTHER_STAFF, at=at(10)))["onDuty"]
        assert [s["name"] for s in found] == ["周中心", "吴远方"]
        found = (await w.run(ON_DUTY, DIRECTOR, at=at(10)))["onDuty"]
        assert [s["name"] for s in found] == ["周中心", "陈值班"]
        found = (await w.run(ON_DUTY, CITY_ADMIN, at=at(10)))["onDuty"]
        assert [s["name"] for s in found] == ["周中心", "陈值班", "吴远方"]
        listed = await w.run("{ onCallShifts(first: 10) { totalCount } }", STAFF)
        assert listed["onCallShifts"]["totalCount"] == 2


async def test_a_person_never_holds_two_overlapping_shifts(store: GraphStore) -> None:
    async with care_world(store) as w:
        await schedule(w)
        clash = shift(at(12), at(20))
        message = await w.errors(SCHEDULE, STAFF, input=clash)
        assert "BAD_ARGUMENT" in message
        assert "already on call" in message
        assert "2026-05-28 08:00–2026-05-28 16:00" in message
        # Known by their account too, whatever number they give.
        await schedule(w, userId="user-chen", phone="13800000009")
        clash = shift(at(12), at(14), userId="user-chen", phone="13800000008")
        assert "already on call" in await w.errors(SCHEDULE, STAFF, input=clash)
        # Back to back is fine; so is someone else at the same time.
        await w.run(SCHEDULE, STAFF, input=shift(at(16), at(24)))
        await w.run(SCHEDULE, STAFF, input=shift(at(8), at(16), phone="13800000005"))


async def test_shifts_are_checked_and_scheduled_by_the_regions_staff(store: GraphStore) -> None:
    async with care_world(store) as w:
        assert "end after it starts" in await w.errors(SCHEDULE, STAFF, input=shift(at(16), at(8)))
        assert "at most 24 hours" in await w.errors(
            SCHEDULE, STAFF, input=shift(at(8), at(9, day=1))
        )
        assert "time zone" in await w.errors(
            SCHEDULE, STAFF, input=shift("2026-05-28T08:00:00", at(16))
        )
        assert "telephone number" in await w.errors(
            SCHEDULE, STAFF, input=shift(at(8), at(16), phone="call me")
        )
        assert "outside your regions" in await w.errors(
            SCHEDULE, OTHER_STAFF, input=shift(at(8), at(16))
        )
        assert "outside your regions" in await w.errors(
            SCHEDULE, STAFF, input=shift(at(8), at(16), regionCode=COUNTY)
        )
        assert "no town or county" in await w.errors(
            SCHEDULE, CITY_ADMIN, input=shift(at(8), at(16), regionCode="990001009")
        )
        assert "town's (9 digits)" in await w.errors(
            SCHEDULE, CITY_ADMIN, input=shift(at(8), at(16), regionCode=VILLAGE)
        )
        for reader in (DIRECTOR, SUPERVISOR, user(Role.COMMISSIONER, (COUNTY,))):
            assert "FORBIDDEN" in await w.errors(SCHEDULE, reader, input=shift(at(8), at(16)))
        assert "not available" in await w.errors(ON_DUTY, user(Role.AUDITOR, (COUNTY,)))


async def test_the_demo_roster_answers_at_the_demos_now(demo_store: GraphStore) -> None:
    schema = build_schema()
    for moment in (NOW, NOW + dt.timedelta(days=6, hours=23)):
        result = await schema.execute(
            ON_DUTY,
            variable_values={"region": JINGHE, "at": moment.isoformat()},
            context_value=Context(demo_store, principal=ADMIN),
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        found = result.data["onDuty"]
        assert [s["regionCode"] for s in found] == ["370481", JINGHE]
        for s in found:
            starts = dt.datetime.fromisoformat(s["startsAt"])
            ends = dt.datetime.fromisoformat(s["endsAt"])
            assert starts <= moment < ends
            assert ends - starts == dt.timedelta(hours=8)
            assert s["name"]
            assert s["phone"]
