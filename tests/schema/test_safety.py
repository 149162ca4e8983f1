"""Query safety on a small test-only schema: depth, aliases, tokens, page sizes, cost,
batching, the time limit and error masking.

The schema is recursive (``Item.child``) and has paged fields of both kinds (a
list with ``first``/``last``, a ``…Connection``), so every rule can be driven to
its limit with exact numbers. Its resolvers record every call: a refused
request must record none, and must not even build a context.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLError, GraphQLSchema, get_introspection_query

from schema import PublicError
from schema.errors import GraphQLRequestError
from schema.http import GraphQLEndpoint
from schema.safety import Limits, QueryGuard, should_mask_error
from tests.schema.conftest import nested_query

GR = {"accept": "application/graphql-response+json"}


@dataclass
class Touches:
    """The test schema's context: what its resolvers did."""

    calls: list[str] = field(default_factory=list)


class Teapot(PublicError):
    code = "TEAPOT"


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def child(self, info: strawberry.Info) -> Item:
        info.context.calls.append("child")
        return Item(name=f"{self.name}.c")

    @strawberry.field
    def items(
        self, info: strawberry.Info, first: int | None = None, last: int | None = None
    ) -> list[Item]:
        info.context.calls.append("items")
        return [Item(name=f"{self.name}.{i}") for i in range(min(first or last or 2, 3))]

    @strawberry.field
    def sized(self, first: int = 5) -> list[Item]:
        return []

    @strawberry.field
    def things(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> ItemConnection:
        info.context.calls.append("things")
        return ItemConnection(total_count=0, edges=[], nodes=[])


@strawberry.type
class ItemEdge:
    cursor: str
    node: Item


@strawberry.type
class ItemConnection:
    total_count: int
    edges: list[ItemEdge]
    nodes: list[Item]


@strawberry.type
class Query:
    @strawberry.field
    def root(self, info: strawberry.Info) -> Item:
        info.context.calls.append("root")
        return Item(name="r")

    @strawberry.field
    def broken(self) -> str | None:
        raise RuntimeError("secret detail of the graph")

    @strawberry.field
    def refused(self) -> str | None:
        raise Teapot("no tea here", pot="blue")

    @strawberry.field
    async def slow(self) -> str:
        await asyncio.sleep(5)
        return "late"


@strawberry.type
class Mutation:
    @strawberry.mutation
    def poke(self, info: strawberry.Info) -> bool:
        info.context.calls.append("poke")
        return True


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)


def nest(depth: int) -> str:
    """A query of exactly ``depth`` nested fields: root, child…, name."""
    query = "name"
    for name in reversed(["root"] + ["child"] * (depth - 2)):
        query = f"{name} {{ {query} }}"
    return f"{{ {query} }}"


def aliases(count: int) -> str:
    return "{ root { " + " ".join(f"a{i}: name" for i in range(count)) + " } }"


def refusal(query: str, variables: dict[str, Any] | None = None, **limits: Any) -> GraphQLError:
    """The first error the guard refuses ``query`` with (it must refuse)."""
    guard = QueryGuard(SCHEMA._schema, Limits(**limits))

    def check() -> None:
        document = guard.parse(query)
        guard.check(document, document.operation(None), variables)

    with pytest.raises(GraphQLRequestError) as refused:
        check()
    return refused.value.errors[0]


def passes(query: str, variables: dict[str, Any] | None = None, **limits: Any) -> None:
    guard = QueryGuard(SCHEMA._schema, Limits(**limits))
    document = guard.parse(query)
    guard.check(document, document.operation(None), variables)


def cost_of(query: str, variables: dict[str, Any] | None = None) -> int:
    cost: int = refusal(query, variables, max_cost=1).extensions["cost"]  # type: ignore[index]
    return cost


# --- depth ------------------------------------------------------------------


def test_depth_up_to_the_limit_passes() -> None:
    passes(nest(16))


@pytest.mark.parametrize("depth", [17, 20])
def test_depth_over_the_limit_is_refused_naming_it(depth: int) -> None:
    error = refusal(nest(depth))
    assert error.message == f"query depth {depth} exceeds the limit of 16"
    assert error.extensions == {"code": "QUERY_TOO_DEEP", "limit": 16, "depth": depth}


def test_the_default_depth_fits_a_relay_query_of_the_real_schema(
    real_schema: GraphQLSchema,
) -> None:
    # towns → villages → directors → children → last visit, in edges { node } form.
    guard = QueryGuard(real_schema, Limits(max_cost=10**12))
    parsed = guard.parse(nested_query(real_schema, 16))
    guard.check(parsed, parsed.operation(None), None)
    parsed = guard.parse(nested_query(real_schema, 17))
    with pytest.raises(GraphQLRequestError, match="depth 17 exceeds the limit of 16"):
        guard.check(parsed, parsed.operation(None), None)


def test_depth_follows_fragments() -> None:
    query = """
        { root { ...A } }
        fragment A on Item { child { child { ...B } } }
        fragment B on Item { child { ... on Item { child { name } } } }
    """
    assert refusal(query, max_depth=5).message == "query depth 6 exceeds the limit of 5"
    passes(query, max_depth=6)


def chain(count: int) -> str:
    fragments = " ".join(
        f"fragment F{i} on Item {{ child {{ ...F{i + 1} }} }}" for i in range(count)
    )
    return f"{{ root {{ ...F0 }} }} {fragments} fragment F{count} on Item {{ name }}"


def test_a_long_fragment_chain_is_measured() -> None:
    error = refusal(chain(90), max_tokens=50_000)
    assert error.message == "query depth 92 exceeds the limit of 16"


def test_a_fragment_chain_past_the_recursion_guard_is_refused() -> None:
    # graphql-core aborts validation past 200 nested fragments, before any rule runs.
    assert refusal(chain(300), max_tokens=50_000).message == "Validation aborted."


def test_a_fragment_bomb_is_measured_in_linear_time() -> None:
    # Each fragment spreads the next one twice: 2**40 paths if expanded naively.
    count = 40
    fragments = " ".join(
        f"fragment F{i} on Item {{ child {{ ...F{i + 1} }} items(first: 2) {{ ...F{i + 1} }} }}"
        for i in range(count)
    )
    query = f"{{ root {{ ...F0 }} }} {fragments} fragment F{count} on Item {{ name }}"
    started = time.perf_counter()
    error = refusal(query, max_depth=100, max_tokens=50_000)
    assert time.perf_counter() - started < 5
    assert error.extensions is not None
    assert error.extensions["code"] == "QUERY_TOO_COSTLY"


def test_introspection_is_not_counted_as_depth() -> None:
    passes(get_introspection_query(descriptions=True))


def test_cyclic_introspection_is_refused() -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert "introspection depth" in refusal(query).message


# --- aliases, tokens, introspection switch --------------------------------


def test_aliases_up_to_the_limit_pass() -> None:
    passes(aliases(30))


def test_aliases_over_the_limit_are_refused_naming_it() -> None:
    error = refusal(aliases(1000))
    assert error.message == "1000 aliases exceed the limit of 30"
    assert error.extensions == {"code": "TOO_MANY_ALIASES", "limit": 30, "aliases": 1000}


def test_tokens_over_the_limit_are_refused_naming_it() -> None:
    query = "{ root { " + "name " * 600 + "} }"
    passes(query, max_tokens=700)
    error = refusal(query, max_tokens=500)
    assert error.message == "the document has more tokens than the limit of 500"
    assert error.extensions == {"code": "TOO_MANY_TOKENS", "limit": 500}


def test_introspection_can_be_turned_off_but_typename_stays() -> None:
    error = refusal('{ __type(name: "Item") { name } }', introspection=False)
    assert "introspection (__type) is disabled" in error.message
    passes("{ __typename root { __typename } }", introspection=False)


# --- page sizes and cost ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (
            "{ root { items(first: 100000) { name } } }",
            None,
            "first: 100000 on field 'items' exceeds the page size limit of 100",
        ),
        (
            "{ root { items(last: 101) { name } } }",
            None,
            "last: 101 on field 'items' exceeds the page size limit of 100",
        ),
        (
            "query Q($n: Int) { root { things(first: $n) { totalCount } } }",
            {"n": 100000},
            "first: 100000 on field 'things' exceeds the page size limit of 100",
        ),
        (
            "query Q($n: Int = 500) { root { items(first: $n) { name } } }",
            None,
            "first: 500 on field 'items' exceeds the page size limit of 100",
        ),
        ("{ root { items(first: -1) { name } } }", None, "first: -1 on field 'items' is negative"),
    ],
)
def test_page_sizes_over_the_limit_are_refused(
    query: str, variables: dict[str, Any] | None, message: str
) -> None:
    error = refusal(query, variables)
    assert error.message == message
    assert error.extensions is not None
    assert error.extensions["code"] == "PAGE_TOO_LARGE"
    assert error.extensions["limit"] == 100


def test_a_page_of_100_passes() -> None:
    passes("{ root { items(first: 100) { name } things(first: 100) { nodes { name } } } }")


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        # a paged list multiplies its whole subtree
        ("{ root { items(first: 10) { name } } }", None, 1 + 1 + 10),
        (
            "{ root { items(first: 100) { items(first: 100) { items(first: 10) { name } } } } }",
            None,
            1 + 1 + 100 * (1 + 100 * (1 + 10)),
        ),
        # a connection multiplies its rows (edges, nodes), not totalCount/pageInfo
        (
            "{ root { things(first: 50) { totalCount edges { cursor node { name } } } } }",
            None,
            1 + 1 + 1 + 50 * (1 + 1 + 2),
        ),
        # no first/last: the default page size of a connection, the argument's default
        ("{ root { things { nodes { name } } } }", None, 1 + 1 + 20 * 2),
        ("{ root { sized { name } } }", None, 1 + 1 + 5),
        # variables, and their defaults
        ("query Q($n: Int = 7) { root { items(first: $n) { name } } }", None, 1 + 1 + 7),
        ("query Q($n: Int = 7) { root { items(first: $n) { name } } }", {"n": 3}, 1 + 1 + 3),
        # fragments and aliases count where they are used
        (
            "{ root { ...F a: items(first: 2) { name } } } "
            "fragment F on Item { items(first: 10) { name } }",
            None,
            1 + (1 + 10) + (1 + 2),
        ),
    ],
)
def test_cost(query: str, variables: dict[str, Any] | None, cost: int) -> None:
    assert cost_of(query, variables) == cost


def test_cost_over_the_limit_is_refused_naming_it() -> None:
    query = "{ root { items(first: 100) { items(first: 100) { items(first: 10) { name } } } } }"
    error = refusal(query)
    assert error.message == "query cost 110102 exceeds the limit of 50000"
    assert error.extensions == {"code": "QUERY_TOO_COSTLY", "limit": 50000, "cost": 110102}


# --- over HTTP: nothing refused reaches a resolver ---------------------------


@dataclass
class Served:
    client: httpx.AsyncClient
    contexts: list[Touches]

    @property
    def calls(self) -> list[str]:
        return [call for context in self.contexts for call in context.calls]


@asynccontextmanager
async def serve(**limits: Any) -> AsyncIterator[Served]:
    contexts: list[Touches] = []

    def context(request: Any) -> Touches:
        contexts.append(Touches())
        return contexts[-1]

    endpoint = GraphQLEndpoint(SCHEMA, context, limits=Limits(**limits))
    transport = httpx.ASGITransport(endpoint)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Served(client, contexts)


BIG = {"query": "{ root { name } }", "padding": "x" * 5_000_000}
REFUSED: list[tuple[str, Callable[[httpx.AsyncClient], Any], int]] = [
    ("depth_20", lambda c: c.post("/", json={"query": nest(20)}, headers=GR), 400),
    ("aliases_1000", lambda c: c.post("/", json={"query": aliases(1000)}, headers=GR), 400),
    (
        "first_100000",
        lambda c: c.post("/", json={"query": "{ root { items(first: 100000) { name } } }"}),
        200,  # application/json: a validation error keeps 200
    ),
    (
        "cost",
        lambda c: c.post(
            "/",
            json={
                "query": "{ root { items(first: 100) { items(first: 100) { items(first: 10) "
                "{ name } } } } }"
            },
            headers=GR,
        ),
        400,
    ),
    ("tokens", lambda c: c.post("/", json={"query": "{ " + "root { name } " * 2000 + "}"}), 200),
    ("body_5_mb", lambda c: c.post("/", json=BIG, headers=GR), 413),
    ("mutation_over_get", lambda c: c.get("/", params={"query": "mutation { poke }"}), 405),
    ("batch", lambda c: c.post("/", json=[{"query": "{ root { name } }"}]), 400),
]


@pytest.mark.parametrize(
    ("send", "status"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
async def test_refused_requests_reach_no_resolver(
    send: Callable[[httpx.AsyncClient], Any], status: int
) -> None:
    async with serve() as served:
        response = await send(served.client)
    assert response.status_code == status, response.text
    assert "data" not in response.json()
    assert served.contexts == []  # not even a context was built


async def test_an_accepted_query_does_reach_the_resolvers() -> None:
    async with serve() as served:
        response = await served.client.post("/", json={"query": nest(16)})
    assert response.status_code == 200
    assert served.calls == ["root"] + ["child"] * 14


async def test_mutations_run_over_post() -> None:
    async with serve() as served:
        response = await served.client.post("/", json={"query": "mutation { poke }"})
    assert response.json() == {"data": {"poke": True}}
    assert served.calls == ["poke"]


async def test_the_time_limit_answers_504() -> None:
    async with serve(timeout_s=0.05) as served:
        started = time.perf_counter()
        response = await served.client.post("/", json={"query": "{ slow }"}, headers=GR)
    assert time.perf_counter() - started < 2
    assert response.status_code == 504
    assert response.json() == {
        "errors": [
            {
                "message": "the request did not finish within the time limit of 0.05 s",
                "extensions": {"code": "TIMEOUT", "limit": 0.05},
            }
        ]
    }


# --- batching -------------------------------------------------------------------


async def test_batches_when_enabled_and_within_the_cap() -> None:
    batch = [
        {"query": "{ root { name } }"},
        {"query": "{ nope }"},
        {"documentId": "sha256:" + "0" * 64},
    ]
    async with serve(max_batch=3) as served:
        response = await served.client.post("/", json=batch)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first == {"data": {"root": {"name": "r"}}}
    assert "data" not in second
    assert "nope" in second["errors"][0]["message"]
    assert third["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert len(served.contexts) == 1  # one context (and its loaders) for the batch


@pytest.mark.parametrize("size", [0, 4])
async def test_batches_outside_the_cap_are_refused(size: int) -> None:
    async with serve(max_batch=3) as served:
        response = await served.client.post("/", json=[{"query": "{ root { name } }"}] * size)
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert message == f"a batch of {size} operations is outside the limit of 1 to 3"
    assert served.contexts == []


# --- masking ----------------------------------------------------------------------


async def test_unexpected_errors_are_masked_public_ones_are_not() -> None:
    async with serve() as served:
        response = await served.client.post("/", json={"query": "{ broken refused }"}, headers=GR)
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"broken": None, "refused": None}
    by_path = {e["path"][0]: e for e in payload["errors"]}
    assert by_path["broken"]["message"] == "Unexpected error."
    assert "secret" not in response.text
    assert by_path["refused"]["message"] == "no tea here"
    assert by_path["refused"]["extensions"] == {"code": "TEAPOT", "pot": "blue"}


def test_should_mask_error() -> None:
    assert should_mask_error(GraphQLError("boom", original_error=RuntimeError("x")))
    assert not should_mask_error(GraphQLError("bad", original_error=Teapot("tea")))
    assert not should_mask_error(GraphQLError("Cannot query field 'x' on type 'Query'."))
    wrapped = GraphQLError("outer", original_error=GraphQLError("inner", original_error=KeyError()))
    assert should_mask_error(wrapped)


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        Limits(max_depth=0)
    with pytest.raises(ValueError, match="default_page_size"):
        Limits(default_page_size=500)


async def test_execution_reuses_the_checked_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import strawberry.schema.schema as strawberry_schema

    def twice(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("schema.execute parsed or validated the document again")

    monkeypatch.setattr(strawberry_schema, "parse", twice)
    monkeypatch.setattr(strawberry_schema, "validate", twice)
    async with serve() as served:
        response = await served.client.post("/", json={"query": "{ root { name } }"})
    assert response.json() == {"data": {"root": {"name": "r"}}}


async def test_a_failure_of_the_endpoint_itself_is_a_masked_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def context(request: Any) -> Touches:
        raise RuntimeError("secret: the graph is not open")

    endpoint = GraphQLEndpoint(SCHEMA, context)
    transport = httpx.ASGITransport(endpoint)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/", json={"query": "{ root { name } }"}, headers=GR)
    assert response.status_code == 500
    assert response.json() == {"errors": [{"message": "Unexpected error."}]}
    assert "the graph is not open" in caplog.text
