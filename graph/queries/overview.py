"""Headline figures of the program (the public ``overview``)."""

from __future__ import annotations

from graph.statements import statement

OVERVIEW = statement(
    "overview.figures",
    """
    OPTIONAL MATCH (t:Town) WITH count(t) AS towns
    OPTIONAL MATCH (v:Village) WITH towns, count(v) AS villages
    OPTIONAL MATCH (s:Station) WITH towns, villages, count(s) AS stations
    OPTIONAL MATCH (f:Facility) WITH towns, villages, stations, count(f) AS facilities
    OPTIONAL MATCH (d:Director)
    WITH towns, villages, stations, facilities, count(d) AS directors
    OPTIONAL MATCH (p:Supervisor)
    WITH towns, villages, stations, facilities, directors, count(p) AS supervisors
    OPTIONAL MATCH (tr:Training)
    WITH towns, villages, stations, facilities, directors, supervisors, count(tr) AS trainings
    OPTIONAL MATCH (sv:Service)
    WHERE sv.supersededAt IS NULL
    RETURN towns, villages, stations, facilities, directors, supervisors, trainings,
           coalesce(sum(sv.personTimes), 0) AS servicePersonTimes
    """,
)
