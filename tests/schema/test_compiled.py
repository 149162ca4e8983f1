"""Queries answered in one statement give exactly what the field-by-field executor gives.

Every query here runs twice on the city demo data, compiled and field by field,
for readers of every kind; the answers, the errors and the audit events must be
equal. The queries marked ``compiled`` must really take the compiled path (so
the comparison is not of the general path with itself).
"""

from __future__ import annotations

from typing import Any

import pytest

from graph import CountingStore, GraphStore
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.access.audit import MemorySink
from schema.core import compiled as compiled_module
from schema.core.ids import to_global_id
from tests.support.principals import ADMIN, JINGHE, PUBLIC, partner, user

SCHEMA = build_schema()

CHILD_FILE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Child {
      primaryCategory categories riskLevel status gender name birthDate idNumber address
      homeLat enrolledDate
      village { name code town { name } }
      visits(last: 5) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { startedAt mode findings lat riskObservations } }
      }
      directors(first: 3) { nodes { name } }
      guardians(first: 3) { nodes { name idNumber phone relation } }
    }
  }
}
"""

DIRECTOR = """
query ($id: ID!) {
  node(id: $id) {
    ... on Director {
      name
      villages(first: 5) { nodes { name } }
      children(first: 100) {
        totalCount
        nodes { id primaryCategory name visits(last: 1) { nodes { startedAt } } }
      }
    }
  }
}
"""

TOWN = """
query ($code: String!) {
  towns(first: 1, filter: {code: {eq: $code}}) {
    totalCount
    nodes {
      ...T
      villages(first: 100, orderBy: {field: NAME, direction: DESC}) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          name
          directors(first: 20) { nodes { name } }
          facilities(first: 5) { nodes { name kind } }
        }
      }
    }
  }
}
fragment T on Town { name code __typename }
"""

VISITS = """
query ($n: Int!, $region: String) {
  visits(first: $n, orderBy: {field: STARTED_AT, direction: DESC}, inRegion: $region) {
    pageInfo { hasNextPage startCursor endCursor }
    nodes {
      id startedAt mode findings
      child { name idNumber village { name } }
      director { name }
      byAlias: director { id }
    }
  }
}
"""

VILLAGES_BACKWARD = """
query {
  villages(last: 7, inRegion: "370481001") {
    edges { cursor node { code name children(first: 2) { totalCount nodes { name } } } }
    pageInfo { hasNextPage hasPreviousPage }
  }
}
"""

CHILDREN_FILTERED = """
query {
  children(first: 20, filter: {primaryCategory: {eq: "留守儿童"}}, inRegion: "370481001") {
    totalCount
    nodes { name primaryCategory village { name } }
  }
}
"""

TWO_ROOTS = """
query {
  a: towns(first: 2) { nodes { name } }
  b: stations(first: 3) { nodes { name town { name } } }
  __typename
}
"""

ALIASES = """
query {
  towns(first: 3) {
    a: edges { cursor }
    b: edges { node { name n2: name } __typename }
    p: pageInfo { hasNextPage }
    q: pageInfo { endCursor __typename }
    __typename
    total: totalCount
    nodes { ... on Town { code } ... on Node { id } }
  }
}
"""

#: Not of known shape: a field with its own resolver (the general path answers).
GENERAL = """
query { overview { towns villages } }
"""

DIRECTOR_ID = "director-370481-0001"


def readers() -> dict[str, Principal]:
    return {
        "admin": ADMIN,
        "staff": user(Role.STATION_STAFF, (JINGHE,)),
        "supervisor": user(Role.SUPERVISOR, (JINGHE,)),
        "director": user(Role.DIRECTOR, (JINGHE,), person_id=DIRECTOR_ID),
        "commissioner": user(Role.COMMISSIONER, (JINGHE,)),
        "public": PUBLIC,
        "partner": partner(
            frozenset({"Child", "Village", "Town", "Visit", "Director"}),
            frozenset({"Child.name", "Child.birthDate"}),
        ),
    }


async def execute(
    store: GraphStore, reader: Principal, query: str, variables: dict[str, Any], *, compiled: bool
) -> tuple[Any, list[tuple[str, Any]], list[Any], str, int]:
    sink = MemorySink()
    counting = CountingStore(store)
    context = Context(counting, principal=reader, audit=sink, compile_queries=compiled)
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    errors = [(e.message, e.path) for e in result.errors or []]
    events = [(e.records, e.fields, e.break_glass, e.purpose) for e in sink.events]
    return result.data, errors, events, context.execution_path, counting.round_trips


async def compare(
    store: GraphStore, reader: Principal, query: str, variables: dict[str, Any]
) -> tuple[str, Any]:
    fast = await execute(store, reader, query, variables, compiled=True)
    # Twice: the second answer comes from the cached plan.
    again = await execute(store, reader, query, variables, compiled=True)
    slow = await execute(store, reader, query, variables, compiled=False)
    assert fast[:3] == slow[:3]
    assert again[:3] == slow[:3]
    return fast[3], fast[0], fast[1]


CASES: list[tuple[str, str, bool]] = [
    # (name, query, must compile for a reader of every row it asks)
    ("child-file", CHILD_FILE, True),
    ("director", DIRECTOR, True),
    ("town", TOWN, True),
    ("visits", VISITS, True),
    ("villages-backward", VILLAGES_BACKWARD, True),
    ("children-filtered", CHILDREN_FILTERED, True),
    ("two-roots", TWO_ROOTS, True),
    ("aliases", ALIASES, True),
    ("general", GENERAL, False),
]


@pytest.mark.parametrize("reader_name", list(readers()))
@pytest.mark.parametrize(("name", "query", "compiles"), CASES, ids=[c[0] for c in CASES])
async def test_compiled_answers_equal_the_executors(
    demo_store: GraphStore, reader_name: str, name: str, query: str, compiles: bool
) -> None:
    reader = readers()[reader_name]
    child = await first_child(demo_store)
    variables: dict[str, Any] = {
        "id": to_global_id("Child", child),
        "code": JINGHE,
        "n": 30,
        "region": JINGHE,
    }
    if name == "director":
        variables["id"] = to_global_id("Director", DIRECTOR_ID)
    used = {k: v for k, v in variables.items() if f"${k}" in query}
    path, data, errors = await compare(demo_store, reader, query, used)
    if compiles and not errors:
        # What the reader may have is answered compiled; refusals take the general path.
        assert path == "compiled", path
        assert data is not None
    if not compiles:
        assert path.startswith("general"), path


async def first_child(store: GraphStore) -> str:
    from graph.queries.catalog import CATALOG

    rows = await store.read(
        CATALOG.page("Child", "enrolledDate", "asc", frozenset({"scopeOne"})),
        {"limit": 50, "scopeOne": JINGHE},
    )
    return str(rows[-1]["node"]["id"])


async def test_paging_with_cursors_matches(demo_store: GraphStore) -> None:
    """Forward and backward through a relationship and a root list by cursors: both paths agree."""
    query = """
    query ($after: String, $before: String) {
      villages(first: 4, after: $after, inRegion: "370481001") {
        pageInfo { endCursor hasNextPage hasPreviousPage }
        nodes { code children(last: 2, before: $before) { edges { cursor node { id } } } }
      }
    }
    """
    after: str | None = None
    for _ in range(3):
        variables = {"after": after, "before": None}
        path, data, _ = await compare(demo_store, ADMIN, query, variables)
        assert path == "compiled"
        after = data["villages"]["pageInfo"]["endCursor"]
        assert after
    edges = data["villages"]["nodes"][0]["children"]["edges"]
    if edges:
        _, back, _ = await compare(
            demo_store, ADMIN, query, {"after": None, "before": edges[-1]["cursor"]}
        )
        assert back["villages"]["nodes"]


async def test_refusals_take_the_general_path(demo_store: GraphStore) -> None:
    """A page too large, a sort on personal data, a list the reader may not have: the
    resolvers' own errors, never a graph read by the compiled path."""
    cases = [
        (ADMIN, "{ towns(first: 1000) { nodes { name } } }"),
        (user(Role.COMMISSIONER, (JINGHE,)), "{ children(first: 1) { nodes { name } } }"),
        (
            user(Role.SUPERVISOR, (JINGHE,)),
            "{ mandatoryReports(first: 1) { nodes { reporter { name } } } }",
        ),
    ]
    for reader, query in cases:
        fast = await execute(demo_store, reader, query, {}, compiled=True)
        slow = await execute(demo_store, reader, query, {}, compiled=False)
        assert fast[:3] == slow[:3]
        assert fast[3].startswith("general"), fast[3]


async def test_a_changed_policy_is_a_new_plan(demo_store: GraphStore) -> None:
    """The plan cache is keyed by the reader's policy: a masked reader never gets a full plan."""
    child = await first_child(demo_store)
    query = "query ($id: ID!) { node(id: $id) { ... on Child { idNumber name } } }"
    variables = {"id": to_global_id("Child", child)}
    full = await execute(demo_store, ADMIN, query, variables, compiled=True)
    masked = await execute(
        demo_store, user(Role.STATION_STAFF, (JINGHE,)), query, variables, compiled=True
    )
    assert full[3] == masked[3] == "compiled"
    assert "*" not in full[0]["node"]["idNumber"]
    assert "*" in masked[0]["node"]["idNumber"]
    assert len(compiled_module._PLANS) >= 2  # one plan per policy


async def test_one_plan_serves_every_id(demo_store: GraphStore) -> None:
    """`node(id: $id)` is planned once per type of id: each request binds its own key."""
    from graph.queries.catalog import CATALOG

    rows = await demo_store.read(
        CATALOG.page("Child", "name", "asc", frozenset()), {"limit": 100_000}
    )
    children = [str(r["node"]["id"]) for r in rows[:: max(1, len(rows) // 12)]]
    children.append(await first_child(demo_store))  # one in the staff's town
    query = "query ($id: ID!) { node(id: $id) { id ... on Child { name village { name } } } }"
    staff = user(Role.STATION_STAFF, (JINGHE,))
    compiled_module.forget_plans()
    answers = []
    for child in children:
        path, data, errors = await compare(
            demo_store, staff, query, {"id": to_global_id("Child", child)}
        )
        assert path == "compiled"
        assert not errors
        answers.append(data["node"])
    assert len(compiled_module._PLANS) == 1
    assert any(a is None for a in answers)  # outside the staff's town: null, as field by field
    assert any(a is not None for a in answers)
    assert len({a["id"] for a in answers if a}) == len([a for a in answers if a])
    # Another type of id is another plan; a malformed id is the resolvers' error.
    await compare(demo_store, staff, query, {"id": to_global_id("Director", DIRECTOR_ID)})
    assert len(compiled_module._PLANS) == 2
    _, _, errors = await compare(demo_store, staff, query, {"id": "not-an-id"})
    assert errors


async def test_an_id_used_twice_is_part_of_the_plan(demo_store: GraphStore) -> None:
    child = to_global_id("Child", await first_child(demo_store))
    query = """
    query ($id: ID!) {
      a: node(id: $id) { id }
      b: node(id: $id) { ... on Child { name } }
    }
    """
    compiled_module.forget_plans()
    path, data, _ = await compare(demo_store, ADMIN, query, {"id": child})
    assert path == "compiled"
    assert data["a"]["id"] == child
    assert compiled_module._plan_keys_bound() == 0


async def test_a_computed_filter_takes_the_general_path(demo_store: GraphStore) -> None:
    """Filters computed in a WITH (reviewed, no visit since) are not placed in a tree."""
    query = """
    query {
      visits(first: 5, filter: {flagged: true, reviewed: false}) { nodes { startedAt } }
      children(first: 3, filter: {noVisitSince: "2026-06-01T00:00:00+08:00"}) {
        nodes { primaryCategory }
      }
    }
    """
    for _ in range(2):  # the second time too: a refused plan is never cached
        fast = await execute(demo_store, ADMIN, query, {}, compiled=True)
        slow = await execute(demo_store, ADMIN, query, {}, compiled=False)
        assert fast[:3] == slow[:3]
        assert not fast[1]
        assert fast[3].startswith("general: a bound predicate"), fast[3]
