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
    """One standard query; runs cycle through ``variants`` (GraphQL variables, floor
    parameters) as a partner asks about one child after another."""

    key: str
    title: str
    graphql: str
    floor: Statement
    variants: list[tuple[dict[str, Any], dict[str, Any]]]

    @property
    def variables(self) -> dict[str, Any]:
        return self.variants[0][0]

    @property
    def floor_params(self) -> dict[str, Any]:
        return self.variants[0][1]


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


#: How many children (directors) the runs of (a) and (c) go through.
VARIANTS = 20


async def partner_queries(store: GraphStore) -> list[PartnerQuery]:
    """The five queries, aimed at busy children, a big town and busy directors of the data."""
    children = await store.read(
        CATALOG.page("Child", "enrolledDate", "asc", frozenset()), {"limit": 400}
    )
    directors = await store.read(
        CATALOG.page("Director", "name", "asc", frozenset()), {"limit": 200}
    )
    town = "370481001"

    def spread(rows: list[dict[str, Any]]) -> list[str]:
        middle = rows[len(rows) // 4 : 3 * len(rows) // 4]
        step = max(1, len(middle) // VARIANTS)
        return [str(r["node"]["id"]) for r in middle[::step][:VARIANTS]]

    return [
        PartnerQuery(
            "a",
            "a child's file with the last 5 visits",
            CHILD_FILE,
            floors.CHILD_FILE,
            [
                ({"id": to_global_id("Child", c)}, {"id": c, "scope": SCOPE})
                for c in spread(children)
            ],
        ),
        PartnerQuery(
            "b",
            "a town's villages with directors and facilities",
            TOWN_VILLAGES,
            floors.TOWN_VILLAGES,
            [({"code": town}, {"code": town, "scope": SCOPE})],
        ),
        PartnerQuery(
            "c",
            "a director's children with last-visit dates",
            DIRECTOR_CHILDREN,
            floors.DIRECTOR_CHILDREN,
            [
                ({"id": to_global_id("Director", d)}, {"id": d, "scope": SCOPE})
                for d in spread(directors)
            ],
        ),
        PartnerQuery(
            "d",
            "visits per town per month (a year)",
            VISITS_PER_TOWN_MONTH,
            floors.VISITS_PER_TOWN_MONTH,
            [({}, {"scope": SCOPE})],
        ),
        PartnerQuery(
            "e",
            "a page of 100 visits with child and director names",
            VISIT_PAGE,
            floors.VISIT_PAGE,
            [({}, {"scope": SCOPE})],
        ),
    ]
