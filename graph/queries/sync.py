"""The sync engine's statements: bookmarks, runs, rejects, source records, identity look-ups.

A node a connector writes is described by one ``SourceRecord`` per source
(its values as JSON, its key there, a hash, when last seen). The engine
compares hashes to count inserted / updated / unchanged records, and merges
the sources' values field by field by precedence (in Python) before it writes
the node itself: with its source record in one statement
(:data:`UPSERT_RECORDS`), or with the ordinary upserts of
:mod:`graph.queries.bulk` before the relationships and source records.
"""

from __future__ import annotations

from graph.model import LABELS, NODE_TYPES, PROVENANCE, REL_TYPES, rel_key
from graph.statements import Mode, Statement, statement

GET_STATE = statement(
    "sync.get_state",
    "MATCH (s:SyncState {id: $id}) RETURN s.cursor AS cursor, s.runId AS runId",
    params=("id",),
    sample={"id": "none"},
)

SAVE_STATE = statement(
    "sync.save_state",
    """
    MERGE (s:SyncState {id: $id})
    SET s.sourceName = $source, s.stream = $stream, s.cursor = $cursor,
        s.runId = $runId, s.savedAt = $at
    """,
    Mode.WRITE,
    params=("id", "source", "stream", "cursor", "runId", "at"),
    sample={
        "id": "syncstate-sample",
        "source": "test",
        "stream": "test",
        "cursor": None,
        "runId": "none",
        "at": 0,
    },
)

SAVE_RUN = statement(
    "sync.save_run",
    "MERGE (r:SyncRun {id: $id}) SET r += $props",
    Mode.WRITE,
    params=("id", "props"),
    sample={"id": "syncrun-sample", "props": {"source": "test"}},
)

ADD_REJECTS = statement(
    "sync.add_rejects",
    """
    UNWIND $rows AS row
    MERGE (j:SyncReject {id: row.id})
    SET j.runId = row.runId, j.sourceName = row.source, j.stream = row.stream,
        j.location = row.location, j.reason = row.reason, j.data = row.data, j.at = row.at
    """,
    Mode.WRITE,
    params=("rows",),
    sample={"rows": []},
)

REJECTS_OF_RUN = statement(
    "sync.rejects_of_run",
    """
    MATCH (j:SyncReject {runId: $runId})
    RETURN j.location AS location, j.reason AS reason
    ORDER BY j.id LIMIT $limit
    """,
    params=("runId", "limit"),
    sample={"runId": "none", "limit": 1},
)

#: A batch's records (rows: [source record id, hash]) against what the graph holds,
#: in one round trip. Every record
#: found is stamped as seen by this run (an unchanged record needs nothing more).
#: Back come the ids of the records not found, and for each record found changed
#: or already seen in this run (a key the source gives twice) its id, run, location
#: and node, as they were before the stamp. The rows are collected before the
#: update: FalkorDB 4.16 applies an update only to the rows passing a later filter.
CHECK_SOURCE_RECORDS = statement(
    "sync.check_source_records",
    """
    UNWIND $rows AS row
    OPTIONAL MATCH (s:SourceRecord {id: row[0]})
    WITH collect(s) AS seen,
         collect(CASE WHEN s IS NULL THEN row[0] END) AS new,
         collect(CASE WHEN s.hash <> row[1] OR s.runId = $runId
                 THEN [row[0], s.runId, s.location, s.entityId] END) AS changed
    FOREACH (x IN seen | SET x.runId = $runId, x.seenAt = $at)
    RETURN new, changed
    """,
    Mode.WRITE,
    params=("rows", "runId", "at"),
    sample={"rows": [["none", "none"]], "runId": "none", "at": 0},
)

#: What the other sources say of the given nodes, to merge the values by precedence.
OTHER_SOURCE_RECORDS = statement(
    "sync.other_source_records",
    """
    UNWIND $ids AS id
    MATCH (s:SourceRecord {entityId: id})
    WHERE s.sourceName <> $source
    RETURN id, s.sourceName AS source, s.sourceKey AS key, s.props AS props
    """,
    params=("ids", "source"),
    sample={"ids": ["none"], "source": "none"},
)

# Source record rows are lists, not maps: [node id, key, hash, values as JSON,
# location, ...]. FalkorDB reads a list item faster than a map entry, and the text
# sent is shorter (measured: an eighth less of the graph's time for these writes).
_SOURCE_RECORD = """
    MERGE (s:SourceRecord {id: $source + '|' + $label + '|' + row[1]})
    SET s.sourceName = $source, s.label = $label, s.entityId = row[0], s.sourceKey = row[1],
        s.hash = row[2], s.props = row[3], s.location = row[4], s.runId = $runId, s.seenAt = $at
"""
#: A record the check found new is created, not merged: MERGE looks the key up
#: and then sets each property apart. Measured on FalkorDB 4.16 (50k records with
#: their nodes), the graph took 55-60 µs a record with MERGE and 43-47 with CREATE.
#: Each key is checked first, and a batch that repeats an earlier batch's key waits
#: for its writes, so a record is created once. The unique constraint on ``id``
#: stops a second copy from two syncs of one stream at once (which the hub's
#: schedule never runs) or from a retried statement whose first try was committed:
#: that run fails, and the next finds the record.
_NEW_SOURCE_RECORD = """
    CREATE (s:SourceRecord {id: $source + '|' + $label + '|' + row[1], sourceName: $source,
        label: $label, entityId: row[0], sourceKey: row[1], hash: row[2], props: row[3],
        location: row[4], runId: $runId, seenAt: $at})
"""
_SOURCE_RECORD_PARAMS = ("rows", "source", "label", "runId", "at")
_SOURCE_RECORD_SAMPLE: dict[str, object] = {
    "rows": [],
    "source": "test",
    "label": "Village",
    "runId": "none",
    "at": 0,
}

#: One source's version of each record of a batch (rows: [id of the node it became,
#: key, hash, values as JSON, location]), written after the nodes and relationships
#: it describes: a sync killed in between finds the record changed and writes it again.
SAVE_SOURCE_RECORDS = statement(
    "sync.save_source_records",
    "UNWIND $rows AS row" + _SOURCE_RECORD,
    Mode.WRITE,
    params=_SOURCE_RECORD_PARAMS,
    sample=_SOURCE_RECORD_SAMPLE,
)

#: As :data:`SAVE_SOURCE_RECORDS`, for records the check found new.
CREATE_SOURCE_RECORDS = statement(
    "sync.create_source_records",
    "UNWIND $rows AS row" + _NEW_SOURCE_RECORD,
    Mode.WRITE,
    params=_SOURCE_RECORD_PARAMS,
    sample=_SOURCE_RECORD_SAMPLE,
)

#: Records that describe their node alone (no relationships, no other nodes): the
#: node and the source's version of it in one statement, so both or neither are
#: written. Rows as :data:`SAVE_SOURCE_RECORDS`' followed by the node's values, and
#: for an ordinary node the top source and its key (null: this record) and the
#: conflicting fields (null: none). Provenance is set here, not sent with every row.
#:
#: The node's values come as a list, in the order of :data:`UPSERT_FIELDS`, null
#: where the record gives none (which keeps the value the node has, as a map's
#: missing key would). A map would have its keys written in every row; rendering
#: them cost the event loop more than the rest of the row (FalkorDB's parameters
#: are text).
UPSERT_RECORDS: dict[str, Statement] = {}
#: As :data:`UPSERT_RECORDS`, for records the check found new.
UPSERT_NEW_RECORDS: dict[str, Statement] = {}
#: Each label's fields in the order :data:`UPSERT_RECORDS` takes their values: all
#: but the id and the provenance, which the statements set themselves.
UPSERT_FIELDS: dict[str, tuple[str, ...]] = {
    t.label: tuple(p for p in t.all_properties if p != "id" and p not in PROVENANCE)
    for t in NODE_TYPES
}

for _node in NODE_TYPES:
    # Labels and property names come from the model's allow-list; an event is only
    # ever created (see bulk), so a null there is simply no property.
    _fields = UPSERT_FIELDS[_node.label]
    _set = (
        "ON CREATE SET "
        + "".join(f"n.{f} = row[5][{i}], " for i, f in enumerate(_fields))
        + "n.source = $source, n.sourceKey = row[1], n.seenAt = $at"
        if _node.event
        else "SET "
        + "".join(f"n.{f} = coalesce(row[5][{i}], n.{f}), " for i, f in enumerate(_fields))
        + "n.source = coalesce(row[6], $source), n.sourceKey = coalesce(row[7], row[1]), "
        "n.seenAt = $at, n.conflicts = coalesce(row[8], [])"
    )
    _merge_node = f"UNWIND $rows AS row MERGE (n:{_node.label} {{id: row[0]}}) {_set}"
    for _into, _name, _record in (
        (UPSERT_RECORDS, "upsert_records", _SOURCE_RECORD),
        (UPSERT_NEW_RECORDS, "upsert_new_records", _NEW_SOURCE_RECORD),
    ):
        _into[_node.label] = statement(
            f"sync.{_name}.{_node.label}",
            _merge_node + _record,
            Mode.WRITE,
            params=_SOURCE_RECORD_PARAMS,
            sample=_SOURCE_RECORD_SAMPLE,
        )

#: Nodes a record names besides its own (a village, a guardian): their provenance is
#: the first source that named them, so it does not depend on the order of syncs.
SECONDARY_UPSERTS = {
    label: statement(
        f"sync.upsert_secondary.{label}",
        f"""
        UNWIND $rows AS row
        MERGE (n:{label} {{id: row.id}})
        ON CREATE SET n.source = row.source, n.sourceKey = row.sourceKey, n.seenAt = row.seenAt
        SET n += row.props
        """,
        Mode.WRITE,
        params=("rows",),
        sample={"rows": []},
    )
    for label in sorted(LABELS)
}

#: Every source's version of the given nodes, to merge them by precedence.
SOURCE_RECORDS_OF = statement(
    "sync.source_records_of",
    """
    UNWIND $ids AS id
    MATCH (s:SourceRecord {entityId: id})
    RETURN id, s.sourceName AS source, s.sourceKey AS key, s.props AS props
    """,
    params=("ids",),
    sample={"ids": ["none"]},
)

#: Existing people by resident ID number (identity resolution).
CHILDREN_BY_ID_NUMBER = statement(
    "sync.children_by_id_number",
    "UNWIND $values AS v MATCH (n:Child {idNumber: v}) RETURN v AS value, n.id AS id",
    params=("values",),
    sample={"values": ["none"]},
)

GUARDIANS_BY_ID_NUMBER = statement(
    "sync.guardians_by_id_number",
    "UNWIND $values AS v MATCH (n:Guardian {idNumber: v}) RETURN v AS value, n.id AS id",
    params=("values",),
    sample={"values": ["none"]},
)

#: Children who might be the same person as a record without a valid ID number.
CHILD_CANDIDATES = statement(
    "sync.child_candidates",
    """
    UNWIND $rows AS row
    MATCH (n:Child {birthDate: row.birthDate})
    WHERE row.villageCode IS NULL OR n.villageCode = row.villageCode
    RETURN row.key AS key, n.id AS id, n.name AS name, n.gender AS gender,
           n.birthDate AS birthDate, n.villageCode AS villageCode
    """,
    params=("rows",),
    sample={"rows": []},
)

ADD_REVIEWS = statement(
    "sync.add_reviews",
    """
    UNWIND $rows AS row
    MERGE (m:MatchReview {id: row.id})
    ON CREATE SET m += row.props
    """,
    Mode.WRITE,
    params=("rows",),
    sample={"rows": []},
)

#: The nodes records of a source became (by the source's own keys), to link to them.
SOURCE_ENTITIES = statement(
    "sync.source_entities",
    "UNWIND $sids AS sid MATCH (s:SourceRecord {id: sid}) RETURN sid, s.entityId AS entityId",
    params=("sids",),
    sample={"sids": ["none"]},
)

#: Relationships as records give them; provenance from the first source that gave one.
REL_UPSERTS = {
    rel_key(r.start, r.type, r.end): statement(
        f"sync.upsert_rel.{rel_key(r.start, r.type, r.end)}",
        f"""
        UNWIND $rows AS row
        MATCH (a:{r.start} {{id: row.start}})
        MATCH (b:{r.end} {{id: row.end}})
        MERGE (a)-[x:{r.type}]->(b)
        ON CREATE SET x.source = row.source, x.sourceKey = row.sourceKey, x.seenAt = row.seenAt
        SET x += row.props
        """,
        Mode.WRITE,
        params=("rows",),
        sample={"rows": []},
    )
    for r in REL_TYPES
}

#: Decisions people took on uncertain matches, for the records of a batch.
REVIEW_DECISIONS = statement(
    "sync.review_decisions",
    """
    UNWIND $keys AS k
    MATCH (m:MatchReview {sourceKey: k})
    WHERE m.sourceName = $source AND m.status IN ['merged', 'apart']
    RETURN k AS key, m.status AS status, m.candidateId AS candidateId
    """,
    params=("keys", "source"),
    sample={"keys": ["none"], "source": "none"},
)

REVIEW_BY_ID = statement(
    "sync.review_by_id",
    "MATCH (m:MatchReview {id: $id}) RETURN m {.*} AS review",
    params=("id",),
    sample={"id": "none"},
)

OPEN_REVIEWS = statement(
    "sync.open_reviews",
    """
    MATCH (m:MatchReview)
    WHERE m.status = $status
    RETURN m {.*} AS review ORDER BY m.createdAt, m.id LIMIT $limit
    """,
    params=("status", "limit"),
    sample={"status": "open", "limit": 1},
)

#: A decision, and its history (`history`: "<at> <who> <status>" entries, append-only).
DECIDE_REVIEW = statement(
    "sync.decide_review",
    """
    MATCH (m:MatchReview {id: $id})
    SET m.status = $status, m.decidedAt = $at, m.decidedBy = $by,
        m.history = coalesce(m.history, []) + [$entry]
    RETURN m.id AS id
    """,
    Mode.WRITE,
    params=("id", "status", "at", "by", "entry"),
    sample={"id": "none", "status": "open", "at": 0, "by": "test", "entry": "0 test open"},
)

#: Take one source's version of a node away (its values are merged again without it).
WITHDRAW_SOURCE_RECORD = statement(
    "sync.withdraw_source_record",
    """
    MATCH (s:SourceRecord {id: $sid})
    WITH s, s.props AS props, s.entityId AS entityId
    DELETE s
    RETURN props, entityId
    """,
    Mode.WRITE,
    params=("sid",),
    sample={"sid": "none"},
)

#: The relationships a source's record gave a child, and the child if nothing else
#: describes it (a person created from that record alone).
WITHDRAW_CHILD_LINKS = statement(
    "sync.withdraw_child_links",
    """
    MATCH (n:Child {id: $id})-[r]-()
    WHERE r.source = $source AND r.sourceKey = $key
    DELETE r
    """,
    Mode.WRITE,
    params=("id", "source", "key"),
    sample={"id": "none", "source": "none", "key": "none"},
)

DELETE_UNDESCRIBED_CHILD = statement(
    "sync.delete_undescribed_child",
    """
    MATCH (n:Child {id: $id})
    WHERE NOT (n)<-[:PAIRED_WITH]-() AND NOT (n)<-[:OF]-(:Visit)
    OPTIONAL MATCH (s:SourceRecord {entityId: $id})
    WITH n, count(s) AS described
    WHERE described = 0
    DETACH DELETE n
    """,
    Mode.WRITE,
    params=("id",),
    sample={"id": "none"},
)

#: Read a source from the start at its next sync (after a decision on one of its records).
RESET_BOOKMARKS = statement(
    "sync.reset_bookmarks",
    "MATCH (s:SyncState) WHERE s.sourceName = $source SET s.cursor = null",
    Mode.WRITE,
    params=("source",),
    sample={"source": "none"},
)
