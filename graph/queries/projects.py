"""Purchased-service projects reconciled against their targets.

The reconciliation reads, per project, the current version of every service
linked to it (``UNDER``) with its children; the caller decides what counts
(inside the project's period and towns) and counts distinct service ids, so a
service linked to two projects counts once in each and once in any total.
Both statements start from the projects named (anchored, then a ``WITH``), so
the engine never scans every service.
"""

from __future__ import annotations

from graph.statements import statement

#: Projects with their period, targets and towns: those named, or all of them.
PROJECTS = statement(
    "projects.projects",
    """
    MATCH (p:Project)
    WHERE ($ids IS NULL OR p.id IN $ids)
      AND ($organizationId IS NULL OR (p)-[:RUN_BY]->(:Organization {id: $organizationId}))
      AND ($status IS NULL OR p.status = $status)
    WITH p
    OPTIONAL MATCH (p)-[:COVERS]->(t:Town)
    RETURN p.id AS id, p.startDate AS startDate, p.endDate AS endDate,
           p.targetServices AS targetServices, p.targetChildren AS targetChildren,
           p.targetPersonTimes AS targetPersonTimes, collect(t.code) AS towns
    ORDER BY id
    """,
    params=("ids", "organizationId", "status"),
    sample={"ids": None, "organizationId": None, "status": None},
)

#: A division code's subtree test without a list predicate on the matched node
#: (FalkorDB evaluates those as false after a WITH): its prefixes of the
#: standard lengths, looked up in ``$scope``; an empty scope means everywhere.
_IN_SCOPE = (
    "(size($scope) = 0 OR substring(s.villageCode, 0, 2) IN $scope "
    "OR substring(s.villageCode, 0, 4) IN $scope OR substring(s.villageCode, 0, 6) IN $scope "
    "OR substring(s.villageCode, 0, 9) IN $scope OR s.villageCode IN $scope)"
)

#: The current services under each project, inside the reader's regions: one row
#: per (project, service), with the service's children and all its projects.
SERVICES = statement(
    "projects.services",
    f"""
    UNWIND $ids AS pid
    MATCH (p:Project {{id: pid}})
    WITH p
    MATCH (p)<-[:UNDER]-(s:Service)
    WHERE s.supersededAt IS NULL AND {_IN_SCOPE}
    OPTIONAL MATCH (s)-[:FOR]->(c:Child)
    OPTIONAL MATCH (s)-[:UNDER]->(o:Project)
    RETURN p.id AS project, s.id AS id, s.deliveredAt AS deliveredAt,
           s.personTimes AS personTimes, s.villageCode AS villageCode,
           collect(DISTINCT c.id) AS children, collect(DISTINCT o.id) AS projects
    ORDER BY project, deliveredAt, id
    """,
    params=("ids", "scope"),
    sample={"ids": ["none"], "scope": []},
)
