"""Hand-written Cypher for the five standard partner queries: the floor the GraphQL layer is
measured against in ``make bench``. Each answers its question in one statement, returning
exactly the data the GraphQL query returns, for the same reader: rows limited to the reader's
region (``$scope``, a division code), as the access policy limits them."""

from __future__ import annotations

from graph.statements import statement

CHILD_FILE = statement(
    "bench.child_file",
    """
    MATCH (c:Child {id: $id})
    WHERE c.villageCode STARTS WITH $scope
    OPTIONAL MATCH (c)-[:LIVES_IN]->(v:Village)
    WHERE v.code STARTS WITH $scope
    WITH c, v
    OPTIONAL MATCH (c)<-[:OF]-(x:Visit)
    WHERE x.supersededAt IS NULL AND x.villageCode STARTS WITH $scope
    WITH c, v, x ORDER BY x.startedAt DESC, x.id DESC
    WITH c, v, collect(x {.startedAt, .mode, .findings}) AS visits
    RETURN c {.*} AS child, v.name AS village, visits[..5] AS visits
    """,
    params=("id", "scope"),
    sample={"id": "none", "scope": "37"},
)

TOWN_VILLAGES = statement(
    "bench.town_villages",
    """
    MATCH (t:Town {code: $code})<-[:PART_OF]-(v:Village)
    WHERE t.code STARTS WITH $scope AND v.code STARTS WITH $scope
    OPTIONAL MATCH (v)<-[:ASSIGNED_TO]-(d:Director)
    WHERE d.villageCode STARTS WITH $scope
    WITH v, collect(d.name) AS directors
    OPTIONAL MATCH (v)<-[:LOCATED_IN]-(f:Facility)
    WHERE f.villageCode STARTS WITH $scope
    RETURN v.code AS code, v.name AS village, directors, collect(f.name) AS facilities
    ORDER BY code
    """,
    params=("code", "scope"),
    sample={"code": "none", "scope": "37"},
)

DIRECTOR_CHILDREN = statement(
    "bench.director_children",
    """
    MATCH (d:Director {id: $id})-[:PAIRED_WITH]->(c:Child)
    WHERE d.villageCode STARTS WITH $scope AND c.villageCode STARTS WITH $scope
    OPTIONAL MATCH (c)<-[:OF]-(x:Visit)
    WHERE x.supersededAt IS NULL AND x.villageCode STARTS WITH $scope
    RETURN c.id AS child, c.primaryCategory AS category, max(x.startedAt) AS lastVisit
    """,
    params=("id", "scope"),
    sample={"id": "none", "scope": "37"},
)

VISITS_PER_TOWN_MONTH = statement(
    "bench.visits_per_town_month",
    """
    MATCH (v:Visit)
    WHERE v.supersededAt IS NULL AND v.villageCode STARTS WITH $scope
    RETURN substring(v.villageCode, 0, 9) AS town, v.month AS month, count(v) AS visits
    """,
    params=("scope",),
    sample={"scope": "37"},
)

VISIT_PAGE = statement(
    "bench.visit_page",
    """
    MATCH (v:Visit)
    WHERE v.supersededAt IS NULL AND v.villageCode STARTS WITH $scope
    WITH v ORDER BY v.startedAt DESC, v.id DESC LIMIT 100
    MATCH (v)-[:OF]->(c:Child)
    WHERE c.villageCode STARTS WITH $scope
    MATCH (v)-[:BY]->(d:Director)
    WHERE d.villageCode STARTS WITH $scope
    RETURN v.startedAt AS startedAt, c.name AS child, d.name AS director
    """,
    params=("scope",),
    sample={"scope": "37"},
)

#: Directors with a paired child whose home is known (the care bench's visits).
PAIRS = statement(
    "bench.pairs",
    """
    MATCH (d:Director)-[:PAIRED_WITH]->(c:Child)
    WHERE c.homeLat IS NOT NULL AND d.status = 'active'
    RETURN d.id AS director, c.id AS child, c.homeLat AS homeLat, c.homeLng AS homeLng,
           c.villageCode AS villageCode
    LIMIT $n
    """,
    params=("n",),
    sample={"n": 1},
)
