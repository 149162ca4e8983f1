"""Assembling the one schema from its domains."""

from __future__ import annotations

import strawberry

from schema.overview.queries import OverviewQuery


@strawberry.type
class Query(OverviewQuery):
    """Root of all queries."""


def build_schema() -> strawberry.Schema:
    """The hub's GraphQL schema."""
    return strawberry.Schema(query=Query)
