"""Statements about the graph itself: liveness, emptiness, facts, migrations."""

from __future__ import annotations

from graph.statements import Backend, Mode, statement

PING = statement("meta.ping", "RETURN 1 AS ok")

#: A value as the server reads it back (checks how parameters are sent).
ECHO = statement(
    "meta.echo", "RETURN $value AS value", params=("value",), sample={"value": [1, "一"]}
)

NODE_COUNT = statement("meta.node_count", "MATCH (n) RETURN count(n) AS nodes")

GET_META = statement(
    "meta.get",
    "MATCH (m:Meta {id: $id}) RETURN m.value AS value",
    params=("id",),
    sample={"id": "demo"},
)

SET_META = statement(
    "meta.set",
    "MERGE (m:Meta {id: $id}) SET m.value = $value",
    Mode.WRITE,
    params=("id", "value"),
    sample={"id": "sample", "value": "x"},
)

APPLIED_MIGRATIONS = statement(
    "meta.applied_migrations",
    "MATCH (m:Migration) RETURN m.number AS number ORDER BY number",
)

RECORD_MIGRATION = statement(
    "meta.record_migration",
    "MERGE (m:Migration {number: $number}) SET m.name = $name, m.appliedAt = $appliedAt",
    Mode.WRITE,
    params=("number", "name", "appliedAt"),
    sample={"number": -1, "name": "sample", "appliedAt": 0},
)

LIST_CONSTRAINTS = statement(
    "meta.falkordb_constraints",
    """
    CALL db.constraints() YIELD type, label, properties, entitytype, status
    RETURN type, label, properties, entitytype, status
    """,
    backends=frozenset({Backend.FALKORDB}),
)

# FalkorDB creates a graph on its first write query and refuses read-only
# queries on a graph that does not exist yet; a trivial write creates it.
ENSURE_GRAPH = statement("meta.ensure_graph", "RETURN 1 AS ok", Mode.WRITE)

DELETE_BY_SOURCE = statement(
    "meta.delete_by_source",
    "MATCH (n) WHERE n.source = $source DETACH DELETE n",
    Mode.WRITE,
    params=("source",),
    sample={"source": "nothing"},
)

#: Everything but the applied migrations: for tests that need an empty graph.
DELETE_ALL_DATA = statement(
    "meta.delete_all_data",
    "MATCH (n) WHERE NOT n:Migration DETACH DELETE n",
    Mode.WRITE,
)

#: Every node with its labels and properties: to compare two graphs in tests.
DUMP_NODES = statement(
    "meta.dump_nodes",
    "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id",
)

#: Every relationship by its ends' ids.
DUMP_RELS = statement(
    "meta.dump_rels",
    """
    MATCH (a)-[r]->(b)
    RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
    ORDER BY start, type, end
    """,
)
