"""Mandatory reports (强制报告): intake, follow-up and escalation, each one statement.

A report's intake facts (when, what, about whom, by whom) never change. Only
its workflow properties do (``status``, ``acknowledgedAt``, ``escalationLevel``,
``escalatedAt``, ``dueAt``, ``closedAt``), only through the statements here,
and each change writes a ``ReportStep`` in the same statement: the trail can
never miss a change. Workflow words (statuses, actions) travel as parameters
so that :mod:`schema.care.report_workflow` is their one source.

Steps have deterministic ids (``<report>:received``, ``<report>:escalated:2``,
…) and are merged, so a retried intake or escalation writes nothing twice.
"""

from __future__ import annotations

from graph.statements import Mode, statement

#: What an intake needs to know first: the child's village, whether the filing
#: director is paired with the child, whether a given village code exists.
INTAKE_FACTS = statement(
    "reports.intake_facts",
    """
    OPTIONAL MATCH (c:Child {id: $childId})
    OPTIONAL MATCH (c)<-[p:PAIRED_WITH]-(:Director {id: $directorId})
    OPTIONAL MATCH (v:Village {code: $villageCode})
    RETURN c.id AS child, c.villageCode AS childVillage, count(p) > 0 AS paired,
           v.code AS village
    """,
    params=("childId", "directorId", "villageCode"),
    sample={"childId": "none", "directorId": "none", "villageCode": "none"},
)

_STEP = """
    ON CREATE SET {v}.action = ${p}Action, {v}.note = ${p}Note, {v}.at = $now,
        {v}.actorRole = ${p}Role, {v}.actorName = ${p}Name, {v}.villageCode = {village},
        {v}.recordId = {v}.id, {v}.version = 1, {v}.recordedAt = $now,
        {v}.source = $source, {v}.sourceKey = {v}.id, {v}.seenAt = $now
"""

#: The report, its ABOUT and REPORTED_BY edges and its first two steps, at once.
#: A child id that matches no child (removed meanwhile) creates nothing.
FILE = statement(
    "reports.file",
    f"""
    OPTIONAL MATCH (c:Child {{id: $childId}})
    OPTIONAL MATCH (d:Director {{id: $directorId}})
    WITH c, d
    WHERE $childId IS NULL OR c IS NOT NULL
    MERGE (r:MandatoryReport {{id: $id}})
    ON CREATE SET r.reportedAt = $now, r.situation = $situation, r.description = $description,
        r.reporterRole = $reporterRole, r.reporterName = $reporterName,
        r.reporterContact = $reporterContact, r.status = $status, r.routedAt = $now,
        r.routedTo = $routedTo, r.dueAt = $dueAt, r.escalationLevel = 0,
        r.villageCode = $villageCode, r.month = $month, r.quarter = $quarter,
        r.recordId = $id, r.version = 1, r.recordedAt = $now,
        r.source = $source, r.sourceKey = $id, r.seenAt = $now
    MERGE (received:ReportStep {{id: $id + ':received'}})
    {_STEP.format(v="received", p="received", village="$villageCode")}
    MERGE (received)-[:ON]->(r)
    MERGE (routed:ReportStep {{id: $id + ':routed'}})
    {_STEP.format(v="routed", p="routed", village="$villageCode")}
    MERGE (routed)-[:ON]->(r)
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | MERGE (r)-[:ABOUT]->(x))
    FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (r)-[:REPORTED_BY]->(x))
    RETURN r.id AS id
    """,
    Mode.WRITE,
    params=(
        "id",
        "childId",
        "directorId",
        "now",
        "situation",
        "description",
        "reporterRole",
        "reporterName",
        "reporterContact",
        "status",
        "routedTo",
        "dueAt",
        "villageCode",
        "month",
        "quarter",
        "source",
        "receivedAction",
        "receivedNote",
        "receivedRole",
        "receivedName",
        "routedAction",
        "routedNote",
        "routedRole",
        "routedName",
    ),
    sample={
        "id": "none",
        "childId": "none",  # matches no child: nothing is created
        "directorId": None,
        "now": 0,
        "situation": "x",
        "description": "x",
        "reporterRole": "x",
        "reporterName": None,
        "reporterContact": None,
        "status": "routed",
        "routedTo": ["x"],
        "dueAt": 0,
        "villageCode": "x",
        "month": "2026-01",
        "quarter": "2026Q1",
        "source": "test",
        "receivedAction": "received",
        "receivedNote": None,
        "receivedRole": "x",
        "receivedName": None,
        "routedAction": "routed",
        "routedNote": "x",
        "routedRole": "system",
        "routedName": None,
    },
)

#: The current version of a report: what a follow-up checks before changing it.
STATE = statement(
    "reports.state",
    """
    MATCH (r:MandatoryReport {id: $id})
    WHERE r.supersededAt IS NULL
    RETURN r.status AS status, r.villageCode AS villageCode
    """,
    params=("id",),
    sample={"id": "none"},
)

#: One follow-up: from one of ``$from`` to ``$to``, with its step. No row back
#: when the report was not in ``$from`` (changed meanwhile): nothing is written.
ADVANCE = statement(
    "reports.advance",
    f"""
    MATCH (r:MandatoryReport {{id: $id}})
    WHERE r.supersededAt IS NULL AND r.status IN $from
    SET r.status = $to, r.acknowledgedAt = coalesce(r.acknowledgedAt, $acknowledgedAt),
        r.closedAt = coalesce(r.closedAt, $closedAt)
    MERGE (s:ReportStep {{id: $stepId}})
    {_STEP.format(v="s", p="step", village="r.villageCode")}
    MERGE (s)-[:ON]->(r)
    RETURN r.id AS id, r.status AS status
    """,
    Mode.WRITE,
    params=(
        "id",
        "from",
        "to",
        "acknowledgedAt",
        "closedAt",
        "stepId",
        "now",
        "source",
        "stepAction",
        "stepNote",
        "stepRole",
        "stepName",
    ),
    sample={
        "id": "none",
        "from": ["routed"],
        "to": "acknowledged",
        "acknowledgedAt": 0,
        "closedAt": None,
        "stepId": "none",
        "now": 0,
        "source": "test",
        "stepAction": "acknowledged",
        "stepNote": None,
        "stepRole": "x",
        "stepName": "x",
    },
)

#: Every report still waiting for acknowledgement past its deadline goes one
#: level up, gets a new deadline and an ``escalated`` step naming who is now
#: alerted. A second run before the new deadline finds nothing to do.
ESCALATE = statement(
    "reports.escalate_overdue",
    """
    MATCH (r:MandatoryReport)
    WHERE r.status IN $waiting AND r.dueAt < $now AND r.acknowledgedAt IS NULL
      AND r.supersededAt IS NULL
    SET r.escalationLevel = coalesce(r.escalationLevel, 0) + 1, r.status = $escalated,
        r.escalatedAt = $now, r.dueAt = $dueAt
    WITH r
    MERGE (s:ReportStep {id: r.id + ':escalated:' + toString(r.escalationLevel)})
    ON CREATE SET s.action = $escalated, s.at = $now, s.actorRole = $actorRole,
        s.note = CASE r.escalationLevel WHEN 1 THEN $level1 WHEN 2 THEN $level2 ELSE $level3 END,
        s.villageCode = r.villageCode, s.recordId = s.id, s.version = 1, s.recordedAt = $now,
        s.source = $source, s.sourceKey = s.id, s.seenAt = $now
    MERGE (s)-[:ON]->(r)
    RETURN count(s) AS escalated
    """,
    Mode.WRITE,
    params=(
        "waiting",
        "now",
        "escalated",
        "dueAt",
        "actorRole",
        "level1",
        "level2",
        "level3",
        "source",
    ),
    sample={
        "waiting": ["none"],
        "now": 0,
        "escalated": "escalated",
        "dueAt": 0,
        "actorRole": "system",
        "level1": "x",
        "level2": "x",
        "level3": "x",
        "source": "test",
    },
)
