"""Graph round trips depend on a query's shape, never on its page sizes (city demo data)."""

from __future__ import annotations

from typing import Any

import pytest

from graph import CountingStore, GraphStore
from schema import Context, build_schema
from tests.support.principals import ADMIN_EVERYWHERE as ADMIN

SCHEMA = build_schema()

NESTED = """
query ($n: Int!) {
  towns(first: $n) {
    totalCount
    nodes {
      name
      villages(first: $n) {
        totalCount
        nodes {
          name
          directors(first: $n) {
            nodes {
              name
              children(first: $n) {
                totalCount
                nodes { primaryCategory visits(last: 1) { nodes { startedAt } } }
              }
            }
          }
        }
      }
    }
  }
}
"""

VISITS_PAGE = """
query ($n: Int!) {
  visits(first: $n, orderBy: {field: STARTED_AT, direction: DESC}) {
    nodes { startedAt child { primaryCategory village { name } } director { name } }
  }
}
"""

TOWN_VILLAGES = """
query ($n: Int!) {
  towns(first: 1) {
    nodes {
      villages(first: $n) {
        totalCount
        nodes {
          name
          directors(first: $n) { nodes { name } }
          facilities(first: $n) { nodes { name } }
        }
      }
    }
  }
}
"""


async def run(
    store: GraphStore, query: str, *, compiled: bool = True, **variables: Any
) -> tuple[dict[str, Any], int]:
    counting = CountingStore(store)
    context = Context(counting, principal=ADMIN, compile_queries=compiled)
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    assert (context.execution_path == "compiled") is compiled, context.execution_path
    return result.data, counting.round_trips


@pytest.mark.parametrize(
    ("query", "general", "compiled"),
    [(NESTED, 6, 2), (VISITS_PAGE, 4, 1), (TOWN_VILLAGES, 4, 1)],
    ids=["towns-villages-directors-children-visits", "visits-page", "town-villages"],
)
async def test_round_trips_do_not_depend_on_page_size(
    demo_store: GraphStore, query: str, general: int, compiled: int
) -> None:
    """Field by field: a statement per level; compiled: one per root field (and its count)."""
    for path, trips in ((False, general), (True, compiled)):
        small, small_trips = await run(demo_store, query, compiled=path, n=2)
        large, large_trips = await run(demo_store, query, compiled=path, n=100)
        assert small_trips == large_trips == trips
        assert small != large  # the larger pages really hold more


@pytest.mark.parametrize("query", [NESTED, VISITS_PAGE, TOWN_VILLAGES])
async def test_both_paths_give_the_same_answer(demo_store: GraphStore, query: str) -> None:
    for n in (2, 100):
        compiled, _ = await run(demo_store, query, compiled=True, n=n)
        general, _ = await run(demo_store, query, compiled=False, n=n)
        assert compiled == general


async def test_the_nested_page_is_complete(demo_store: GraphStore) -> None:
    data, _ = await run(demo_store, NESTED, n=100)
    assert data["towns"]["totalCount"] == 21
    assert len(data["towns"]["nodes"]) == 21
    towns = data["towns"]["nodes"]
    assert sum(t["villages"]["totalCount"] for t in towns) == 1180
    assert all(len(t["villages"]["nodes"]) == min(100, t["villages"]["totalCount"]) for t in towns)
    children = [
        c
        for t in data["towns"]["nodes"]
        for v in t["villages"]["nodes"]
        for d in v["directors"]["nodes"]
        for c in d["children"]["nodes"]
    ]
    assert children
    assert all(len(c["visits"]["nodes"]) <= 1 for c in children)
