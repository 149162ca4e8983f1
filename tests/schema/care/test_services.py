"""recordService: who may record what, the edges written, and the person-times statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import GraphStore
from graph.model import CST
from graph.queries import bulk
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.care.services_api import ServiceKind
from tests.support.care_world import (
    CITY_ADMIN,
    COUNTY,
    DIRECTOR,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    TOWN,
    VILLAGE,
    World,
    care_world,
    gid,
)
from tests.support.principals import ADMIN, user

RECORD = """
mutation($input: RecordServiceInput!) {
  recordService(input: $input) {
    id kind personTimes deliveredAt description villageCode month quarter source
    child { id } director { id } volunteer { id } project { id } station { id }
  }
}"""
STATS = """
query($month: String!) {
  serviceStats(groupBy: [KIND, TOWN], filter: {month: {eq: $month}}) {
    kind town count personTimes
  }
}"""


def delivered(w: World, hours_ago: float = 2) -> str:
    moment = dt.datetime.fromtimestamp(w.clock_s - hours_ago * 3600, CST)
    return moment.isoformat()


def service(w: World, **fields: Any) -> dict[str, Any]:
    return {
        "childId": gid("Child", "t-child-1"),
        "kind": ServiceKind.CRISIS_INTERVENTION.name,
        "deliveredAt": delivered(w),
        "personTimes": 3,
        "description": "发现紧急情况后联合派出所入户干预",
        "directorId": gid("Director", "t-dir-1"),
        **fields,
    }


async def record(w: World, reader: Principal = DIRECTOR, **fields: Any) -> dict[str, Any]:
    data = await w.run(RECORD, reader, input=service(w, **fields))
    recorded: dict[str, Any] = data["recordService"]
    return recorded


async def test_a_recorded_service_counts_in_the_person_times_statistics(
    store: GraphStore,
) -> None:
    async with care_world(store) as w:
        month = dt.datetime.fromtimestamp(w.clock_s, CST).strftime("%Y-%m")
        assert (await w.run(STATS, month=month))["serviceStats"] == []
        recorded = await record(w)
        assert recorded["kind"] == "危机干预"
        assert (recorded["personTimes"], recorded["villageCode"]) == (3, VILLAGE)
        assert (recorded["month"], recorded["source"]) == (month, "hub")
        assert recorded["child"] == {"id": gid("Child", "t-child-1")}
        assert recorded["director"] == {"id": gid("Director", "t-dir-1")}
        await record(w, STAFF, kind=ServiceKind.COUNSELLING.name, personTimes=2)
        await record(w, CITY_ADMIN, personTimes=1)
        buckets = (await w.run(STATS, month=month))["serviceStats"]
        assert buckets == [
            {"kind": "危机干预", "town": TOWN, "count": 2, "personTimes": 4},
            {"kind": "心理疏导", "town": TOWN, "count": 1, "personTimes": 2},
        ]
        # The service belongs to the month it was delivered in, not the one it was typed in.
        w.clock_s += 40 * 86400
        await record(w, STAFF, deliveredAt=delivered(w, hours_ago=39 * 24))
        assert sum(b["count"] for b in (await w.run(STATS, month=month))["serviceStats"]) == 4


async def test_the_edges_of_a_service(store: GraphStore) -> None:
    async with care_world(store) as w:
        await store.write_rows(
            bulk.node_upsert("Volunteer"), [{"id": "t-vol-1", "props": {"source": "test"}}]
        )
        await store.write_rows(
            bulk.node_upsert("Project"), [{"id": "t-proj-1", "props": {"source": "test"}}]
        )
        await store.write_rows(
            bulk.node_upsert("Station"),
            [{"id": "t-station-1", "props": {"source": "test", "townCode": TOWN}}],
        )
        recorded = await record(
            w,
            STAFF,
            directorId=None,
            volunteerId=gid("Volunteer", "t-vol-1"),
            projectId=gid("Project", "t-proj-1"),
            stationId=gid("Station", "t-station-1"),
        )
        assert recorded["director"] is None
        assert recorded["volunteer"] == {"id": gid("Volunteer", "t-vol-1")}
        assert recorded["project"] == {"id": gid("Project", "t-proj-1")}
        assert recorded["station"] == {"id": gid("Station", "t-station-1")}
        reread = await w.run(
            "query($id: ID!) { node(id: $id) { ... on Service { volunteer { id } "
            "child { id } } } }",
            STAFF,
            id=recorded["id"],
        )
        assert reread["node"] == {
            "volunteer": {"id": gid("Volunteer", "t-vol-1")},
            "child": {"id": gid("Child", "t-child-1")},
        }


async def test_who_may_record_a_service_for_which_child(store: GraphStore) -> None:
    async with care_world(store) as w:
        not_paired = gid("Child", "t-child-3")
        message = await w.errors(RECORD, DIRECTOR, input=service(w, childId=not_paired))
        assert "FORBIDDEN" in message
        assert "paired children" in message
        message = await w.errors(RECORD, OTHER_STAFF, input=service(w))
        assert "outside your regions" in message
        for reader in (SUPERVISOR, user(Role.COMMISSIONER, (COUNTY,))):
            assert "FORBIDDEN" in await w.errors(RECORD, reader, input=service(w))
        assert (await record(w, STAFF, childId=not_paired))["villageCode"].startswith(TOWN)


async def test_a_service_record_is_checked(store: GraphStore) -> None:
    async with care_world(store) as w:
        two = service(w, volunteerId=gid("Volunteer", "t-vol-1"))
        assert "exactly one deliverer" in await w.errors(RECORD, STAFF, input=two)
        assert "exactly one deliverer" in await w.errors(
            RECORD, STAFF, input=service(w, directorId=None)
        )
        unknown = service(w, directorId=None, volunteerId=gid("Volunteer", "t-vol-x"))
        assert "no Volunteer" in await w.errors(RECORD, STAFF, input=unknown)
        assert "between 1 and 500" in await w.errors(RECORD, STAFF, input=service(w, personTimes=0))
        assert "in the future" in await w.errors(
            RECORD, STAFF, input=service(w, deliveredAt=delivered(w, hours_ago=-2))
        )
        assert "older than a year" in await w.errors(
            RECORD, STAFF, input=service(w, deliveredAt=delivered(w, hours_ago=400 * 24))
        )
        assert "no child" in await w.errors(
            RECORD, STAFF, input=service(w, childId=gid("Child", "t-child-x"))
        )
        assert "plain text" in await w.errors(
            RECORD, STAFF, input=service(w, description="<b>危机</b>")
        )
        assert "a Child's id" in await w.errors(
            RECORD, STAFF, input=service(w, childId=gid("Director", "t-dir-1"))
        )


async def test_the_kinds_are_those_the_program_counts(demo_store: GraphStore) -> None:
    result = await build_schema().execute(
        "{ serviceStats(groupBy: [KIND]) { kind count personTimes } }",
        context_value=Context(demo_store, principal=ADMIN),
    )
    assert result.errors is None
    assert result.data is not None
    kinds = {b["kind"] for b in result.data["serviceStats"]}
    assert kinds == {k.value for k in ServiceKind}
    assert sum(b["personTimes"] for b in result.data["serviceStats"]) == 22_000
