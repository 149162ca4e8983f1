"""Active screening of suspected children in distress (疑似困境儿童排查).

The engine (``schema.care.screening``) reads each child's facts here, derives
signals and matches rules in Python, and writes its flags back in batches:
one statement per batch (``UNWIND $rows``), never one per child. Flags are
``Screening`` events; a decision on one is a correction (a new version, see
:mod:`graph.queries.events`), whose relationships :data:`CARRY_LINKS` copies.
"""

from __future__ import annotations

from graph.statements import Mode, statement

#: Children (a keyset page by id, optionally only ``$ids``) with the facts the
#: signals come from: the child's own fields and its guardians' relation,
#: whereabouts and source as aligned lists (a guardian's null fields are '').
FACTS = statement(
    "screening.facts",
    """
    MATCH (c:Child)
    WHERE ($ids IS NULL OR c.id IN $ids) AND c.id > $after
    WITH c ORDER BY c.id LIMIT $limit
    OPTIONAL MATCH (g:Guardian)-[r:GUARDIAN_OF]->(c)
    WITH c,
         collect(CASE WHEN g IS NULL THEN NULL
                 ELSE coalesce(r.relation, g.relation, '') END) AS relations,
         collect(CASE WHEN g IS NULL THEN NULL ELSE coalesce(g.whereabouts, '') END) AS whereabouts,
         collect(CASE WHEN g IS NULL THEN NULL ELSE coalesce(g.source, '') END) AS guardianSources
    RETURN c.id AS id, c.categories AS categories, c.primaryCategory AS primaryCategory,
           c.schoolStatus AS schoolStatus, c.healthNotes AS healthNotes,
           c.disability AS disability, c.foundBy AS foundBy, c.status AS status,
           c.villageCode AS villageCode, c.source AS source,
           relations, whereabouts, guardianSources
    ORDER BY id
    """,
    params=("ids", "after", "limit"),
    sample={"ids": ["none"], "after": "", "limit": 1},
)

#: The current version of every screening of the given children.
CURRENT_OF = statement(
    "screening.current_of",
    """
    UNWIND $ids AS key
    MATCH (s:Screening)-[:OF]->(c:Child {id: key})
    WHERE s.supersededAt IS NULL
    RETURN key AS childId, s.id AS id, s.outcome AS outcome, s.ruleVersion AS ruleVersion,
           s.signals AS signals
    """,
    params=("ids",),
    sample={"ids": ["none"]},
)

#: Each source's version of the given children (values as JSON): which system gave a
#: field its current value, for the explanation of a flag.
SOURCE_VERSIONS = statement(
    "screening.source_versions",
    """
    UNWIND $ids AS key
    MATCH (r:SourceRecord {entityId: key})
    WHERE r.label = $label
    RETURN key AS id, r.sourceName AS source, r.props AS props
    """,
    params=("ids", "label"),
    sample={"ids": ["none"], "label": "Child"},
)

#: Who is responsible for each child: the directors paired with it, else those
#: assigned to its village (directors whose status is one of ``$gone`` excluded).
RESPONSIBLE = statement(
    "screening.responsible",
    """
    UNWIND $ids AS key
    MATCH (c:Child {id: key})
    OPTIONAL MATCH (p:Director)-[:PAIRED_WITH]->(c)
    WHERE p.status IS NULL OR NOT p.status IN $gone
    WITH c, collect(p.id) AS paired
    OPTIONAL MATCH (v:Director)-[:ASSIGNED_TO]->(:Village {code: c.villageCode})
    WHERE v.status IS NULL OR NOT v.status IN $gone
    RETURN c.id AS childId, paired, collect(v.id) AS local
    """,
    params=("ids", "gone"),
    sample={"ids": ["none"], "gone": ["离任"]},
)

#: New flags: the event (set once) and what it is of.
OPEN = statement(
    "screening.open",
    """
    UNWIND $rows AS row
    MATCH (c:Child {id: row.childId})
    MERGE (s:Screening {id: row.id})
    ON CREATE SET s += row.props
    MERGE (s)-[:OF]->(c)
    """,
    Mode.WRITE,
    params=("rows",),
    sample={"rows": [{"id": "none", "childId": "none", "props": {"source": "test"}}]},
)

#: Flags to the director who must verify them.
ASSIGN = statement(
    "screening.assign",
    """
    UNWIND $rows AS row
    MATCH (s:Screening {id: row.id})
    MATCH (d:Director {id: row.directorId})
    MERGE (s)-[:ASSIGNED_TO]->(d)
    """,
    Mode.WRITE,
    params=("rows",),
    sample={"rows": [{"id": "none", "directorId": "none"}]},
)

#: A child without any category yet becomes suspected, with the change logged.
#: The condition is checked in the statement, so a category given meanwhile wins.
MARK_SUSPECTED = statement(
    "screening.mark_suspected",
    """
    UNWIND $rows AS row
    MATCH (c:Child {id: row.childId})
    WHERE size(coalesce(c.categories, [])) = 0
    SET c.categories = row.categories, c.primaryCategory = row.primaryCategory
    MERGE (e:CategoryChange {id: row.id})
    ON CREATE SET e += row.props
    MERGE (e)-[:OF]->(c)
    RETURN c.id AS childId
    """,
    Mode.WRITE,
    params=("rows",),
    sample={"rows": [{"id": "none", "childId": "none", "categories": [], "props": {}}]},
)

#: A screening to decide on: its fields, its child's categories, the directors it
#: is assigned to and how many other open flags the child has.
FOR_DECISION = statement(
    "screening.for_decision",
    """
    MATCH (s:Screening {id: $id})
    OPTIONAL MATCH (s)-[:OF]->(c:Child)
    OPTIONAL MATCH (s)-[:ASSIGNED_TO]->(d:Director)
    WITH s, c, collect(d.id) AS directors
    OPTIONAL MATCH (o:Screening)-[:OF]->(c)
    WHERE o.supersededAt IS NULL AND o.outcome = $pending AND o.id <> s.id
    WITH s, c, directors, count(o) AS otherOpen
    RETURN s {.id, .recordId, .version, .supersededAt, .screenedAt, .signals, .ruleVersion,
              .rules, .outcome, .reasons, .category, .dueDate, .villageCode, .month,
              .quarter} AS screening,
           c.id AS childId, c.categories AS categories, c.primaryCategory AS primaryCategory,
           c.foundBy AS foundBy, c.villageCode AS childVillage, directors, otherOpen
    """,
    params=("id", "pending"),
    sample={"id": "none", "pending": "pending"},
)

#: A decided version keeps the relationships of the version it supersedes.
CARRY_LINKS = statement(
    "screening.carry_links",
    """
    MATCH (new:Screening {id: $newId})-[:SUPERSEDES]->(old:Screening)-[:OF]->(c:Child)
    MERGE (new)-[:OF]->(c)
    WITH new, old
    MATCH (old)-[:ASSIGNED_TO]->(d:Director)
    MERGE (new)-[:ASSIGNED_TO]->(d)
    """,
    Mode.WRITE,
    params=("newId",),
    sample={"newId": "none"},
)

#: The source name of the hub's own decisions on a child's fields, and the fields.
#: A decision is kept as that source's version of the child (a ``SourceRecord``),
#: which the sync engine ranks above every system for these fields: a later sync
#: of a ledger that still gives the old categories does not undo a verified
#: decision, and the disagreement stays visible in the child's ``conflicts``.
DECISION_SOURCE = "hub"
DECIDED_FIELDS = ("categories", "primaryCategory", "foundBy")

#: A decision's effect on the child: its categories (and how it was found), logged,
#: and kept as the hub's version of the child (``$values``: those fields as JSON).
SET_CATEGORIES = statement(
    "screening.set_categories",
    """
    MATCH (c:Child {id: $childId})
    SET c.categories = $categories, c.primaryCategory = $primaryCategory,
        c.foundBy = $foundBy
    MERGE (e:CategoryChange {id: $changeId})
    ON CREATE SET e += $props
    MERGE (e)-[:OF]->(c)
    MERGE (s:SourceRecord {id: $source + '|Child|' + $childId})
    SET s.sourceName = $source, s.label = 'Child', s.entityId = $childId,
        s.sourceKey = $childId, s.props = $values, s.location = $changeId, s.seenAt = $at
    """,
    Mode.WRITE,
    params=(
        "childId",
        "categories",
        "primaryCategory",
        "foundBy",
        "changeId",
        "props",
        "source",
        "values",
        "at",
    ),
    sample={
        "childId": "none",
        "categories": [],
        "primaryCategory": None,
        "foundBy": None,
        "changeId": "none",
        "props": {"source": "test"},
        "source": "test",
        "values": "{}",
        "at": 0,
    },
)
