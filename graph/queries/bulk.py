"""Batched upserts of nodes and relationships, one statement per allowed label or triple.

Rows are ``{"id": …, "props": {…}}`` for nodes and
``{"start": …, "end": …, "props": {…}}`` for relationships. Node upserts of
ordinary types merge on ``id`` and overwrite the given properties; upserts of
event types set properties only when the node is created, so a recorded event
is never changed (a correction is a new version, see :mod:`graph.model`). All
statements are idempotent, which the Neo4j driver's retries require.
"""

from __future__ import annotations

from graph.model import NODE_TYPES, REL_TYPES, rel_key
from graph.statements import Mode, Statement, statement

NODE_UPSERTS: dict[str, Statement] = {}
REL_UPSERTS: dict[str, Statement] = {}

for _node in NODE_TYPES:
    # Labels come from the model's allow-list, never from input.
    _set = "ON CREATE SET n += row.props" if _node.event else "SET n += row.props"
    NODE_UPSERTS[_node.label] = statement(
        f"bulk.upsert_node.{_node.label}",
        f"UNWIND $rows AS row MERGE (n:{_node.label} {{id: row.id}}) {_set}",
        Mode.WRITE,
        params=("rows",),
        sample={"rows": [{"id": f"sample-{_node.label}", "props": {"source": "test"}}]},
    )

for _rel in REL_TYPES:
    _key = rel_key(_rel.start, _rel.type, _rel.end)
    REL_UPSERTS[_key] = statement(
        f"bulk.upsert_rel.{_key}",
        f"""
        UNWIND $rows AS row
        MATCH (a:{_rel.start} {{id: row.start}})
        MATCH (b:{_rel.end} {{id: row.end}})
        MERGE (a)-[r:{_rel.type}]->(b)
        SET r += row.props
        """,
        Mode.WRITE,
        params=("rows",),
        sample={"rows": [{"start": "none", "end": "none", "props": {}}]},
    )


def node_upsert(label: str) -> Statement:
    """The upsert statement for ``label``; KeyError for a label outside the model."""
    return NODE_UPSERTS[label]


def rel_upsert(start: str, type_: str, end: str) -> Statement:
    """The upsert statement for a relationship triple of the model."""
    return REL_UPSERTS[rel_key(start, type_, end)]
