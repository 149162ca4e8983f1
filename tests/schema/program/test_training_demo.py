"""Training records, certification, the rotation and station inspections on the city demo
data set: what it holds, and round trips that do not grow with the page."""

from __future__ import annotations

from typing import Any

import pytest

from graph import CountingStore, GraphStore
from schema import Context, build_schema
from tests.support.principals import ADMIN

SCHEMA = build_schema()
#: The demo's "now" (2026-11-28 12:00 CST): its certification states are as of then.
NOW = 1_795_838_400.0

RECORDS = """
query($n: Int!) {
  directors(first: $n, inRegion: "370481001") {
    nodes {
      name
      certification { status expiresOn missing }
      trainingRecord { sessions { topic } exams { topic score passed } due { topic overdue } }
    }
  }
}"""


async def run(store: GraphStore, query: str, **variables: Any) -> tuple[dict[str, Any], int]:
    counting = CountingStore(store)
    context = Context(counting, principal=ADMIN, clock=lambda: NOW)
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data, counting.round_trips


@pytest.mark.parametrize("n", [2, 40])
async def test_records_of_a_page_cost_the_same_round_trips(demo_store: GraphStore, n: int) -> None:
    data, trips = await run(demo_store, RECORDS, n=n)
    nodes = data["directors"]["nodes"]
    assert len(nodes) == n
    # The page, the count, the directors' facts, results and sessions (twice: record
    # and certification load theirs apart): the same for 2 directors or 40.
    assert trips == 6
    for node in nodes:
        record = node["trainingRecord"]
        assert record["sessions"], node["name"]
        assert [d["topic"] for d in record["due"]] == ["走访核查", "强制报告", "链接政策资源"]


async def test_the_demo_has_certified_directors_and_some_overdue(demo_store: GraphStore) -> None:
    data, _ = await run(demo_store, "{ trainingDueStats { topic overdue directors } }")
    stats = {s["topic"]: s for s in data["trainingDueStats"]}
    assert all(s["directors"] == 1330 for s in stats.values())
    assert all(s["overdue"] > 0 for s in stats.values())
    due, _ = await run(
        demo_store, '{ trainingDue(first: 5, topic: "强制报告") { totalCount items { topic } } }'
    )
    assert due["trainingDue"]["totalCount"] == stats["强制报告"]["overdue"]
    page, _ = await run(demo_store, RECORDS, n=40)
    statuses = {n["certification"]["status"] for n in page["directors"]["nodes"]}
    assert "CERTIFIED" in statuses
    # Bank exams: their results carry the answers' counts; paper exams only a score.
    exams = [e for n in page["directors"]["nodes"] for e in n["trainingRecord"]["exams"]]
    assert {e["topic"] for e in exams} >= {"走访核查", "强制报告", "链接政策资源"}


async def test_every_station_has_a_year_of_inspections_behind_its_flags(
    demo_store: GraphStore,
) -> None:
    query = """{ stations(first: 21) { nodes { name fourHaves hasRules hasTeam
      inspections(first: 10, orderBy: {field: INSPECTED_AT, direction: DESC}) {
        totalCount nodes { fourHaves hasRules hasTeam evidence quarter } } } } }"""
    data, _ = await run(demo_store, query)
    stations = data["stations"]["nodes"]
    assert len(stations) == 21
    for station in stations:
        history = station["inspections"]
        assert history["totalCount"] == 5, station["name"]
        latest = history["nodes"][0]
        assert (latest["fourHaves"], latest["hasRules"], latest["hasTeam"]) == (
            station["fourHaves"],
            station["hasRules"],
            station["hasTeam"],
        )
        assert all(i["evidence"] for i in history["nodes"])
    # Some stations missed a flag for a while and put it right.
    recovered = [
        s
        for s in stations
        if s["fourHaves"] and not all(i["fourHaves"] for i in s["inspections"]["nodes"])
    ]
    assert recovered
    assert any(not s["fourHaves"] for s in stations)
