"""Lists, filters, statistics and node(id:) on the city demo data, through the real schema."""

from __future__ import annotations

from typing import Any

import pytest

from graph import GraphStore
from graph.queries import bulk
from schema import Context, build_schema
from schema.access import Principal
from schema.core.ids import to_global_id
from tests.support.principals import ADMIN_EVERYWHERE as ADMIN
from tests.support.principals import PUBLIC, partner

SCHEMA = build_schema()


async def query(
    store: GraphStore, text: str, *, reader: Principal = ADMIN, **variables: Any
) -> dict[str, Any]:
    result = await SCHEMA.execute(
        text, variable_values=variables, context_value=Context(store, principal=reader)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def errors(store: GraphStore, text: str, reader: Principal = ADMIN) -> list[str]:
    result = await SCHEMA.execute(text, context_value=Context(store, principal=reader))
    assert result.errors, "expected an error"
    return [e.message for e in result.errors]


PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  towns(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } }
  }
}
"""


async def test_forward_and_backward_pages_cover_the_list_in_order(demo_store: GraphStore) -> None:
    codes: list[str] = []
    after = None
    while True:
        page = (await query(demo_store, PAGE, first=5, after=after))["towns"]
        codes += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(codes) == 21 == len(set(codes))
    assert codes == sorted(codes)

    back: list[str] = []
    before = None
    while True:
        page = (await query(demo_store, PAGE, last=5, before=before))["towns"]
        back = [e["node"]["code"] for e in page["edges"]] + back
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert back == codes


async def test_keyset_pages_do_not_shift_when_rows_are_inserted(clean: GraphStore) -> None:
    rows = [
        {"id": f"t-town-{i:02d}", "props": {"source": "test", "code": f"9900{i:02d}", "name": "镇"}}
        for i in range(0, 20, 2)
    ]
    await clean.write_rows(bulk.node_upsert("Town"), rows)
    first = (await query(clean, PAGE, first=4))["towns"]
    assert [e["node"]["code"] for e in first["edges"]] == ["990000", "990002", "990004", "990006"]
    # A row that sorts before the cursor arrives between two page reads.
    await clean.write_rows(
        bulk.node_upsert("Town"),
        [{"id": "t-town-03", "props": {"source": "test", "code": "990003", "name": "镇"}}],
    )
    after = first["pageInfo"]["endCursor"]
    second = (await query(clean, PAGE, first=4, after=after))["towns"]
    assert [e["node"]["code"] for e in second["edges"]] == ["990008", "990010", "990012", "990014"]
    assert second["totalCount"] == 11


async def test_filters_regions_and_statistics_agree(demo_store: GraphStore) -> None:
    data = await query(
        demo_store,
        """
        {
          all: children(first: 1) { totalCount }
          orphans: children(first: 100, filter: {primaryCategory: {in: ["孤儿"]}}) {
            totalCount nodes { primaryCategory }
          }
          town: children(first: 1, inRegion: "370481001") { totalCount }
          byTown: childStats(groupBy: [TOWN]) { town count }
          byCategory: childStats(groupBy: [CATEGORY]) { category count }
          services: serviceStats { count personTimes }
          visits: visitStats(groupBy: [TOWN, MONTH]) { town month count }
          visitCount: visits(first: 1) { totalCount }
        }
        """,
    )
    assert data["all"]["totalCount"] == 8000
    assert sum(b["count"] for b in data["byTown"]) == 8000
    by_town = {b["town"]: b["count"] for b in data["byTown"]}
    assert data["town"]["totalCount"] == by_town["370481001"]
    by_category = {b["category"]: b["count"] for b in data["byCategory"]}
    assert data["orphans"]["totalCount"] == by_category["孤儿"] > 0
    assert {c["primaryCategory"] for c in data["orphans"]["nodes"]} == {"孤儿"}
    assert data["services"] == [{"count": data["services"][0]["count"], "personTimes": 22000}]
    assert sum(b["count"] for b in data["visits"]) == data["visitCount"]["totalCount"]
    assert len({b["month"] for b in data["visits"]}) == 12


async def test_coverage_counts_every_village(demo_store: GraphStore) -> None:
    data = await query(
        demo_store,
        "{ coverage { villages villagesWithDirector directors ratio "
        "towns { townCode villages town { name } vacancies { name } } } }",
    )
    cover = data["coverage"]
    assert cover["villages"] == 1180
    assert cover["directors"] >= 1330
    assert cover["villagesWithDirector"] == 1180
    assert cover["ratio"] == 1.0
    assert len(cover["towns"]) == 21
    assert all(t["town"]["name"] and t["vacancies"] == [] for t in cover["towns"])


async def test_children_with_no_recent_visit(demo_store: GraphStore) -> None:
    data = await query(
        demo_store,
        """
        {
          stale: children(first: 5, filter: {noVisitSince: "2026-11-01T00:00:00+08:00"}) {
            totalCount nodes { visits(last: 1) { nodes { startedAt } } }
          }
          all: children(first: 1) { totalCount }
        }
        """,
    )
    stale = data["stale"]
    assert 0 < stale["totalCount"] < data["all"]["totalCount"]
    for child in stale["nodes"]:
        for visit in child["visits"]["nodes"]:
            assert visit["startedAt"] < "2026-11-01T00:00:00+08:00"


async def test_node_by_global_id(demo_store: GraphStore) -> None:
    town_id = to_global_id("Town", "town-370481001")
    data = await query(
        demo_store, "query ($id: ID!) { node(id: $id) { id ... on Town { name } } }", id=town_id
    )
    assert data["node"] == {"id": town_id, "name": "荆河街道"}
    missing = to_global_id("Town", "town-nowhere")
    data = await query(demo_store, "query ($id: ID!) { node(id: $id) { id } }", id=missing)
    assert data["node"] is None
    messages = await errors(demo_store, '{ node(id: "%%%") { id } }')
    assert any("not a valid id" in m for m in messages)


async def test_personal_data_is_closed_by_default(demo_store: GraphStore) -> None:
    text = "{ children(first: 3) { nodes { primaryCategory name idNumber homeLat } } }"
    messages = await errors(demo_store, text, reader=PUBLIC)
    assert any("not available to this reader" in m for m in messages)
    opened = await query(demo_store, text)
    assert all(c["name"] and c["idNumber"] for c in opened["children"]["nodes"])


@pytest.mark.parametrize(
    "text",
    [
        '{ children(first: 1, filter: {name: {contains: "王"}}) { totalCount } }',
        "{ children(first: 1, orderBy: {field: NAME}) { totalCount } }",
        '{ childStats(filter: {birthDate: {gte: "2015-01-01"}}) { count } }',
    ],
    ids=["filter-name", "order-by-name", "stats-by-birth-date"],
)
async def test_no_inference_through_filters_or_order(demo_store: GraphStore, text: str) -> None:
    # A supervisor sees names but not exact birth dates' home positions…: use a partner
    # whose agreement grants no personal field at all.
    reader = partner(frozenset({"Child"}), frozenset())
    messages = await errors(demo_store, text, reader=reader)
    assert any("needs access to that personal data" in m for m in messages)


async def test_bad_page_arguments_are_refused(demo_store: GraphStore) -> None:
    for text, fragment in [
        ("{ towns(first: 1, last: 1) { totalCount } }", "either `first` or `last`"),
        ("{ towns(first: 101) { totalCount } }", "between 0 and 100"),
        ('{ towns(after: "bad") { totalCount } }', "not a valid cursor"),
        ('{ towns(inRegion: "37x") { totalCount } }', "division code"),
        ("{ visitStats(groupBy: [TOWN, MONTH, MODE]) { count } }", "at most 2"),
    ]:
        messages = await errors(demo_store, text)
        assert any(fragment in m for m in messages), (text, messages)
