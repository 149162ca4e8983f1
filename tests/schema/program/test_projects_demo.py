"""On the city demo data set: projects sharing services are totalled with each service once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import GraphStore
from graph.model import CST
from schema import Context, build_schema
from tests.support.principals import ADMIN

SCHEMA = build_schema()
#: The demo's "now" (hub.demo.clock.NOW).
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=CST).timestamp()


async def _run(store: GraphStore, text: str) -> dict[str, Any]:
    context = Context(store, principal=ADMIN, clock=lambda: NOW)
    result = await SCHEMA.execute(text, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def test_the_total_over_projects_counts_shared_services_once(
    demo_store: GraphStore,
) -> None:
    query = """{ projectsReconciliation {
      projects { delivered { services personTimes } sharedServices }
      total { services children personTimes } sharedServices } }"""
    data = (await _run(demo_store, query))["projectsReconciliation"]
    projects = data["projects"]
    assert len(projects) >= 2
    listed = sum(p["delivered"]["services"] for p in projects)
    total = data["total"]["services"]
    # Every demo service is under at most two projects: each shared one is listed twice.
    assert data["sharedServices"] > 0
    assert listed - total == data["sharedServices"]
    assert data["total"]["personTimes"] < sum(p["delivered"]["personTimes"] for p in projects)
