"""Numbered, idempotent schema migrations, per backend.

Each migration is recorded as a ``Migration {number}`` node once applied; a
migration is skipped when its record exists, and every step is itself
idempotent, so a run interrupted half-way is simply run again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graph.errors import MigrationError, StatementError
from graph.falkordb_store import FalkorStore
from graph.model import NODE_TYPES
from graph.queries import meta, schema_ddl
from graph.statements import Backend
from graph.store import GraphStore, unwrap


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[GraphStore], Awaitable[None]]


async def _falkor_keys_and_indexes(store: GraphStore) -> None:
    falkor = _falkor(store)
    for stmt in schema_ddl.FALKOR_INDEXES:
        try:
            await falkor.write(stmt)
        except StatementError as exc:
            if "already indexed" not in exc.message.lower():
                raise
    existing = {(c.label, c.properties) for c in await _falkor_constraints(falkor)}
    for node in NODE_TYPES:
        key = "number" if node.label == "Migration" else "id"
        if (node.label, (key,)) in existing:
            continue
        await falkor.command(
            "GRAPH.CONSTRAINT",
            "CREATE",
            falkor.graph_name,
            "UNIQUE",
            "NODE",
            node.label,
            "PROPERTIES",
            1,
            key,
        )
    # Constraints are built asynchronously; wait until all are enforced.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        statuses = [c.status for c in await _falkor_constraints(falkor)]
        if any(s == "FAILED" for s in statuses):
            raise MigrationError("a unique constraint failed to build: duplicate keys exist")
        if all(s == "OPERATIONAL" for s in statuses):
            return
        await asyncio.sleep(0.05)
    raise MigrationError("unique constraints were not operational after 120 s")


@dataclass(frozen=True)
class _Constraint:
    label: str
    properties: tuple[str, ...]
    status: str


async def _falkor_constraints(falkor: FalkorStore) -> list[_Constraint]:
    rows = await falkor.read(meta.LIST_CONSTRAINTS)
    return [
        _Constraint(str(r["label"]), tuple(str(p) for p in r["properties"]), str(r["status"]))
        for r in rows
        if r["type"] == "UNIQUE" and r["entitytype"] == "NODE"
    ]


async def _neo4j_keys_and_indexes(store: GraphStore) -> None:
    for stmt in schema_ddl.NEO4J_SCHEMA:
        await store.write(stmt)


def _falkor(store: GraphStore) -> FalkorStore:
    inner = unwrap(store)
    if not isinstance(inner, FalkorStore):  # pragma: no cover - guarded by MIGRATIONS' keys
        raise MigrationError("a FalkorDB migration was given another backend")
    return inner


MIGRATIONS: dict[Backend, tuple[Migration, ...]] = {
    # Migration 2 re-runs the (idempotent) key and index step for the labels the
    # access issue added: tokens, grants and the audit trail.
    Backend.FALKORDB: (
        Migration(1, "unique keys and indexes", _falkor_keys_and_indexes),
        Migration(2, "keys and indexes of access and audit", _falkor_keys_and_indexes),
        Migration(3, "keys and indexes of the connectors", _falkor_keys_and_indexes),
        Migration(4, "keys and indexes of frontline care", _falkor_keys_and_indexes),
        Migration(5, "keys and indexes of program management", _falkor_keys_and_indexes),
    ),
    Backend.NEO4J: (
        Migration(1, "unique keys and indexes", _neo4j_keys_and_indexes),
        Migration(2, "keys and indexes of access and audit", _neo4j_keys_and_indexes),
        Migration(3, "keys and indexes of the connectors", _neo4j_keys_and_indexes),
        Migration(4, "keys and indexes of frontline care", _neo4j_keys_and_indexes),
        Migration(5, "keys and indexes of program management", _neo4j_keys_and_indexes),
    ),
}


async def migrate(store: GraphStore) -> list[str]:
    """Apply the backend's pending migrations in order; return the names applied."""
    applied_rows = await store.read(meta.APPLIED_MIGRATIONS)
    applied = {int(r["number"]) for r in applied_rows}
    done: list[str] = []
    for migration in MIGRATIONS[store.backend]:
        if migration.number in applied:
            continue
        try:
            await migration.apply(store)
        except StatementError as exc:
            raise MigrationError(f"migration {migration.number} failed: {exc}") from exc
        await store.write(
            meta.RECORD_MIGRATION,
            {
                "number": migration.number,
                "name": migration.name,
                "appliedAt": int(time.time() * 1000),
            },
        )
        done.append(f"{migration.number:03d} {migration.name}")
    return done
