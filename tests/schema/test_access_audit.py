"""The audit side of the policy: one access event per request that returns personal data,
withheld data when the trail cannot take the event, and break-the-glass."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest_asyncio

from graph import GraphConfig, GraphStore, open_graph
from graph.audit import AccessEventIn
from graph.queries.catalog import CATALOG
from schema import Context, build_schema
from schema.access.audit import MemorySink
from schema.core.ids import to_global_id
from tests.support.principals import ADMIN, JINGHE, PUBLIC

SCHEMA = build_schema()


async def run(
    store: GraphStore, text: str, sink: Any, reader: Any = ADMIN, **variables: Any
) -> Any:
    return await SCHEMA.execute(
        text,
        variable_values=variables,
        context_value=Context(store, principal=reader, audit=sink, request_id="req-1"),
    )


async def a_child(store: GraphStore, town: str = JINGHE) -> dict[str, Any]:
    rows = await store.read(
        CATALOG.page("Child", "name", "asc", frozenset({"region"})), {"region": town, "limit": 1}
    )
    return dict(rows[0]["node"])


async def test_one_event_per_request_with_records_and_fields(demo_store: GraphStore) -> None:
    sink = MemorySink()
    result = await run(
        demo_store,
        '{ children(first: 3, inRegion: "370481001") { nodes { id name primaryCategory } } '
        "guardians(first: 2) { nodes { phone } } }",
        sink,
    )
    assert result.errors is None
    assert len(sink.events) == 1
    event = sink.events[0]
    assert event.principal == "user:admin"
    assert event.role == "center_admin"
    assert event.purpose == "case_management"
    assert event.request_id == "req-1"
    assert not event.break_glass
    children = [r for r in event.records if r.startswith("Child:")]
    guardians = [r for r in event.records if r.startswith("Guardian:")]
    assert len(children) == 3
    assert len(guardians) == 2
    assert set(event.fields) == {"Child.name", "Guardian.phone"}


async def test_no_event_without_personal_data(demo_store: GraphStore) -> None:
    sink = MemorySink()
    result = await run(demo_store, "{ children(first: 5) { nodes { primaryCategory } } }", sink)
    assert result.errors is None
    result = await run(demo_store, "{ childStats(groupBy: [TOWN]) { count } }", sink, PUBLIC)
    assert result.errors is None
    assert sink.events == []


async def test_masked_reads_are_recorded_as_masked(demo_store: GraphStore) -> None:
    from schema.access import Role
    from tests.support.principals import user

    sink = MemorySink()
    result = await run(
        demo_store,
        "{ children(first: 2) { nodes { idNumber } } }",
        sink,
        user(Role.SUPERVISOR, (JINGHE,)),
    )
    assert result.errors is None
    assert sink.events[0].fields == ("Child.idNumber:masked",)


class BrokenSink:
    def submit(self, event: AccessEventIn) -> None:
        raise RuntimeError("queue full")


async def test_data_is_withheld_when_the_trail_cannot_take_the_event(
    demo_store: GraphStore,
) -> None:
    result = await run(demo_store, "{ children(first: 2) { nodes { name } } }", BrokenSink())
    assert result.data is None
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "AUDIT_UNAVAILABLE"}
    # Without personal data, the sink is not needed and the answer stands.
    fine = await run(demo_store, "{ towns(first: 1) { nodes { name } } }", BrokenSink())
    assert fine.errors is None


@pytest_asyncio.fixture
async def writable_demo(demo_copy: Callable[[], Path]) -> AsyncIterator[GraphStore]:
    async with open_graph(GraphConfig(data_dir=demo_copy())) as store:
        yield store


async def test_break_the_glass(writable_demo: GraphStore) -> None:
    """A center admin of another town opens a child's record only with a stated reason."""
    store = writable_demo
    child = await a_child(store)
    admin = replace(
        ADMIN, subject="user-admin-2", name="admin2", regions=("370481002",), grants=None
    )
    child_id = to_global_id("Child", child["id"])
    read = "query ($id: ID!) { node(id: $id) { ... on Child { id name } } }"
    sink = MemorySink()
    before = await run(store, read, sink, admin, id=child_id)
    assert before.errors is None
    assert before.data == {"node": None}

    grant = """
    mutation ($id: ID!, $reason: String!) {
      breakGlass(childId: $id, reason: $reason) { childId expiresAt }
    }"""
    short = await run(store, grant, sink, admin, id=child_id, reason="urgent")
    assert short.errors is not None
    assert "reason" in short.errors[0].message
    refused = await run(store, grant, sink, PUBLIC, id=child_id, reason="a long enough reason")
    assert refused.errors is not None
    assert refused.errors[0].extensions == {"code": "FORBIDDEN"}

    granted = await run(
        store, grant, sink, admin, id=child_id, reason="child reported missing, family moved here"
    )
    assert granted.errors is None
    after = await run(store, read, sink, admin, id=child_id)
    assert after.errors is None
    assert after.data == {"node": {"id": child_id, "name": child["name"]}}
    assert sink.events[-1].break_glass
    assert sink.events[-1].records == (f"Child:{child['id']}",)
    # Lists stay within the admin's regions: the grant opens that record only.
    listed = await run(store, "{ children(first: 100) { nodes { villageCode } } }", sink, admin)
    assert {c["villageCode"][:9] for c in listed.data["children"]["nodes"]} == {"370481002"}


async def test_auditors_query_the_trail_by_child_principal_and_time(
    writable_demo: GraphStore,
) -> None:
    from graph.audit import AuditLog
    from schema.access import Role
    from tests.support.principals import user

    store = writable_demo
    child = await a_child(store)
    log = AuditLog(store)
    await log.append(
        [
            AccessEventIn(
                at=1_700_000_000_000 + i,
                principal=principal,
                role="center_admin",
                client_id=None,
                purpose="case_management",
                request_id=f"r{i}",
                records=records,
                fields=("Child.name",),
                break_glass=False,
            )
            for i, (principal, records) in enumerate(
                [
                    ("user:admin", (f"Child:{child['id']}",)),
                    ("user:admin", ("Child:someone-else",)),
                    ("client:edu-bureau", (f"Child:{child['id']}", "Child:x")),
                ]
            )
        ]
    )
    auditor = user(Role.AUDITOR, ("370481",))
    query = """
    query ($child: ID, $who: String) {
      accessEvents(first: 10, filter: {child: $child, principal: {eq: $who}}) {
        totalCount nodes { seq principal requestId }
      }
    }"""
    child_id = to_global_id("Child", child["id"])
    by_child = await run(store, query, MemorySink(), auditor, child=child_id)
    assert by_child.errors is None
    assert [n["requestId"] for n in by_child.data["accessEvents"]["nodes"]] == ["r0", "r2"]
    both = await run(store, query, MemorySink(), auditor, child=child_id, who="user:admin")
    assert [n["requestId"] for n in both.data["accessEvents"]["nodes"]] == ["r0"]
    in_time = await run(
        store,
        '{ accessEvents(first: 10, filter: {at: {gte: "2023-11-14T22:13:20.001Z"}}) '
        "{ nodes { requestId } } }",
        MemorySink(),
        auditor,
    )
    assert in_time.errors is None, in_time.errors
    assert [n["requestId"] for n in in_time.data["accessEvents"]["nodes"]] == ["r1", "r2"]
