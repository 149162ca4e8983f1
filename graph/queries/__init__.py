"""The hub's Cypher, by concern. Importing this package registers every statement."""

from __future__ import annotations

from graph.queries import (
    accounts,
    bench,
    bulk,
    catalog,
    coverage,
    events,
    meta,
    overview,
    schema_ddl,
)

__all__ = [
    "accounts",
    "bench",
    "bulk",
    "catalog",
    "coverage",
    "events",
    "meta",
    "overview",
    "schema_ddl",
]
