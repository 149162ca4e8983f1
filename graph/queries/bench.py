"""Hand-written Cypher for the five standard partner queries: the floor the GraphQL layer is
measured against in ``make bench``. Each answers its question in one statement, returning
exactly the data the GraphQL query returns."""

from __future__ import annotations

from graph.statements import statement

CHILD_FILE = statement(
    "bench.child_file",
    """
    MATCH (c:Child {id: $id})
    OPTIONAL MATCH (c)-[:LIVES_IN]->(v:Village)
    WITH c, v
    OPTIONAL MATCH (c)<-[:OF]-(x:Visit)
    WHERE x.supersededAt IS NULL
    WITH c, v, x ORDER BY x.startedAt DESC, x.id DESC
    WITH c, v, collect(x {.startedAt, .mode, .findings}) AS visits
    RETURN c {.*} AS child, v.name AS village, visits[..5] AS visits
    """,
    params=("id",),
    sample={"id": "none"},
)

TOWN_VILLAGES = statement(
    "bench.town_villages",
    """
    MATCH (t:Town {code: $code})<-[:PART_OF]-(v:Village)
    OPTIONAL MATCH (v)<-[:ASSIGNED_TO]-(d:Director)
    WITH v, collect(d.name) AS directors
    OPTIONAL MATCH (v)<-[:LOCATED_IN]-(f:Facility)
    RETURN v.code AS code, v.name AS village, directors, collect(f.name) AS facilities
    ORDER BY code
    """,
    params=("code",),
    sample={"code": "none"},
)

DIRECTOR_CHILDREN = statement(
    "bench.director_children",
    """
    MATCH (d:Director {id: $id})-[:PAIRED_WITH]->(c:Child)
    OPTIONAL MATCH (c)<-[:OF]-(x:Visit)
    RETURN c.id AS child, c.primaryCategory AS category, max(x.startedAt) AS lastVisit
    """,
    params=("id",),
    sample={"id": "none"},
)

VISITS_PER_TOWN_MONTH = statement(
    "bench.visits_per_town_month",
    """
    MATCH (v:Visit)
    WHERE v.supersededAt IS NULL
    RETURN substring(v.villageCode, 0, 9) AS town, v.month AS month, count(v) AS visits
    """,
)

VISIT_PAGE = statement(
    "bench.visit_page",
    """
    MATCH (v:Visit)
    WHERE v.supersededAt IS NULL
    WITH v ORDER BY v.startedAt DESC, v.id DESC LIMIT 100
    MATCH (v)-[:OF]->(c:Child)
    MATCH (v)-[:BY]->(d:Director)
    RETURN v.startedAt AS startedAt, c.name AS child, d.name AS director
    """,
)
