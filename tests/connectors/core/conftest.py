"""Fixtures of the engine tests: an empty graph (connectors write many labels and sources)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from graph import GraphStore
from graph.queries import meta


@pytest_asyncio.fixture
async def empty(store: GraphStore) -> AsyncIterator[GraphStore]:
    """The shared store, emptied before and after the test."""
    await store.write(meta.DELETE_ALL_DATA)
    yield store
    await store.write(meta.DELETE_ALL_DATA)
