"""Grid coverage: villages with at least one children's director, per town."""

from __future__ import annotations

from graph.statements import statement

_BODY = """
    OPTIONAL MATCH (d:Director)-[:ASSIGNED_TO]->(v)
    WITH t, v, count(d) AS directors
    RETURN t.id AS town, t.code AS code, count(v) AS villages,
           sum(CASE WHEN directors > 0 THEN 1 ELSE 0 END) AS covered,
           sum(directors) AS directors,
           collect(CASE WHEN directors = 0 THEN v.id END) AS vacant
    ORDER BY code
"""

BY_TOWN = statement("coverage.by_town", "MATCH (t:Town)<-[:PART_OF]-(v:Village)" + _BODY)

BY_TOWN_IN_REGION = statement(
    "coverage.by_town_in_region",
    "MATCH (t:Town)<-[:PART_OF]-(v:Village) WHERE v.code STARTS WITH $region" + _BODY,
    params=("region",),
    sample={"region": "37"},
)
