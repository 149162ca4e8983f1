"""On the city demo data set: barred volunteers (flagged, pending, expired) are never
proposed for the children they once served."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import GraphStore
from graph.model import CST
from graph.statements import Mode, Statement
from schema import Context, build_schema
from schema.core.ids import to_global_id
from tests.support.principals import ADMIN

SCHEMA = build_schema()
#: The demo's "now" (hub.demo.clock.NOW): checks before 2025-11-28 have expired.
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=CST).timestamp()

#: Test-only read: barred volunteers who served a child whose home is known.
BARRED = Statement(
    "test.barred_volunteers",
    """
    MATCH (v:Volunteer)
    WHERE v.backgroundCheck IN ['flagged', 'pending']
       OR (v.backgroundCheck = 'passed' AND v.backgroundCheckDate < '2025-11-28')
    MATCH (v)<-[:DELIVERED_BY]-(:Service)-[:FOR]->(c:Child)
    WHERE c.homeLat IS NOT NULL
    RETURN v.id AS volunteer, v.backgroundCheck AS check, v.skills AS skills,
           min(c.id) AS child
    ORDER BY volunteer
    """,
    Mode.READ,
)
MATCH = """
query($c: ID!, $needs: [String!]!) { matchVolunteers(childId: $c, needs: $needs, first: 50) {
  volunteer { id clearedForChildren backgroundCheckStatus } } }"""


async def _run(store: GraphStore, text: str, **variables: Any) -> dict[str, Any]:
    context = Context(store, principal=ADMIN, clock=lambda: NOW)
    result = await SCHEMA.execute(text, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def test_barred_volunteers_are_never_proposed_for_the_children_they_served(
    demo_store: GraphStore,
) -> None:
    barred = await demo_store.read(BARRED)
    kinds = {r["check"] for r in barred}
    assert kinds == {"flagged", "pending", "passed"}  # passed here: expired
    proposed = 0
    for row in barred[::8]:
        data = await _run(
            demo_store, MATCH, c=to_global_id("Child", row["child"]), needs=row["skills"]
        )
        found = data["matchVolunteers"]
        ids = {m["volunteer"]["id"] for m in found}
        assert to_global_id("Volunteer", row["volunteer"]) not in ids, row
        assert all(m["volunteer"]["clearedForChildren"] for m in found)
        assert {m["volunteer"]["backgroundCheckStatus"] for m in found} <= {"PASSED"}
        proposed += len(found)
    assert proposed > 0  # the matching did propose others
