"""Services recorded through the API (救助帮扶, 危机干预, 心理疏导, 转介…), counted in person-times.

A service is an event: written once with its FOR, DELIVERED_BY, UNDER and AT
edges in one statement, never changed afterwards (a correction is a new
version). Its ``villageCode`` is the child's and its ``month``/``quarter``
those of its delivery, so the statistics count it where and when it happened.
"""

from __future__ import annotations

from graph.statements import Mode, statement

#: What a recording needs to check first: the child, whether the recording
#: director is paired with the child, and which of the named nodes exist.
FACTS = statement(
    "services.facts",
    """
    OPTIONAL MATCH (c:Child {id: $childId})
    OPTIONAL MATCH (c)<-[p:PAIRED_WITH]-(:Director {id: $readerId})
    OPTIONAL MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (w:SocialWorker {id: $socialWorkerId})
    OPTIONAL MATCH (v:Volunteer {id: $volunteerId})
    OPTIONAL MATCH (pr:Project {id: $projectId})
    OPTIONAL MATCH (st:Station {id: $stationId})
    RETURN c.id AS child, c.villageCode AS villageCode, count(p) > 0 AS paired,
           d.id AS director, w.id AS socialWorker, v.id AS volunteer,
           pr.id AS project, st.id AS station
    """,
    params=(
        "childId",
        "readerId",
        "directorId",
        "socialWorkerId",
        "volunteerId",
        "projectId",
        "stationId",
    ),
    sample={
        "childId": "none",
        "readerId": None,
        "directorId": None,
        "socialWorkerId": None,
        "volunteerId": None,
        "projectId": None,
        "stationId": None,
    },
)

#: The service and its edges. Nothing is written unless the child, exactly the
#: deliverer named and any project or station named all exist.
RECORD = statement(
    "services.record",
    """
    MATCH (c:Child {id: $childId})
    OPTIONAL MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (w:SocialWorker {id: $socialWorkerId})
    OPTIONAL MATCH (v:Volunteer {id: $volunteerId})
    OPTIONAL MATCH (pr:Project {id: $projectId})
    OPTIONAL MATCH (st:Station {id: $stationId})
    WITH c, d, w, v, pr, st
    WHERE (d IS NOT NULL OR w IS NOT NULL OR v IS NOT NULL)
      AND ($projectId IS NULL OR pr IS NOT NULL) AND ($stationId IS NULL OR st IS NOT NULL)
    MERGE (s:Service {id: $id})
    ON CREATE SET s.kind = $kind, s.deliveredAt = $deliveredAt, s.personTimes = $personTimes,
        s.description = $description, s.villageCode = c.villageCode, s.month = $month,
        s.quarter = $quarter, s.recordId = $id, s.version = 1, s.recordedAt = $now,
        s.source = $source, s.sourceKey = $id, s.seenAt = $now
    MERGE (s)-[:FOR]->(c)
    FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (s)-[:DELIVERED_BY]->(x))
    FOREACH (x IN CASE WHEN w IS NULL THEN [] ELSE [w] END | MERGE (s)-[:DELIVERED_BY]->(x))
    FOREACH (x IN CASE WHEN v IS NULL THEN [] ELSE [v] END | MERGE (s)-[:DELIVERED_BY]->(x))
    FOREACH (x IN CASE WHEN pr IS NULL THEN [] ELSE [pr] END | MERGE (s)-[:UNDER]->(x))
    FOREACH (x IN CASE WHEN st IS NULL THEN [] ELSE [st] END | MERGE (s)-[:AT]->(x))
    RETURN s.id AS id, s.villageCode AS villageCode
    """,
    Mode.WRITE,
    params=(
        "id",
        "childId",
        "directorId",
        "socialWorkerId",
        "volunteerId",
        "projectId",
        "stationId",
        "kind",
        "deliveredAt",
        "personTimes",
        "description",
        "month",
        "quarter",
        "now",
        "source",
    ),
    sample={
        "id": "none",
        "childId": "none",  # matches no child: nothing is written
        "directorId": None,
        "socialWorkerId": None,
        "volunteerId": None,
        "projectId": None,
        "stationId": None,
        "kind": "x",
        "deliveredAt": 0,
        "personTimes": 1,
        "description": None,
        "month": "2026-01",
        "quarter": "2026Q1",
        "now": 0,
        "source": "test",
    },
)
