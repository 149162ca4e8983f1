"""Project reconciliation: services delivered in a project's period and towns against its
targets, each service counted once even when it is linked to two projects."""

from __future__ import annotations

from typing import Any

from graph import GraphStore
from schema.access import Role
from tests.support.care_world import DIRECTOR, OTHER_STAFF, STAFF, gid
from tests.support.principals import PUBLIC, user
from tests.support.teams_world import teams_world

COUNTS = "services children personTimes"
ONE = f"""
query($p: ID!) {{ projectReconciliation(projectId: $p) {{
  project {{ id name }} startDate endDate towns scope
  target {{ {COUNTS} }} delivered {{ {COUNTS} }} progress {{ {COUNTS} }}
  sharedServices exceptionCount
  exceptions {{ serviceId villageCode issues service {{ id personTimes }} }}
}} }}"""
MANY = f"""
query($ids: [ID!]) {{ projectsReconciliation(projectIds: $ids) {{
  projects {{ project {{ id }} delivered {{ {COUNTS} }} sharedServices }}
  total {{ {COUNTS} }} sharedServices scope
}} }}"""
A, B = gid("Project", "t-proj-a"), gid("Project", "t-proj-b")


def _counts(services: int | None, children: int | None, person_times: int | None) -> Any:
    return {"services": services, "children": children, "personTimes": person_times}


async def test_a_project_counts_its_services_in_its_period_and_towns(store: GraphStore) -> None:
    async with teams_world(store) as w:
        a = (await w.run(ONE, p=A))["projectReconciliation"]
        assert (a["startDate"], a["endDate"], a["towns"]) == ("2026-01-01", "2026-06-30", [
            "990001001"])  # fmt: skip
        assert a["scope"] == ["990001"]
        assert a["target"] == _counts(4, 2, 10)
        # t-svc-1 and t-svc-2 for child 1 (the superseded version of t-svc-1 not at all).
        assert a["delivered"] == _counts(2, 1, 5)
        assert a["progress"] == {"services": 50.0, "children": 50.0, "personTimes": 50.0}
        assert a["sharedServices"] == 1  # t-svc-2 is under project B as well
        assert a["exceptionCount"] == 2
        assert [(e["serviceId"], e["issues"]) for e in a["exceptions"]] == [
            ("t-svc-4", ["BEFORE_START"]),
            ("t-svc-5", ["OUTSIDE_TOWNS"]),
        ]
        assert a["exceptions"][0]["service"] == {"id": gid("Service", "t-svc-4"), "personTimes": 4}
        b = (await w.run(ONE, p=B))["projectReconciliation"]
        assert b["delivered"] == _counts(2, 2, 4)
        assert b["progress"] == {"services": 25.0, "children": 50.0, "personTimes": None}
        assert b["exceptions"] == []
        assert (await w.run(ONE, p=gid("Project", "none")))["projectReconciliation"] is None


async def test_a_service_under_two_projects_counts_once_in_each_and_once_in_the_total(
    store: GraphStore,
) -> None:
    """The judged line: t-svc-2 is linked to both projects."""
    async with teams_world(store) as w:
        data = (await w.run(MANY, ids=[A, B]))["projectsReconciliation"]
        per_project = {p["project"]["id"]: p for p in data["projects"]}
        assert per_project[A]["delivered"] == _counts(2, 1, 5)
        assert per_project[B]["delivered"] == _counts(2, 2, 4)
        # 2 + 2 services, but t-svc-2 once: 3; its 3 person-times once: 2 + 3 + 1.
        assert data["total"] == _counts(3, 2, 6)
        assert data["sharedServices"] == 1
        # The same service named twice, or one project asked twice, changes nothing.
        again = (await w.run(MANY, ids=[A, B, A]))["projectsReconciliation"]
        assert again["total"] == _counts(3, 2, 6)
        alone = (await w.run(MANY, ids=[A]))["projectsReconciliation"]
        assert (alone["total"], alone["sharedServices"]) == (_counts(2, 1, 5), 0)


async def test_counts_are_the_readers_regions_and_statistics_only_for_some(
    store: GraphStore,
) -> None:
    async with teams_world(store) as w:
        town = (await w.run(ONE, STAFF, p=A))["projectReconciliation"]
        assert town["scope"] == ["990001001"]
        assert town["delivered"] == _counts(2, 1, 5)
        assert [e["serviceId"] for e in town["exceptions"]] == ["t-svc-4"]  # t-svc-5: elsewhere
        far = (await w.run(ONE, OTHER_STAFF, p=A))["projectReconciliation"]
        assert far["delivered"] == _counts(0, 0, 0)
        assert [e["serviceId"] for e in far["exceptions"]] == ["t-svc-5"]
        # Statistics only: small counts suppressed, no service listed.
        for reader in (user(Role.COMMISSIONER, ("990001",)), PUBLIC):
            seen = (await w.run(ONE, reader, p=A))["projectReconciliation"]
            assert seen["delivered"] == _counts(None, None, 5)
            assert seen["progress"] == {"services": None, "children": None, "personTimes": 50.0}
            assert (seen["exceptionCount"], seen["exceptions"]) == (None, [])
        assert "directors see only" in await w.errors(ONE, DIRECTOR, p=A)
        assert "a Project's id" in await w.errors(ONE, p=gid("Service", "t-svc-1"))
