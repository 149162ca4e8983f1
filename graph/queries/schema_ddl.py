"""Per-backend schema statements (indexes, constraints) used by the migrations.

These are the only statements that are not meant for both engines: FalkorDB
and Neo4j 5 spell schema DDL differently. Label and property names come from
:mod:`graph.model`.
"""

from __future__ import annotations

from graph.model import NODE_TYPES
from graph.statements import Backend, Mode, Statement, statement

FALKOR_INDEXES: list[Statement] = []
NEO4J_SCHEMA: list[Statement] = []

for _node in NODE_TYPES:
    _label = _node.label
    _key = "number" if _label == "Migration" else "id"
    NEO4J_SCHEMA.append(
        statement(
            f"ddl.neo4j.unique.{_label}.{_key}",
            f"CREATE CONSTRAINT {_label.lower()}_{_key}_unique IF NOT EXISTS "
            f"FOR (n:{_label}) REQUIRE n.{_key} IS UNIQUE",
            Mode.WRITE,
            backends=frozenset({Backend.NEO4J}),
        )
    )
    for _prop in (_key, *_node.indexed):
        # FalkorDB needs the range index on the key before its unique constraint.
        FALKOR_INDEXES.append(
            statement(
                f"ddl.falkordb.index.{_label}.{_prop}",
                f"CREATE INDEX FOR (n:{_label}) ON (n.{_prop})",
                Mode.WRITE,
                backends=frozenset({Backend.FALKORDB}),
            )
        )
        if _prop != _key:
            NEO4J_SCHEMA.append(
                statement(
                    f"ddl.neo4j.index.{_label}.{_prop}",
                    f"CREATE INDEX {_label.lower()}_{_prop.lower()} IF NOT EXISTS "
                    f"FOR (n:{_label}) ON (n.{_prop})",
                    Mode.WRITE,
                    backends=frozenset({Backend.NEO4J}),
                )
            )
