"""Recording a director's visit with its evidence, and reviewing the suspicious ones."""

from __future__ import annotations

from graph.statements import Mode, statement

#: The child (home, village) and whether the director is paired with them.
FACTS = statement(
    "visits.facts",
    """
    MATCH (d:Director {id: $directorId}), (c:Child {id: $childId})
    OPTIONAL MATCH (d)-[p:PAIRED_WITH]->(c)
    RETURN c.villageCode AS villageCode, c.homeLat AS homeLat, c.homeLng AS homeLng,
           p IS NOT NULL AS paired, d.status AS directorStatus
    """,
    params=("directorId", "childId"),
    sample={"directorId": "none", "childId": "none"},
)

#: The director's visits just before and just after, for the travel check. They
#: start from the director (``WITH d``): FalkorDB would otherwise scan every node to
#: apply the time condition (measured: 224 ms against 3 ms on the city graph).
PREVIOUS = statement(
    "visits.previous",
    """
    MATCH (d:Director {id: $directorId})
    WITH d
    MATCH (d)<-[:BY]-(v)
    WHERE v:Visit AND v.startedAt <= $startedAt AND v.supersededAt IS NULL AND v.lat IS NOT NULL
      AND v.id <> $id
    RETURN v.id AS id, v.startedAt AS startedAt, v.endedAt AS endedAt, v.lat AS lat,
           v.lng AS lng
    ORDER BY v.startedAt DESC
    LIMIT 1
    """,
    params=("directorId", "startedAt", "id"),
    sample={"directorId": "none", "startedAt": 0, "id": "none"},
)

FOLLOWING = statement(
    "visits.following",
    """
    MATCH (d:Director {id: $directorId})
    WITH d
    MATCH (d)<-[:BY]-(v)
    WHERE v:Visit AND v.startedAt > $startedAt AND v.supersededAt IS NULL AND v.lat IS NOT NULL
      AND v.id <> $id
    RETURN v.id AS id, v.startedAt AS startedAt, v.endedAt AS endedAt, v.lat AS lat,
           v.lng AS lng
    ORDER BY v.startedAt ASC
    LIMIT 1
    """,
    params=("directorId", "startedAt", "id"),
    sample={"directorId": "none", "startedAt": 0, "id": "none"},
)

#: Photos sharing a hash band with the new ones (each band indexed), and the
#: visits that used them: candidates for a reused photo, checked in Python.
_BAND = """
    MATCH (p:Photo {{band{i}: $band{i}}})<-[:HAS_PHOTO]-(v:Visit)
    RETURN p.sha256 AS sha256, p.phash AS phash, v.id AS visitId
"""
PHOTO_CANDIDATES = statement(
    "visits.photo_candidates",
    "UNION".join(_BAND.format(i=i) for i in range(4)),
    params=("band0", "band1", "band2", "band3"),
    sample={"band0": "none", "band1": "none", "band2": "none", "band3": "none"},
)

#: The visit, its edges and its photos in one statement. ``MERGE`` on the id
#: makes a phone's retry (same client reference) a no-op; ``created`` tells (a
#: retry comes later, so the stored ``recordedAt`` is not this request's ``$at``).
RECORD = statement(
    "visits.record",
    """
    MATCH (c:Child {id: $childId}), (d:Director {id: $directorId})
    MERGE (v:Visit {id: $id})
    ON CREATE SET v += $props, v.recordedAt = $at
    WITH v, c, d, v.recordedAt = $at AS created
    MERGE (v)-[:OF]->(c)
    MERGE (v)-[:BY]->(d)
    FOREACH (ph IN $photos |
      MERGE (p:Photo {id: ph.id})
      ON CREATE SET p += ph.props
      MERGE (v)-[:HAS_PHOTO]->(p))
    RETURN v.id AS id, created
    """,
    Mode.WRITE,
    params=("childId", "directorId", "id", "props", "photos", "at"),
    sample={
        "childId": "none",
        "directorId": "none",
        "id": "none",
        "props": {},
        "photos": [],
        "at": 0,
    },
)

#: A supervisor's decision on a visit: an event of its own, the visit unchanged.
REVIEW = statement(
    "visits.review",
    """
    MATCH (v:Visit {id: $visitId})
    CREATE (r:VisitReview {id: $id, recordId: $id, version: 1, recordedAt: $at,
                           source: 'hub', sourceKey: $id, seenAt: $at, reviewedAt: $at,
                           decision: $decision, note: $note, villageCode: v.villageCode})
    CREATE (r)-[:OF]->(v)
    WITH r
    OPTIONAL MATCH (s:Supervisor {id: $supervisorId})
    FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | CREATE (r)-[:BY]->(x))
    RETURN r.id AS id
    """,
    Mode.WRITE,
    params=("visitId", "id", "at", "decision", "note", "supervisorId"),
    sample={
        "visitId": "none",
        "id": "none",
        "at": 0,
        "decision": "accepted",
        "note": "",
        "supervisorId": "none",
    },
)

#: Who made a visit (a director corrects only their own).
AUTHOR = statement(
    "visits.author",
    "MATCH (:Visit {id: $id})-[:BY]->(d:Director) RETURN d.id AS directorId",
    params=("id",),
    sample={"id": "none"},
)

#: A correction of a visit in one statement: the new version with the old one's
#: child, director and photos, superseding it. Run again, it finds no current
#: version with that id and changes nothing.
CORRECT = statement(
    "visits.correct",
    """
    MATCH (old:Visit {id: $oldId})-[:OF]->(c:Child)
    WHERE old.supersededAt IS NULL
    MATCH (old)-[:BY]->(d:Director)
    MERGE (new:Visit {id: $newId})
    ON CREATE SET new += $props, new.recordId = coalesce(old.recordId, old.id),
                  new.version = coalesce(old.version, 1) + 1, new.recordedAt = $at
    MERGE (new)-[:SUPERSEDES]->(old)
    MERGE (new)-[:OF]->(c)
    MERGE (new)-[:BY]->(d)
    SET old.supersededAt = $at
    WITH old, new
    OPTIONAL MATCH (old)-[:HAS_PHOTO]->(p:Photo)
    FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | MERGE (new)-[:HAS_PHOTO]->(x))
    RETURN DISTINCT new.id AS id
    """,
    Mode.WRITE,
    params=("oldId", "newId", "props", "at"),
    sample={"oldId": "none", "newId": "none-2", "props": {}, "at": 0},
)
