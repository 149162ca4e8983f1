"""Trusted documents: the registry in schema/documents/, and running documents by id."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from graphql import GraphQLSchema

from graph import CountingStore
from schema import TrustedDocuments, document_id
from schema.documents import DEFAULT_FOLDER
from schema.errors import DocumentsError, GraphQLRequestError
from schema.safety import Limits, QueryGuard
from tests.schema.conftest import GRAPHQL_RESPONSE, ClientFactory

GR = {"accept": GRAPHQL_RESPONSE}


@pytest.fixture(scope="module")
def registry() -> TrustedDocuments:
    return TrustedDocuments.load()


def overview_id(registry: TrustedDocuments) -> str:
    return next(key for key, name in registry.files.items() if name == "overview.graphql")


def test_ids_are_the_sha256_of_the_files_as_stored(registry: TrustedDocuments) -> None:
    files = sorted(DEFAULT_FOLDER.glob("*.graphql"))
    assert len(files) >= 2
    assert set(registry) == {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    for key, text in registry.items():
        assert document_id(text) == key
        assert (DEFAULT_FOLDER / registry.files[key]).read_text(encoding="utf-8") == text


def test_every_trusted_document_passes_the_guard_on_the_real_schema(
    registry: TrustedDocuments, real_schema: GraphQLSchema
) -> None:
    # Production limits: no introspection. A schema change that breaks a
    # trusted document (a client in the field) fails here, not in the field.
    guard = QueryGuard(real_schema, Limits(introspection=False))
    for key, text in registry.items():
        try:
            document = guard.parse(text)
            guard.check(document, document.operation(None), None)
        except GraphQLRequestError as refused:
            pytest.fail(f"{registry.files[key]}: {refused}")


async def test_run_by_document_id(
    hub_client: ClientFactory, registry: TrustedDocuments, counting: CountingStore
) -> None:
    key = overview_id(registry)
    async with hub_client() as client:
        response = await client.post("/graphql", json={"documentId": f"sha256:{key}"}, headers=GR)
    assert response.status_code == 200, response.text
    assert set(response.json()["data"]["overview"]) >= {"towns", "directors", "villages"}
    assert counting.round_trips > 0


async def test_run_by_apollo_persisted_query_hash_over_get(
    hub_client: ClientFactory, registry: TrustedDocuments
) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": overview_id(registry)}}
    async with hub_client() as client:
        response = await client.get(
            "/graphql", params={"extensions": json.dumps(extensions)}, headers=GR
        )
    assert response.status_code == 200, response.text
    assert "overview" in response.json()["data"]


async def test_an_unknown_id_is_persisted_query_not_found(
    hub_client: ClientFactory, counting: CountingStore
) -> None:
    unknown = "e" * 64
    async with hub_client() as client:
        response = await client.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": unknown}}},
        )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["message"].startswith("PersistedQueryNotFound")
    assert error["extensions"] == {
        "code": "PERSISTED_QUERY_NOT_FOUND",
        "documentId": f"sha256:{unknown}",
    }
    assert counting.round_trips == 0


@pytest.mark.parametrize(
    "body",
    [
        {"documentId": "md5:abc"},
        {"documentId": "sha256:xyz"},
        {"documentId": 12},
        {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "a" * 64}}},
        {"extensions": {"persistedQuery": {"version": 1}}},
        {"extensions": {"persistedQuery": "a" * 64}},
    ],
)
async def test_malformed_references_are_400(
    hub_client: ClientFactory, counting: CountingStore, body: dict[str, object]
) -> None:
    async with hub_client() as client:
        response = await client.post("/graphql", json=body, headers=GR)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert counting.round_trips == 0


async def test_a_query_must_match_its_hash(
    hub_client: ClientFactory, registry: TrustedDocuments
) -> None:
    key = overview_id(registry)
    async with hub_client() as client:
        same = await client.post(
            "/graphql", json={"query": registry[key], "documentId": f"sha256:{key}"}
        )
        other = await client.post(
            "/graphql", json={"query": "{ __typename }", "documentId": f"sha256:{key}"}
        )
    assert same.status_code == 200
    assert other.status_code == 400
    assert "does not match" in other.json()["errors"][0]["message"]


async def test_an_apollo_client_may_send_an_unknown_hash_with_its_query(
    hub_client: ClientFactory,
) -> None:
    query = "{ __typename }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": document_id(query)}}
    async with hub_client() as client:
        response = await client.post("/graphql", json={"query": query, "extensions": persisted})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_restricted_client_runs_trusted_documents_only(
    hub_client: ClientFactory, registry: TrustedDocuments, counting: CountingStore
) -> None:
    key = overview_id(registry)
    query = "{ __typename }"
    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_id(query)}}
    async with hub_client(graphql={"trusted_documents_only": True}) as client:
        free = await client.post("/graphql", json={"query": query}, headers=GR)
        unknown_with_query = await client.post(
            "/graphql", json={"query": query, "extensions": apq}, headers=GR
        )
        assert counting.round_trips == 0
        trusted = await client.post("/graphql", json={"documentId": f"sha256:{key}"}, headers=GR)
    assert free.status_code == 403
    assert free.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert "data" not in free.json()
    assert unknown_with_query.status_code == 400
    assert unknown_with_query.json()["errors"][0]["message"].startswith("PersistedQueryNotFound")
    assert trusted.status_code == 200
    assert "overview" in trusted.json()["data"]


def test_a_file_with_two_operations_is_refused(tmp_path: Path) -> None:
    (tmp_path / "two.graphql").write_text("query A { __typename } query B { __typename }")
    with pytest.raises(DocumentsError, match="2 operations"):
        TrustedDocuments.load(tmp_path)


def test_a_file_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.graphql").write_text("query {")
    with pytest.raises(DocumentsError, match="not a GraphQL document"):
        TrustedDocuments.load(tmp_path)


def test_fragments_are_allowed_beside_the_one_operation(tmp_path: Path) -> None:
    text = "query A { ...F }\nfragment F on Query { __typename }\n"
    (tmp_path / "a.graphql").write_text(text)
    registry = TrustedDocuments.load(tmp_path)
    assert dict(registry) == {document_id(text): text}
