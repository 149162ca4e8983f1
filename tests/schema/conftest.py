"""Fixtures of the schema tests: the real hub app over a counting store, and query builders.

The counting store proves that a refused request costs zero graph round trips.
The query builders find their paths in the real schema (any chain of object
fields; any chain of paged fields), so the tests keep working as the domains
grow and rename.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)

from graph import CountingStore, GraphStore
from hub.app import create_app
from hub.settings import Settings
from schema import build_schema

GRAPHQL_RESPONSE = "application/graphql-response+json"
ClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def counting(store: GraphStore) -> CountingStore:
    return CountingStore(store)


@pytest.fixture
def hub_client(counting: CountingStore, tmp_path: Path) -> ClientFactory:
    """``async with hub_client(**settings) as client``: the hub app over ``counting``."""

    @asynccontextmanager
    async def open_client(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(Settings(data_dir=tmp_path, **settings), store=counting)
        transport = httpx.ASGITransport(app)
        # The lifespan opens the audit trail's writer (the graph is ``counting``).
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client,
        ):
            counting.reset()
            yield client

    return open_client


@pytest.fixture(scope="session")
def real_schema() -> GraphQLSchema:
    return build_schema()._schema


def _free_of_required_args(field: Any) -> bool:
    return not any(
        is_non_null_type(arg.type) and arg.default_value is Undefined for arg in field.args.values()
    )


def nested_query(schema: GraphQLSchema, depth: int) -> str:
    """A valid query of the real schema whose fields nest exactly ``depth`` levels."""
    memo: dict[tuple[str, int], str | None] = {}

    def chain(type_: GraphQLObjectType, remaining: int) -> str | None:
        key = (type_.name, remaining)
        if key in memo:
            return memo[key]
        memo[key] = None  # cycles: not (yet) a way down
        for name, field in type_.fields.items():
            inner = get_named_type(field.type)
            if not _free_of_required_args(field):
                continue
            if remaining == 1 and is_leaf_type(inner):
                memo[key] = name
                break
            if remaining > 1 and isinstance(inner, GraphQLObjectType):
                below = chain(inner, remaining - 1)
                if below is not None:
                    memo[key] = f"{name} {{ {below} }}"
                    break
        return memo[key]

    assert schema.query_type is not None
    found = chain(schema.query_type, depth)
    assert found is not None, f"the schema has no chain of {depth} fields"
    return f"{{ {found} }}"


def paged_query(schema: GraphQLSchema, levels: int, first: int) -> str:
    """A query of ``levels`` nested connections of the real schema, each with ``first``."""

    def chain(type_: GraphQLObjectType, remaining: int, seen: frozenset[str]) -> str | None:
        for name, field in type_.fields.items():
            connection = get_named_type(field.type)
            if "first" not in field.args or not _free_of_required_args(field):
                continue
            if not isinstance(connection, GraphQLObjectType) or "nodes" not in connection.fields:
                continue
            node = get_named_type(connection.fields["nodes"].type)
            if not isinstance(node, GraphQLObjectType) or name in seen:
                continue
            inner = "id" if remaining == 1 else chain(node, remaining - 1, seen | {name})
            if inner is not None:
                return f"{name}(first: {first}) {{ nodes {{ {inner} }} }}"
        return None

    assert schema.query_type is not None
    found = chain(schema.query_type, levels, frozenset())
    assert found is not None, f"the schema has no chain of {levels} connections"
    return f"{{ {found} }}"


def paged_root_field(schema: GraphQLSchema) -> str:
    """The name of a root field taking ``first``."""
    assert schema.query_type is not None
    for name, field in schema.query_type.fields.items():
        if "first" in field.args and _free_of_required_args(field):
            return name
    raise AssertionError("no root field takes `first`")
