"""The hub's Cypher, by concern. Importing this package registers every statement."""

from __future__ import annotations

from graph.queries import (
    accounts,
    audit,
    bench,
    bulk,
    catalog,
    clients,
    coverage,
    events,
    grants,
    meta,
    overview,
    schema_ddl,
    sync,
    users,
)

__all__ = [
    "accounts",
    "audit",
    "bench",
    "bulk",
    "catalog",
    "clients",
    "coverage",
    "events",
    "grants",
    "meta",
    "overview",
    "schema_ddl",
    "sync",
    "users",
]
