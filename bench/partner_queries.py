"""The five standard partner queries, in GraphQL and as their hand-written Cypher floor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph import GraphStore, Statement
from graph.queries import bench as floors
from graph.queries.catalog import CATALOG
from schema.core.ids import to_global_id


@dataclass(frozen=True)
class PartnerQuery:
    key: str
    title: str
    graphql: str
    variables: dict[str, Any]
    floor: Statement
    floor_params: dict[str, Any]


CHILD_FILE = """
query ($id: ID!) {
  node(id: $id) {
    ... on Child {
      id primaryCategory categories riskLevel status gender name birthDate idNumber address
      village { name }
      visits(last: 5) { nodes { startedAt mode findings } }
    }
  }
}
"""

TOWN_VILLAGES = """
query ($code: String!) {
  towns(first: 1, filter: {code: {eq: $code}}) {
    nodes {
      villages(first: 100) {
        nodes {
          name
          directors(first: 20) { nodes { name } }
          facilities(first: 5) { nodes { name } }
        }
      }
    }
  }
}
"""

DIRECTOR_CHILDREN = """
query ($id: ID!) {
  node(id: $id) {
    ... on Director {
      children(first: 100) {
        nodes { id primaryCategory visits(last: 1) { nodes { startedAt } } }
      }
    }
  }
}
"""

VISITS_PER_TOWN_MONTH = """
query { visitStats(groupBy: [TOWN, MONTH]) { town month count } }
"""

VISIT_PAGE = """
query {
  visits(first: 100, orderBy: {field: STARTED_AT, direction: DESC}) {
    nodes { startedAt child { name } director { name } }
  }
}
"""


#: The bench's reader is the demo's center admin: all of Tengzhou.
SCOPE = "370481"


async def partner_queries(store: GraphStore) -> list[PartnerQuery]:
    """The five queries, aimed at a busy child, a big town and a busy director of the data."""
    children = await store.read(
        CATALOG.page("Child", "enrolledDate", "asc", frozenset()), {"limit": 400}
    )
    child = children[len(children) // 2]["node"]["id"]
    directors = await store.read(
        CATALOG.page("Director", "name", "asc", frozenset()), {"limit": 200}
    )
    director = directors[len(directors) // 2]["node"]["id"]
    town = "370481001"
    return [
        PartnerQuery(
            "a",
            "a child's file with the last 5 visits",
            CHILD_FILE,
            {"id": to_global_id("Child", child)},
            floors.CHILD_FILE,
            {"id": child, "scope": SCOPE},
        ),
        PartnerQuery(
            "b",
            "a town's villages with directors and facilities",
            TOWN_VILLAGES,
            {"code": town},
            floors.TOWN_VILLAGES,
            {"code": town, "scope": SCOPE},
        ),
        PartnerQuery(
            "c",
            "a director's children with last-visit dates",
            DIRECTOR_CHILDREN,
            {"id": to_global_id("Director", director)},
            floors.DIRECTOR_CHILDREN,
            {"id": director, "scope": SCOPE},
        ),
        PartnerQuery(
            "d",
            "visits per town per month (a year)",
            VISITS_PER_TOWN_MONTH,
            {},
            floors.VISITS_PER_TOWN_MONTH,
            {"scope": SCOPE},
        ),
        PartnerQuery(
            "e",
            "a page of 100 visits with child and director names",
            VISIT_PAGE,
            {},
            floors.VISIT_PAGE,
            {"scope": SCOPE},
        ),
    ]
