"""GraphQL over HTTP on the real hub app: methods, negotiation, status codes, refusals.

The refusal tests run over a counting store: whatever is refused must cost
zero graph round trips, while an accepted query costs some.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import GraphQLSchema, get_introspection_query

from graph import CountingStore
from schema.http._negotiation import negotiate, prefers_html
from tests.schema.conftest import (
    GRAPHQL_RESPONSE,
    ClientFactory,
    nested_query,
    paged_query,
    paged_root_field,
)

OVERVIEW = "{ overview { towns directors } }"
GR = {"accept": GRAPHQL_RESPONSE}


def media(response: Any) -> str:
    return str(response.headers["content-type"]).split(";")[0]


async def test_a_query_over_post_answers_json_and_touches_the_graph(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    async with hub_client() as client:
        response = await client.post("/graphql", json={"query": OVERVIEW})
    assert response.status_code == 200
    assert media(response) == "application/json"
    assert response.headers["content-type"].endswith("charset=utf-8")
    assert set(response.json()) == {"data"}
    assert set(response.json()["data"]["overview"]) == {"towns", "directors"}
    assert counting.round_trips > 0  # the counter sees real work: refusals below see none


async def test_graphql_response_json_is_preferred_when_accepted(hub_client: ClientFactory) -> None:
    async with hub_client() as client:
        response = await client.post(
            "/graphql",
            json={"query": OVERVIEW},
            headers={"accept": f"{GRAPHQL_RESPONSE}, application/json"},
        )
    assert response.status_code == 200
    assert media(response) == GRAPHQL_RESPONSE


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.9, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE}, */*;q=0.1", GRAPHQL_RESPONSE),
        ("application/json; charset=utf-8", "application/json"),
        ("text/plain", None),
        ("application/json;q=0", None),
        ("text/html", None),
    ],
)
def test_negotiation(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


def test_only_a_browser_gets_graphiql() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert prefers_html(browser)
    assert prefers_html("text/html")
    assert not prefers_html("*/*")
    assert not prefers_html(None)
    assert not prefers_html(f"{GRAPHQL_RESPONSE}, text/html;q=0.5")


async def test_406_when_no_graphql_media_type_is_acceptable(hub_client: ClientFactory) -> None:
    async with hub_client() as client:
        response = await client.post(
            "/graphql", json={"query": OVERVIEW}, headers={"accept": "text/plain"}
        )
    assert response.status_code == 406
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/json; charset=UTF-8", 200),
        ("application/json; charset=latin-1", 415),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("application/graphql", 415),
        (None, 415),
    ],
)
async def test_post_bodies_must_be_json(
    hub_client: ClientFactory, content_type: str | None, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    async with hub_client() as client:
        response = await client.post(
            "/graphql", content=json.dumps({"query": "{ __typename }"}), headers=headers
        )
    assert response.status_code == status, response.text


async def test_other_methods_are_405_with_allow(hub_client: ClientFactory) -> None:
    async with hub_client() as client:
        response = await client.put("/graphql", json={"query": OVERVIEW})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_get_runs_queries(hub_client: ClientFactory) -> None:
    async with hub_client() as client:
        response = await client.get(
            "/graphql",
            params={
                "query": "query Q($n: String!) { __type(name: $n) { name } }",
                "variables": json.dumps({"n": "Query"}),
            },
        )
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": {"name": "Query"}}}


async def test_a_mutation_over_get_is_405_and_allows_post(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    async with hub_client() as client:
        response = await client.get(
            "/graphql", params={"query": "mutation { __typename }"}, headers=GR
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "data" not in response.json()
    assert counting.round_trips == 0


# Request errors: with graphql-response+json they are 4xx and carry no `data`;
# the legacy application/json keeps 200 once the request reached GraphQL.
REQUEST_ERRORS: list[tuple[str, Any, int, int]] = [
    # (name, body, status with graphql-response+json, status with application/json)
    ("json_syntax", b'{ "not a JSON', 400, 400),
    ("empty_body", b"", 400, 400),
    ("not_an_object", b'"query"', 400, 400),
    ("missing_query", {"notquery": "{ __typename }"}, 400, 400),
    ("query_not_a_string", {"query": 1}, 400, 400),
    ("variables_not_an_object", {"query": "{ __typename }", "variables": "x"}, 400, 400),
    ("extensions_not_an_object", {"query": "{ __typename }", "extensions": [1]}, 400, 400),
    ("operation_name_not_a_string", {"query": "{ __typename }", "operationName": 0}, 400, 400),
    ("document_syntax", {"query": "{"}, 400, 200),
    ("validation", {"query": "{ thisFieldDoesNotExist }"}, 400, 200),
    (
        "variable_coercion",
        {"query": "query Q($id: ID!) { __typename }", "variables": {"id": None}},
        400,
        200,
    ),
    ("unknown_operation", {"query": "query A { __typename }", "operationName": "B"}, 400, 200),
    ("ambiguous_operation", {"query": "query A { __typename } query B { __typename }"}, 400, 200),
]


@pytest.mark.parametrize(
    ("body", "graphql_status", "json_status"),
    [case[1:] for case in REQUEST_ERRORS],
    ids=[case[0] for case in REQUEST_ERRORS],
)
async def test_request_errors_have_no_data(
    hub_client: ClientFactory,
    counting: CountingStore,
    body: Any,
    graphql_status: int,
    json_status: int,
) -> None:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with hub_client() as client:
        for accept, status in (
            (GRAPHQL_RESPONSE, graphql_status),
            ("application/json", json_status),
        ):
            response = await client.post(
                "/graphql",
                content=content,
                headers={"content-type": "application/json", "accept": accept},
            )
            assert response.status_code == status, (accept, response.text)
            assert media(response) == accept
            payload = response.json()
            assert "data" not in payload
            assert payload["errors"]
            assert all(e["message"] for e in payload["errors"])
    assert counting.round_trips == 0


async def test_null_parameters_are_absent_parameters(hub_client: ClientFactory) -> None:
    body = {"query": "{ __typename }", "variables": None, "operationName": None, "extensions": None}
    async with hub_client() as client:
        response = await client.post("/graphql", json=body, headers=GR)
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_utf8_in_the_request_and_the_response(hub_client: ClientFactory) -> None:
    query = '{ __type(name: "儿童主任🏃") { name } }'
    async with hub_client() as client:
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}


# --- "refused before the graph is touched" (issue 3, judged by) ------------


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def _refusals(schema: GraphQLSchema) -> list[tuple[str, dict[str, Any], int, str]]:
    root = paged_root_field(schema)
    return [
        # (name, request, status, a fragment of the error message)
        ("depth_20", {"query": nested_query(schema, 20)}, 400, "depth 20 exceeds the limit of 16"),
        ("aliases_1000", {"query": _aliases(1000)}, 400, "1000 aliases exceed the limit of 30"),
        (
            "first_100000",
            {"query": f"{{ {root}(first: 100000) {{ totalCount }} }}"},
            400,
            "first: 100000 on field",
        ),
        (
            "first_100000_as_a_variable",
            {
                "query": f"query Q($n: Int) {{ {root}(first: $n) {{ totalCount }} }}",
                "variables": {"n": 100000},
            },
            400,
            "exceeds the page size limit of 100",
        ),
        (
            "last_101",
            {"query": f"{{ {root}(last: 101) {{ totalCount }} }}"},
            400,
            "last: 101 on field",
        ),
        (
            "cost",
            {"query": paged_query(schema, 3, 100)},
            400,
            "exceeds the limit of 50000",
        ),
        (
            "tokens",
            {"query": "{ " + "__typename " * 6000 + "}"},
            400,
            "more tokens than the limit of 5000",
        ),
        (
            "unknown_persisted_query",
            {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}},
            400,
            "PersistedQueryNotFound",
        ),
        (
            "unknown_document_id",
            {"documentId": "sha256:" + "cd" * 32},
            400,
            "PersistedQueryNotFound",
        ),
        ("batch", [{"query": "{ __typename }"}] * 2, 400, "batching is disabled"),
    ]


@pytest.fixture
def refusals(real_schema: GraphQLSchema) -> dict[str, tuple[Any, int, str]]:
    return {name: (body, status, text) for name, body, status, text in _refusals(real_schema)}


REFUSAL_NAMES = [
    "depth_20",
    "aliases_1000",
    "first_100000",
    "first_100000_as_a_variable",
    "last_101",
    "cost",
    "tokens",
    "unknown_persisted_query",
    "unknown_document_id",
    "batch",
]


@pytest.mark.parametrize("name", REFUSAL_NAMES)
async def test_refused_before_the_graph_is_touched(
    hub_client: ClientFactory,
    counting: CountingStore,
    refusals: dict[str, tuple[Any, int, str]],
    name: str,
) -> None:
    body, status, text = refusals[name]
    async with hub_client() as client:
        response = await client.post("/graphql", json=body, headers=GR)
    assert response.status_code == status, response.text
    payload = response.json()
    assert "data" not in payload
    messages = " | ".join(e["message"] for e in payload["errors"])
    assert text in messages
    assert counting.round_trips == 0


async def test_a_5_mb_body_is_refused_by_its_length(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    body = json.dumps({"query": "{ __typename }", "padding": "x" * 5_000_000})
    async with hub_client() as client:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json", **GR}
        )
    assert response.status_code == 413
    assert "exceeds the limit of 1048576 bytes" in response.json()["errors"][0]["message"]
    assert counting.round_trips == 0


async def test_a_5_mb_streamed_body_is_refused_before_it_is_all_read(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    chunk = b"x" * 65_536
    sent = 0

    async def stream() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        nonlocal sent
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(80):  # 5 MiB
            sent += len(chunk)
            yield chunk
        yield b'"}'

    async with hub_client() as client:
        response = await client.post(
            "/graphql", content=stream(), headers={"content-type": "application/json", **GR}
        )
    assert response.status_code == 413
    assert sent < 2 * 1024 * 1024, "the endpoint read far past the limit"
    assert counting.round_trips == 0


# --- settings: dev tools on in dev, off in production ----------------------


async def test_graphiql_and_introspection_in_dev(hub_client: ClientFactory) -> None:
    async with hub_client() as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        introspection = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert introspection.status_code == 200
    assert "errors" not in introspection.json()


async def test_graphiqls_introspection_query_passes_every_limit(hub_client: ClientFactory) -> None:
    query = get_introspection_query(descriptions=True, specified_by_url=True)
    async with hub_client() as client:
        response = await client.post("/graphql", json={"query": query}, headers=GR)
    assert response.status_code == 200, response.text[:500]
    assert "errors" not in response.json()


async def test_no_graphiql_nor_introspection_in_production(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    async with hub_client(environment="production", auth={"session_secret": "s" * 40}) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        browser = await client.get(
            "/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        )
        introspection = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}, headers=GR
        )
        typename = await client.post("/graphql", json={"query": "{ __typename }"}, headers=GR)
    assert page.status_code == 406
    assert browser.status_code == 400  # JSON, and no query
    assert introspection.status_code == 400
    assert "introspection (__schema) is disabled" in introspection.json()["errors"][0]["message"]
    assert typename.status_code == 200
    assert counting.round_trips == 0


async def test_production_can_turn_them_on(hub_client: ClientFactory) -> None:
    settings = {
        "environment": "production",
        "auth": {"session_secret": "s" * 40},
        "graphql": {"graphiql": True, "introspection": True},
    }
    async with hub_client(**settings) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        introspection = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
    assert page.status_code == 200
    assert "errors" not in introspection.json()


async def test_limits_come_from_the_settings(
    hub_client: ClientFactory, real_schema: GraphQLSchema
) -> None:
    limits = {"max_depth": 25, "max_aliases": 2000, "max_cost": 10**9}
    async with hub_client(graphql=limits) as client:
        deep = await client.post("/graphql", json={"query": nested_query(real_schema, 20)})
        aliases = await client.post("/graphql", json={"query": _aliases(1000)})
    assert "errors" not in deep.json(), deep.text
    assert "errors" not in aliases.json(), aliases.text


def test_the_graphql_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.app import graphql_limits
    from hub.settings import Settings

    monkeypatch.setenv("WEIBAO_GRAPHQL__MAX_DEPTH", "8")
    monkeypatch.setenv("WEIBAO_GRAPHQL__TRUSTED_DOCUMENTS_ONLY", "true")
    monkeypatch.setenv("WEIBAO_ENVIRONMENT", "production")
    monkeypatch.setenv("WEIBAO_AUTH__SESSION_SECRET", "s" * 40)
    settings = Settings()
    limits = graphql_limits(settings)
    assert settings.graphql.trusted_documents_only
    assert (limits.max_depth, limits.max_cost, limits.introspection) == (8, 50_000, False)
    assert not settings.graphiql
