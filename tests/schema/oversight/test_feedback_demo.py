"""The demo's feedback is consistent with the handling rules, and its codes open its status."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from argon2 import PasswordHasher

from graph import GraphStore
from hub.demo import NOW_MS, DemoPart, build_demo
from hub.demo.feedback import demo_access_code
from schema import Context, build_schema
from schema.access import Role
from schema.oversight import feedback_codes as codes
from schema.oversight import feedback_workflow as wf
from tests.support.principals import ADMIN, PUBLIC, TENGZHOU, user

SEED = 2024
TODAY = wf.today_of(NOW_MS)


@pytest.fixture(scope="module")
def city() -> DemoPart:
    (part,) = build_demo(seed=SEED).parts()
    return part


def _feedback(city: DemoPart) -> list[dict[str, Any]]:
    return [{"id": row["id"], **row["props"]} for row in city.nodes["Feedback"]]


def _steps(city: DemoPart) -> dict[str, list[dict[str, Any]]]:
    props = {row["id"]: row["props"] for row in city.nodes["FeedbackStep"]}
    out: dict[str, list[dict[str, Any]]] = {}
    for rel in city.rels[("FeedbackStep", "ON", "Feedback")]:
        out.setdefault(rel["end"], []).append(props[rel["start"]])
    for steps in out.values():
        steps.sort(key=lambda s: s["at"])
    return out


def test_references_are_unguessable_and_codes_hashed(city: DemoPart) -> None:
    feedback = _feedback(city)
    refs = [f["trackingRef"] for f in feedback]
    assert len(set(refs)) == len(refs)
    assert all(codes.normal_reference(r) == r for r in refs)
    hasher = PasswordHasher()
    for f in feedback[:20]:
        code = demo_access_code(SEED, f["id"])
        assert code not in f["accessHash"]
        assert hasher.verify(f["accessHash"], code)


def test_the_handling_is_consistent_with_the_rules(city: DemoPart) -> None:
    feedback = _feedback(city)
    steps = _steps(city)
    statuses = Counter(f["status"] for f in feedback)
    assert {wf.CLOSED, wf.REOPENED} <= set(statuses)
    for f in feedback:
        trail = steps[f["id"]]
        stages = [s["stage"] for s in trail]
        assert stages[0] == wf.STAGE_SUBMITTED
        assert all(s["regionCode"] == f["regionCode"] for s in trail)
        for s in trail:
            assert ("rating" in s) == (s["stage"] == wf.STAGE_FOLLOW_UP)
        if f["urgent"]:
            assert stages[1] == wf.STAGE_REPORTED
            assert "acceptDueDate" not in f
        else:
            assert "acceptDueDate" in f
        if f["status"] == wf.CLOSED:
            assert f["rating"] >= 3
            assert stages[-1] == wf.STAGE_FOLLOW_UP
        if f["status"] == wf.REOPENED:
            assert f["rating"] <= 2
            assert f["round"] == 2
            assert "repliedAt" not in f
    overdue = [
        f
        for f in feedback
        if wf.overdue(
            f["status"],
            dt.date.fromisoformat(f["acceptDueDate"]) if "acceptDueDate" in f else None,
            dt.date.fromisoformat(f["replyDueDate"]) if "replyDueDate" in f else None,
            NOW_MS,
        )
    ]
    assert overdue
    extended = [f for f in feedback if f.get("extensionStatus") == "approved"]
    assert len(extended) == 1
    stages = [s["stage"] for s in steps[extended[0]["id"]]]
    assert stages[-2:] == [wf.STAGE_EXTENSION_ASKED, wf.STAGE_EXTENSION_APPROVED]
    urgent = [f["id"] for f in feedback if f["urgent"]]
    linked = {r["start"] for r in city.rels[("Feedback", "REPORTED_AS", "MandatoryReport")]}
    assert urgent
    assert set(urgent) == linked


STATUS = """query($ref: String!, $code: String!) {
  feedbackStatus(reference: $ref, accessCode: $code) { status stages { stage } publicReply } }"""
RATES = """{ feedbackRates(period: "2026") {
  overall { total responseRate resolutionRate satisfaction suppressed }
  towns { townName total suppressed } } }"""
LIST = """{ feedback(first: 100) { totalCount nodes { regionCode contactName } } }"""


async def _run(store: GraphStore, text: str, reader: Any, **variables: Any) -> dict[str, Any]:
    context = Context(store, principal=reader, clock=lambda: NOW_MS / 1000)
    result = await SCHEMA.execute(text, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


SCHEMA = build_schema()


async def test_on_the_loaded_city(city: DemoPart, demo_store: GraphStore) -> None:
    sample = _feedback(city)[0]
    status = (
        await _run(
            demo_store,
            STATUS,
            PUBLIC,
            ref=sample["trackingRef"],
            code=demo_access_code(SEED, sample["id"]),
        )
    )["feedbackStatus"]
    assert status["status"] == sample["status"]
    station = user(Role.STATION_STAFF, (f"{TENGZHOU}001",))
    listed = (await _run(demo_store, LIST, station))["feedback"]
    assert listed["totalCount"] > 0
    assert all(n["regionCode"].startswith(f"{TENGZHOU}001") for n in listed["nodes"])
    commissioner = user(Role.COMMISSIONER, (TENGZHOU,))
    rates = (await _run(demo_store, RATES, commissioner))["feedbackRates"]
    assert rates["overall"]["total"] > 50
    assert 0 < rates["overall"]["responseRate"] <= 1
    assert 1 <= rates["overall"]["satisfaction"] <= 5
    assert any(t["suppressed"] for t in rates["towns"])
    admin = (await _run(demo_store, RATES, ADMIN))["feedbackRates"]
    assert not any(t["suppressed"] for t in admin["towns"])
    assert sum(t["total"] for t in admin["towns"]) == admin["overall"]["total"]
