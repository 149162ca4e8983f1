"""The sync engine's statements: bookmarks, runs, rejects, source records, identity look-ups.

A node a connector writes is described by one ``SourceRecord`` per source
(its values as JSON, its key there, a hash, when last seen). The engine
compares hashes to count inserted / updated / unchanged records, and merges
the sources' values field by field by precedence (in Python) before it writes
the node itself with the ordinary upserts of :mod:`graph.queries.bulk`.
"""

from __future__ import annotations

from graph.model import LABELS, REL_TYPES, rel_key
from graph.statements import Mode, statement

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

#: What the graph already holds of a batch's records (read before anything is written).
SOURCE_RECORDS_STATE = statement(
    "sync.source_records_state",
    """
    UNWIND $sids AS sid
    MATCH (s:SourceRecord {id: sid})
    RETURN sid, s.hash AS hash, s.runId AS runId, s.location AS location,
           s.entityId AS entityId
    """,
    params=("sids",),
    sample={"sids": ["none"]},
)

#: One source's version of each record of a batch, written after the nodes it
#: describes: a sync killed in between finds the record changed and writes again.
UPSERT_SOURCE_RECORDS = statement(
    "sync.upsert_source_records",
    """
    UNWIND $rows AS row
    MERGE (s:SourceRecord {id: row.sid})
    SET s.sourceName = row.source, s.label = row.label, s.entityId = row.entityId,
        s.sourceKey = row.key, s.hash = row.hash, s.props = row.json,
        s.location = row.location, s.runId = $runId, s.seenAt = row.seenAt
    """,
    Mode.WRITE,
    params=("rows", "runId"),
    sample={"rows": [], "runId": "none"},
)

#: Seen again, unchanged: only when and in which run.
TOUCH_SOURCE_RECORDS = statement(
    "sync.touch_source_records",
    """
    UNWIND $sids AS sid
    MATCH (s:SourceRecord {id: sid})
    SET s.runId = $runId, s.seenAt = $at
    """,
    Mode.WRITE,
    params=("sids", "runId", "at"),
    sample={"sids": [], "runId": "none", "at": 0},
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
