"""Stations and facilities: inspections of the four-haves (四有), new facilities, and the
services delivered at each station, counted per quarter.

An inspection is an immutable event; the station's (or facility's) current flags are
a copy of its latest inspection's, refreshed by the statement that records one, so
the lists and statistics that read the flags need no traversal.
"""

from __future__ import annotations

from graph.statements import Mode, statement

_EVENT = (
    "id: $id, recordId: $id, version: 1, recordedAt: $at, source: 'hub', sourceKey: $id, "
    "seenAt: $at, evidence: $evidence, note: $note, inspectedAt: $inspectedAt, "
    "inspector: $inspector, inspectorRole: $inspectorRole, month: $month, quarter: $quarter"
)
_EVENT_PARAMS = (
    "id",
    "at",
    "evidence",
    "note",
    "inspectedAt",
    "inspector",
    "inspectorRole",
    "month",
    "quarter",
)
_EVENT_SAMPLE: dict[str, object] = {
    "id": "none",
    "at": 0,
    "evidence": ["sample"],
    "note": None,
    "inspectedAt": 0,
    "inspector": "test",
    "inspectorRole": "test",
    "month": "2026-01",
    "quarter": "2026Q1",
}

STATION = statement(
    "stations.station",
    """
    MATCH (s:Station {id: $id})
    RETURN s.id AS id, s.name AS name, s.townCode AS townCode
    """,
    params=("id",),
    sample={"id": "none"},
)

#: Record an inspection, then copy the latest inspection's flags onto the station
#: (the one just recorded, unless it was back-dated behind a later one).
INSPECT_STATION = statement(
    "stations.inspect_station",
    f"""
    MATCH (s:Station {{id: $stationId}})
    CREATE (i:StationInspection {{{_EVENT}, hasVenue: $hasVenue, hasTeam: $hasTeam,
                                  hasRules: $hasRules, hasServices: $hasServices,
                                  fourHaves: $fourHaves, townCode: s.townCode}})
    CREATE (i)-[:OF]->(s)
    WITH s, i.id AS created
    MATCH (s)<-[:OF]-(l:StationInspection)
    WHERE l.supersededAt IS NULL
    WITH s, created, l ORDER BY l.inspectedAt DESC, l.recordedAt DESC
    WITH s, created, collect(l)[0] AS latest
    SET s.hasVenue = latest.hasVenue, s.hasTeam = latest.hasTeam,
        s.hasRules = latest.hasRules, s.hasServices = latest.hasServices,
        s.fourHaves = latest.fourHaves, s.inspectedAt = latest.inspectedAt
    RETURN created AS id
    """,
    Mode.WRITE,
    params=(
        "stationId",
        "hasVenue",
        "hasTeam",
        "hasRules",
        "hasServices",
        "fourHaves",
        *_EVENT_PARAMS,
    ),
    sample={
        "stationId": "none",
        "hasVenue": True,
        "hasTeam": True,
        "hasRules": True,
        "hasServices": True,
        "fourHaves": True,
        **_EVENT_SAMPLE,
    },
)

FACILITY = statement(
    "stations.facility",
    """
    MATCH (f:Facility {id: $id})
    RETURN f.id AS id, f.name AS name, f.villageCode AS villageCode
    """,
    params=("id",),
    sample={"id": "none"},
)

REGISTER_FACILITY = statement(
    "stations.register_facility",
    """
    MATCH (v:Village {code: $villageCode})
    CREATE (f:Facility {id: $id, source: 'hub', sourceKey: $id, seenAt: $at, name: $name,
                        villageCode: v.code, kind: $kind, openedDate: $openedDate,
                        areaSqm: $areaSqm})
    CREATE (f)-[:LOCATED_IN {source: 'hub', seenAt: $at}]->(v)
    RETURN f.id AS id
    """,
    Mode.WRITE,
    params=("id", "at", "villageCode", "name", "kind", "openedDate", "areaSqm"),
    sample={
        "id": "none",
        "at": 0,
        "villageCode": "none",
        "name": "sample",
        "kind": "sample",
        "openedDate": None,
        "areaSqm": None,
    },
)

INSPECT_FACILITY = statement(
    "stations.inspect_facility",
    f"""
    MATCH (f:Facility {{id: $facilityId}})
    CREATE (i:FacilityInspection {{{_EVENT}, operating: $operating,
                                   villageCode: f.villageCode}})
    CREATE (i)-[:OF]->(f)
    WITH f, i.id AS created
    MATCH (f)<-[:OF]-(l:FacilityInspection)
    WHERE l.supersededAt IS NULL
    WITH f, created, l ORDER BY l.inspectedAt DESC, l.recordedAt DESC
    WITH f, created, collect(l)[0] AS latest
    SET f.operating = latest.operating, f.inspectedAt = latest.inspectedAt
    RETURN created AS id
    """,
    Mode.WRITE,
    params=("facilityId", "operating", *_EVENT_PARAMS),
    sample={"facilityId": "none", "operating": True, **_EVENT_SAMPLE},
)

#: Lengths of division codes above a village's: province, city, county, town.
_PREFIXES = (2, 4, 6, 9)


def in_regions(code: str, param: str) -> str:
    """``code`` lies in one of the regions ``$param`` (a code covers its subtree).

    Not ``any(r IN $param WHERE code STARTS WITH r)``: after a WITH, FalkorDB evaluates
    that as false on every row; a code's ancestors are its prefixes of standard lengths.
    """
    tests = [f"substring({code}, 0, {n}) IN ${param}" for n in _PREFIXES]
    return "(" + " OR ".join([*tests, f"{code} IN ${param}"]) + ")"


# The services counted below are limited like the reader's rows of Service: to
# regions (``$regions``, null: everywhere) or to a director's paired children
# (``$director``); only current versions count.
_SERVICE_SCOPE = f"""
    s.supersededAt IS NULL
    AND ($quarter IS NULL OR s.quarter = $quarter)
    AND ($regions IS NULL OR {in_regions("s.villageCode", "regions")})
    AND ($director IS NULL OR (s)-[:FOR]->(:Child)<-[:PAIRED_WITH]-(:Director {{id: $director}}))
"""

#: Services and person-times per quarter at each of some stations.
SERVICES_AT = statement(
    "stations.services_at",
    f"""
    UNWIND $keys AS key
    MATCH (st:Station {{id: key}}) WITH key, st
    MATCH (st)<-[:AT]-(s:Service)
    WHERE {_SERVICE_SCOPE}
    RETURN key, s.quarter AS quarter, count(s) AS services, sum(s.personTimes) AS personTimes
    ORDER BY key, quarter
    """,
    params=("keys", "quarter", "regions", "director"),
    sample={"keys": ["none"], "quarter": None, "regions": None, "director": None},
)

#: Services and person-times per station and quarter, for the stations of a region.
SERVICES_BY_STATION = statement(
    "stations.services_by_station",
    f"""
    MATCH (st:Station)
    WHERE $region IS NULL OR st.townCode STARTS WITH $region
    WITH st
    MATCH (st)<-[:AT]-(s:Service)
    WHERE {_SERVICE_SCOPE}
    RETURN st.id AS station, st.name AS name, st.townCode AS townCode, s.quarter AS quarter,
           count(s) AS services, sum(s.personTimes) AS personTimes
    ORDER BY townCode, quarter
    """,
    params=("region", "quarter", "regions", "director"),
    sample={"region": None, "quarter": None, "regions": None, "director": None},
)
