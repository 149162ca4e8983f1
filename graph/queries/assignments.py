"""Who looks after whom: directors' areas, pairings with children, handovers.

The current state lives in relationships (``ASSIGNED_TO``, ``PAIRED_WITH``),
which every access rule reads; each change also writes an immutable
``Assignment`` event, the history a child's file shows. Each statement changes
the state and writes its events together, so the log never disagrees with the
state; a handover of many children is one statement, hence all or nothing.
"""

from __future__ import annotations

from graph.statements import Mode, statement

#: What the checks of a change need: the director, the child, whether they are paired.
FACTS = statement(
    "assignments.facts",
    """
    MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (c:Child {id: $childId})
    OPTIONAL MATCH (d)-[p:PAIRED_WITH]->(c)
    RETURN d.villageCode AS directorVillage, d.status AS directorStatus,
           c.id AS childId, c.villageCode AS childVillage, p IS NOT NULL AS paired
    """,
    params=("directorId", "childId"),
    sample={"directorId": "none", "childId": "none"},
)

#: Directors by id with their village and status (receivers of a handover).
DIRECTORS = statement(
    "assignments.directors",
    """
    MATCH (d:Director) WHERE d.id IN $ids
    RETURN d.id AS id, d.villageCode AS villageCode, d.status AS status
    """,
    params=("ids",),
    sample={"ids": []},
)

#: The children paired with a director, with their villages.
PAIRED = statement(
    "assignments.paired",
    """
    MATCH (:Director {id: $directorId})-[:PAIRED_WITH]->(c:Child)
    RETURN c.id AS id, c.villageCode AS villageCode
    ORDER BY c.id
    """,
    params=("directorId",),
    sample={"directorId": "none"},
)

_EVENT = """
    id: $eventId, recordId: $eventId, version: 1, recordedAt: $at, source: 'hub',
    sourceKey: $eventId, seenAt: $at, at: $at, actor: $actor, reason: $reason
"""

ASSIGN_VILLAGE = statement(
    "assignments.assign_village",
    f"""
    MATCH (d:Director {{id: $directorId}}), (v:Village {{code: $villageCode}})
    MERGE (d)-[r:ASSIGNED_TO]->(v)
    ON CREATE SET r.sinceDate = $sinceDate, r.source = 'hub', r.seenAt = $at
    CREATE (e:Assignment {{{_EVENT}, action: 'assign', directorId: d.id,
                           villageCode: v.code}})-[:TO]->(d)
    SET d.villageCode = coalesce(d.villageCode, v.code)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "villageCode", "sinceDate", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "villageCode": "none",
        "sinceDate": "2026-01-01",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

UNASSIGN_VILLAGE = statement(
    "assignments.unassign_village",
    f"""
    MATCH (d:Director {{id: $directorId}})-[r:ASSIGNED_TO]->(v:Village {{code: $villageCode}})
    DELETE r
    CREATE (e:Assignment {{{_EVENT}, action: 'unassign', directorId: d.id,
                           villageCode: v.code}})-[:TO]->(d)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "villageCode", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "villageCode": "none",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

ASSIGN_GRID = statement(
    "assignments.assign_grid",
    f"""
    MATCH (d:Director {{id: $directorId}}), (g:Grid {{id: $gridId}})
    MERGE (d)-[r:ASSIGNED_TO]->(g)
    ON CREATE SET r.sinceDate = $sinceDate, r.source = 'hub', r.seenAt = $at
    CREATE (e:Assignment {{{_EVENT}, action: 'assign', directorId: d.id, gridId: g.id,
                           villageCode: g.villageCode}})-[:TO]->(d)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "gridId", "sinceDate", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "gridId": "none",
        "sinceDate": "2026-01-01",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

UNASSIGN_GRID = statement(
    "assignments.unassign_grid",
    f"""
    MATCH (d:Director {{id: $directorId}})-[r:ASSIGNED_TO]->(g:Grid {{id: $gridId}})
    DELETE r
    CREATE (e:Assignment {{{_EVENT}, action: 'unassign', directorId: d.id, gridId: g.id,
                           villageCode: g.villageCode}})-[:TO]->(d)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "gridId", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "gridId": "none",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

PAIR = statement(
    "assignments.pair",
    f"""
    MATCH (d:Director {{id: $directorId}}), (c:Child {{id: $childId}})
    MERGE (d)-[r:PAIRED_WITH]->(c)
    ON CREATE SET r.sinceDate = $sinceDate, r.source = 'hub', r.seenAt = $at
    CREATE (e:Assignment {{{_EVENT}, action: 'pair', directorId: d.id, childId: c.id,
                           villageCode: c.villageCode}})
    CREATE (e)-[:TO]->(d)
    CREATE (e)-[:FOR]->(c)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "childId", "sinceDate", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "childId": "none",
        "sinceDate": "2026-01-01",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

UNPAIR = statement(
    "assignments.unpair",
    f"""
    MATCH (d:Director {{id: $directorId}})-[r:PAIRED_WITH]->(c:Child {{id: $childId}})
    DELETE r
    CREATE (e:Assignment {{{_EVENT}, action: 'unpair', directorId: d.id, childId: c.id,
                           villageCode: c.villageCode}})
    CREATE (e)-[:TO]->(d)
    CREATE (e)-[:FOR]->(c)
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("directorId", "childId", "eventId", "at", "actor", "reason"),
    sample={
        "directorId": "none",
        "childId": "none",
        "eventId": "none",
        "at": 0,
        "actor": "test",
        "reason": "sample",
    },
)

#: A departing director's children to others, all in one statement: each move
#: ends the old pairing and starts the new one, with two events that share the
#: handover's ``operationId``.
HAND_OVER = statement(
    "assignments.hand_over",
    """
    UNWIND $moves AS m
    MATCH (f:Director {id: $fromId})-[r:PAIRED_WITH]->(c:Child {id: m.childId})
    MATCH (t:Director {id: m.toId})
    DELETE r
    MERGE (t)-[p:PAIRED_WITH]->(c)
    ON CREATE SET p.sinceDate = $sinceDate, p.source = 'hub', p.seenAt = $at
    CREATE (off:Assignment {id: m.offId, recordId: m.offId, version: 1, recordedAt: $at,
                            source: 'hub', sourceKey: m.offId, seenAt: $at, at: $at,
                            actor: $actor, reason: $reason, action: 'handover-from',
                            directorId: f.id, childId: c.id, villageCode: c.villageCode,
                            operationId: $operationId})
    CREATE (off)-[:TO]->(f)
    CREATE (off)-[:FOR]->(c)
    CREATE (on:Assignment {id: m.onId, recordId: m.onId, version: 1, recordedAt: $at,
                           source: 'hub', sourceKey: m.onId, seenAt: $at, at: $at,
                           actor: $actor, reason: $reason, action: 'handover-to',
                           directorId: t.id, childId: c.id, villageCode: c.villageCode,
                           operationId: $operationId})
    CREATE (on)-[:TO]->(t)
    CREATE (on)-[:FOR]->(c)
    RETURN c.id AS childId, t.id AS toId
    """,
    Mode.WRITE,
    params=("fromId", "moves", "sinceDate", "at", "actor", "reason", "operationId"),
    sample={
        "fromId": "none",
        "moves": [{"childId": "none", "toId": "none", "offId": "none-1", "onId": "none-2"}],
        "sinceDate": "2026-01-01",
        "at": 0,
        "actor": "test",
        "reason": "sample",
        "operationId": "none",
    },
)

#: A departing director leaves their areas and is marked as departed.
DEPART = statement(
    "assignments.depart",
    """
    MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (d)-[r:ASSIGNED_TO]->()
    DELETE r
    WITH DISTINCT d
    SET d.status = 'departed'
    RETURN d.id AS id
    """,
    Mode.WRITE,
    params=("directorId",),
    sample={"directorId": "none"},
)
