"""Stations' four-haves with evidence and inspection history, facilities, and the
services delivered at each station, through the schema."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from schema.access import Role
from tests.support.care_world import (
    CITY_ADMIN,
    COUNTY,
    DIRECTOR,
    OTHER_STAFF,
    STAFF,
    SUPERVISOR,
    VILLAGE,
    gid,
)
from tests.support.principals import user
from tests.support.training_world import training_world

COMMISSIONER = user(Role.COMMISSIONER, (COUNTY,))
OTHER_SUPERVISOR = user(Role.SUPERVISOR, ("990001002",), person_id="t-sup-2")

INSPECT = """
mutation($s: ID!, $rules: Boolean!, $at: DateTime, $evidence: [String!]!) {
  inspectStation(stationId: $s, hasVenue: true, hasTeam: true, hasRules: $rules,
                 hasServices: true, evidence: $evidence, note: "制度已上墙", inspectedAt: $at) {
    fourHaves hasRules evidence inspector inspectorRole townCode quarter station { name }
  }
}"""
STATION = """
query($s: ID!) { node(id: $s) { ... on Station {
  hasVenue hasTeam hasRules hasServices fourHaves inspectedAt
  inspections(first: 10, orderBy: {field: INSPECTED_AT, direction: DESC}) {
    totalCount nodes { inspectedAt hasRules fourHaves evidence note }
  }
} } }"""


async def _inspect(w: Any, reader: Any, rules: bool, at: str | None, **extra: Any) -> Any:
    return await w.run(
        INSPECT,
        reader,
        s=gid("Station", "t-station-1"),
        rules=rules,
        at=at,
        evidence=extra.get("evidence", ["照片：站点门牌", "管理制度汇编（2026版）"]),
    )


async def test_inspection_history_and_the_current_flags(store: GraphStore) -> None:
    async with training_world(store) as w:
        station = gid("Station", "t-station-1")
        done = (await _inspect(w, SUPERVISOR, True, "2026-04-20T10:00:00+08:00"))["inspectStation"]
        assert done["fourHaves"] is True
        assert done["inspector"] == "supervisor:supervisor"
        assert (done["townCode"], done["quarter"]) == ("990001001", "2026Q2")
        assert done["station"]["name"] == "测试镇未成年人保护工作站"
        now = (await w.run(STATION, s=station))["node"]
        assert now["fourHaves"] is True
        assert now["hasRules"] is True
        # A later inspection finds the rules gone: the station's flags follow it.
        await _inspect(w, CITY_ADMIN, False, "2026-05-20T10:00:00+08:00")
        # One recorded late but dated earlier does not undo the latest.
        await _inspect(w, SUPERVISOR, True, "2026-03-01T10:00:00+08:00")
        now = (await w.run(STATION, s=station))["node"]
        assert (now["hasRules"], now["fourHaves"]) == (False, False)
        assert now["inspectedAt"] == "2026-05-20T10:00:00+08:00"
        history = now["inspections"]
        assert history["totalCount"] == 3
        assert [(i["inspectedAt"][:10], i["fourHaves"]) for i in history["nodes"]] == [
            ("2026-05-20", False),
            ("2026-04-20", True),
            ("2026-03-01", True),
        ]
        assert history["nodes"][0]["evidence"] == ["照片：站点门牌", "管理制度汇编（2026版）"]
        # Lists of inspections follow the regions: another town's staff see none.
        listing = "{ stationInspections(first: 10) { totalCount } }"
        assert (await w.run(listing, STAFF))["stationInspections"]["totalCount"] == 3
        assert (await w.run(listing, OTHER_STAFF))["stationInspections"]["totalCount"] == 0


async def test_who_may_inspect_and_what_an_inspection_needs(store: GraphStore) -> None:
    async with training_world(store) as w:
        for reader in (STAFF, DIRECTOR, OTHER_SUPERVISOR):
            refused = await w.errors(
                INSPECT, reader, s=gid("Station", "t-station-1"), rules=True, at=None,
                evidence=["照片"],
            )  # fmt: skip
            assert "FORBIDDEN" in refused, reader.role
        assert "evidence" in await w.errors(
            INSPECT, SUPERVISOR, s=gid("Station", "t-station-1"), rules=True, at=None, evidence=[]
        )
        assert "in the future" in await w.errors(
            INSPECT, SUPERVISOR, s=gid("Station", "t-station-1"), rules=True,
            at="2026-06-30T10:00:00+08:00", evidence=["照片"],
        )  # fmt: skip
        assert "plain text" in await w.errors(
            INSPECT, SUPERVISOR, s=gid("Station", "t-station-1"), rules=True, at=None,
            evidence=["<img src=x onerror=alert(1)>"],
        )  # fmt: skip


async def test_commissioners_see_four_haves_statistics_not_exam_results(
    store: GraphStore,
) -> None:
    async with training_world(store) as w:
        await _inspect(w, SUPERVISOR, False, "2026-05-01T09:00:00+08:00")
        stats = """{ stationStats(groupBy: [FOUR_HAVES], inRegion: "990001") {
          fourHaves count suppressed } }"""
        buckets = (await w.run(stats, COMMISSIONER))["stationStats"]
        # Two stations, one meeting the four-haves: counts this small are withheld.
        assert sorted(b["fourHaves"] for b in buckets) == ["False", "True"]
        assert all(b["suppressed"] and b["count"] is None for b in buckets)
        assert {b["fourHaves"]: b["count"] for b in (await w.run(stats))["stationStats"]} == {
            "False": 1,
            "True": 1,
        }
        inspections = "{ stationInspectionStats(groupBy: [FOUR_HAVES]) { fourHaves suppressed } }"
        assert (await w.run(inspections, COMMISSIONER))["stationInspectionStats"]
        # The stations themselves are public places: the flags are readable.
        listing = '{ stations(first: 5, inRegion: "990001") { nodes { name fourHaves } } }'
        assert len((await w.run(listing, COMMISSIONER))["stations"]["nodes"]) == 2
        assert "FORBIDDEN" in await w.errors(
            "{ examResults(first: 5) { nodes { score } } }", COMMISSIONER
        )


SERVICE_STATS = """
query($s: ID!) { node(id: $s) { ... on Station {
  serviceStats { quarter services personTimes suppressed }
  q2: serviceStats(quarter: "2026Q2") { quarter services personTimes }
} } }"""


async def test_services_per_station_per_quarter(store: GraphStore) -> None:
    async with training_world(store) as w:
        station = gid("Station", "t-station-1")
        data = (await w.run(SERVICE_STATS, s=station))["node"]
        assert data["serviceStats"] == [
            {"quarter": "2026Q1", "services": 2, "personTimes": 5, "suppressed": False},
            {"quarter": "2026Q2", "services": 6, "personTimes": 9, "suppressed": False},
        ]
        assert data["q2"] == [{"quarter": "2026Q2", "services": 6, "personTimes": 9}]
        # A statistics-only reader: the quarter with 2 services is withheld, and so is the
        # other (its count would give the first away from a total).
        seen = (await w.run(SERVICE_STATS, COMMISSIONER, s=station))["node"]["serviceStats"]
        assert all(c["suppressed"] and c["services"] is None for c in seen)
        rows = (await w.run('{ stationServiceStats(inRegion: "990001") { stationId quarter '
                            "services personTimes } }"))["stationServiceStats"]  # fmt: skip
        assert [(r["stationId"], r["quarter"], r["personTimes"]) for r in rows] == [
            (station, "2026Q1", 5),
            (station, "2026Q2", 9),
        ]
        assert "`quarter` is written like" in await w.errors(
            '{ stationServiceStats(quarter: "Q3") { services } }'
        )


async def test_facilities_registered_and_inspected(store: GraphStore) -> None:
    async with training_world(store) as w:
        made = await w.run(
            """mutation($v: String!) { registerFacility(villageCode: $v, name: "东村儿童之家",
              kind: "儿童之家", openedDate: "2026-05-01", areaSqm: 60) {
              id name villageCode village { name } } }""",
            STAFF,
            v=VILLAGE,
        )
        facility = made["registerFacility"]
        assert facility["village"] == {"name": "东村"}
        inspect = """mutation($f: ID!, $ok: Boolean!) { inspectFacility(facilityId: $f,
          operating: $ok, evidence: ["照片：活动室"]) { operating villageCode } }"""
        await w.run(inspect, SUPERVISOR, f=facility["id"], ok=True)
        assert "FORBIDDEN" in await w.errors(inspect, OTHER_STAFF, f=facility["id"], ok=False)
        w.clock_s += 60
        await w.run(inspect, STAFF, f=facility["id"], ok=False)
        now = await w.run(
            """query($f: ID!) { node(id: $f) { ... on Facility { operating
              inspections(first: 5) { totalCount } } } }""",
            f=facility["id"],
        )
        assert now["node"] == {"operating": False, "inspections": {"totalCount": 2}}
        village = '{ villages(first: 1, filter: {code: {eq: "990001001001"}}) { nodes {' \
            " facilities(first: 5) { nodes { name operating } } } } }"  # fmt: skip
        nodes = (await w.run(village))["villages"]["nodes"][0]["facilities"]["nodes"]
        assert nodes == [{"name": "东村儿童之家", "operating": False}]
