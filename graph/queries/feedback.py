"""Feedback from the public: submission, the public status look-up, handling, rates.

A submission's facts (kind, text, subject, contact, when) never change. Its
workflow properties (``status``, deadlines, reply, rating, extension) change
only through the statements here, each with its ``FeedbackStep`` in the same
statement, and only from the states the caller names (``$from``): a statement
that finds the feedback in another state (changed meanwhile) writes nothing
and returns no row. Workflow words travel as parameters, so that
:mod:`schema.oversight.feedback_workflow` is their one source.

Steps have deterministic ids (``<feedback>:submitted``, ``<feedback>:<stage>:<ms>``)
and are merged, so a retried statement writes nothing twice.
"""

from __future__ import annotations

from graph.statements import Mode, Statement, statement

#: What a submission's subject is: the place or village named, checked to exist,
#: and the directors of a village (a complaint about "the director of village X"
#: is about each of them: none of them may read it).
SUBJECT = statement(
    "feedback.subject",
    """
    OPTIONAL MATCH (t:Town {code: $townCode})
    OPTIONAL MATCH (v:Village {code: $villageCode})
    OPTIONAL MATCH (s:Station {id: $stationId})
    OPTIONAL MATCH (f:Facility {id: $facilityId})
    WITH t, v, s, f
    OPTIONAL MATCH (v)<-[:ASSIGNED_TO]-(d:Director)
    RETURN t.id AS town, v.id AS village, v.code AS villageCode, s.id AS station,
           s.townCode AS stationTown, s.name AS stationName, f.id AS facility,
           f.villageCode AS facilityVillage, collect(d.id) AS directors
    """,
    params=("townCode", "villageCode", "stationId", "facilityId"),
    sample={"townCode": "none", "villageCode": "none", "stationId": "none", "facilityId": "none"},
)

_STEP = """
    ON CREATE SET {v}.stage = {stage}, {v}.at = $now, {v}.actor = {actor},
        {v}.actorRole = {role}, {v}.note = {note}, {v}.rating = {rating}, {v}.days = {days},
        {v}.regionCode = {region}, {v}.recordId = {v}.id, {v}.version = 1,
        {v}.recordedAt = $now, {v}.source = $source, {v}.sourceKey = {v}.id, {v}.seenAt = $now
"""


def _step(var: str, prefix: str, region: str) -> str:
    """The ON CREATE SET of a step whose values are ``$<prefix>Stage``, ``…Actor``…"""
    return _STEP.format(
        v=var,
        stage=f"${prefix}Stage",
        actor=f"${prefix}Actor",
        role=f"${prefix}Role",
        note=f"${prefix}Note",
        rating=f"${prefix}Rating",
        days=f"${prefix}Days",
        region=region,
    )


#: A submission with its subject edges, its ``submitted`` step and, for a danger
#: disclosure, the edge to its mandatory report (filed just before by
#: ``reports.file``) and a ``reported`` step (a millisecond later: it follows the submission).
SUBMIT = statement(
    "feedback.submit",
    f"""
    OPTIONAL MATCH (t:Town {{id: $townId}})
    OPTIONAL MATCH (v:Village {{id: $villageId}})
    OPTIONAL MATCH (st:Station {{id: $stationId}})
    OPTIONAL MATCH (fa:Facility {{id: $facilityId}})
    OPTIONAL MATCH (r:MandatoryReport {{id: $reportId}})
    OPTIONAL MATCH (dv:Village {{id: $directorVillageId}})
    WITH t, v, st, fa, r, dv
    OPTIONAL MATCH (dv)<-[:ASSIGNED_TO]-(d:Director)
    WITH t, v, st, fa, r, collect(d) AS ds
    MERGE (f:Feedback {{id: $id}})
    ON CREATE SET f.kind = $kind, f.content = $content, f.submittedAt = $now,
        f.trackingRef = $trackingRef, f.anonymous = $anonymous, f.regionCode = $regionCode,
        f.month = $month, f.quarter = $quarter, f.subjectKind = $subjectKind,
        f.contactName = $contactName, f.contactPhone = $contactPhone, f.photoKey = $photoKey,
        f.accessHash = $accessHash, f.urgent = $urgent, f.status = $status, f.round = 1,
        f.acceptDueDate = $acceptDueDate, f.acceptedAt = $acceptedAt,
        f.acceptedOnTime = $acceptedOnTime, f.replyDueDate = $replyDueDate,
        f.recordId = $id, f.version = 1, f.recordedAt = $now,
        f.source = $source, f.sourceKey = $id, f.seenAt = $now
    MERGE (s:FeedbackStep {{id: $id + ':submitted'}})
    {
        _STEP.format(
            v="s",
            stage="$submittedStage",
            actor="null",
            role="'public'",
            note="null",
            rating="null",
            days="null",
            region="$regionCode",
        )
    }
    MERGE (s)-[:ON]->(f)
    FOREACH (x IN CASE WHEN t IS NULL THEN [] ELSE [t] END | MERGE (f)-[:ABOUT]->(x))
    FOREACH (x IN CASE WHEN v IS NULL THEN [] ELSE [v] END | MERGE (f)-[:ABOUT]->(x))
    FOREACH (x IN CASE WHEN st IS NULL THEN [] ELSE [st] END | MERGE (f)-[:ABOUT]->(x))
    FOREACH (x IN CASE WHEN fa IS NULL THEN [] ELSE [fa] END | MERGE (f)-[:ABOUT]->(x))
    FOREACH (x IN ds | MERGE (f)-[:ABOUT]->(x))
    FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END |
        MERGE (f)-[:REPORTED_AS]->(x)
        MERGE (rs:FeedbackStep {{id: $id + ':reported'}})
        ON CREATE SET rs.stage = $reportedStage, rs.at = $now + 1, rs.actorRole = 'system',
            rs.note = $reportedNote, rs.regionCode = $regionCode, rs.recordId = rs.id,
            rs.version = 1, rs.recordedAt = $now, rs.source = $source, rs.sourceKey = rs.id,
            rs.seenAt = $now
        MERGE (rs)-[:ON]->(f))
    RETURN f.id AS id
    """,
    Mode.WRITE,
    params=(
        "id",
        "now",
        "kind",
        "content",
        "trackingRef",
        "anonymous",
        "regionCode",
        "month",
        "quarter",
        "subjectKind",
        "contactName",
        "contactPhone",
        "photoKey",
        "accessHash",
        "urgent",
        "status",
        "acceptDueDate",
        "acceptedAt",
        "acceptedOnTime",
        "replyDueDate",
        "source",
        "townId",
        "villageId",
        "stationId",
        "facilityId",
        "directorVillageId",
        "reportId",
        "submittedStage",
        "reportedStage",
        "reportedNote",
    ),
    sample={
        "id": "none",
        "now": 0,
        "kind": "complaint",
        "content": "x",
        "trackingRef": "none",
        "anonymous": True,
        "regionCode": "x",
        "month": "2026-01",
        "quarter": "2026Q1",
        "subjectKind": "town",
        "contactName": None,
        "contactPhone": None,
        "photoKey": None,
        "accessHash": "x",
        "urgent": False,
        "status": "submitted",
        "acceptDueDate": "2026-01-02",
        "acceptedAt": None,
        "acceptedOnTime": None,
        "replyDueDate": None,
        "source": "test",
        "townId": "none",
        "villageId": "none",
        "stationId": "none",
        "facilityId": "none",
        "directorVillageId": "none",
        "reportId": "none",
        "submittedStage": "x",
        "reportedStage": "x",
        "reportedNote": "x",
    },
)

#: The public look-up by reference: what the status page may show, the steps'
#: stages and times (never their actors or notes), and the hash to check the
#: access code against. No identity is even read.
STATUS = statement(
    "feedback.status",
    """
    MATCH (f:Feedback {trackingRef: $reference})
    WHERE f.supersededAt IS NULL
    WITH f
    OPTIONAL MATCH (f)<-[:ON]-(s:FeedbackStep)
    RETURN f.accessHash AS accessHash, f.kind AS kind, f.status AS status,
           f.submittedAt AS submittedAt, f.urgent AS urgent, f.acceptDueDate AS acceptDueDate,
           f.replyDueDate AS replyDueDate, f.repliedAt AS repliedAt,
           f.publicReply AS publicReply, f.rating AS rating, f.id AS id,
           f.trackingRef AS trackingRef,
           collect([s.stage, s.at]) AS steps
    """,
    params=("reference",),
    sample={"reference": "none"},
)

#: The current state of a feedback: what a handling step checks before changing it.
STATE = statement(
    "feedback.state",
    """
    MATCH (f:Feedback {id: $id})
    WHERE f.supersededAt IS NULL
    RETURN f.status AS status, f.kind AS kind, f.regionCode AS regionCode,
           f.acceptDueDate AS acceptDueDate, f.replyDueDate AS replyDueDate,
           f.extensionStatus AS extensionStatus, f.extensionDays AS extensionDays,
           f.extensionRequestedBy AS extensionRequestedBy, f.round AS round
    """,
    params=("id",),
    sample={"id": "none"},
)

#: A station by id with its town (a feedback is assigned to its town's station).
STATION = statement(
    "feedback.station",
    """
    MATCH (s:Station {id: $id})
    RETURN s.id AS id, s.name AS name, s.townCode AS townCode
    """,
    params=("id",),
    sample={"id": "none"},
)

_WHERE = "WHERE f.supersededAt IS NULL AND f.status IN $from"
_STEP_PARAMS = (
    "id",
    "from",
    "to",
    "now",
    "source",
    "stepId",
    "stepStage",
    "stepActor",
    "stepRole",
    "stepNote",
    "stepRating",
    "stepDays",
)
_STEP_SAMPLE = {
    "id": "none",
    "from": ["x"],
    "to": "x",
    "now": 0,
    "source": "test",
    "stepId": "none",
    "stepStage": "x",
    "stepActor": "x",
    "stepRole": "x",
    "stepNote": None,
    "stepRating": None,
    "stepDays": None,
}


def _advance(
    name: str,
    sets: str,
    params: tuple[str, ...],
    sample: dict[str, object],
    where: str = "",
    then: str = "",
) -> Statement:
    """A handling step: from one of ``$from`` to ``$to``, ``sets`` applied, its step merged."""
    return statement(
        f"feedback.{name}",
        f"""
        MATCH (f:Feedback {{id: $id}})
        {_WHERE}{where}
        SET f.status = $to{sets}
        MERGE (s:FeedbackStep {{id: $stepId}})
        {_step("s", "step", "f.regionCode")}
        MERGE (s)-[:ON]->(f)
        {then}
        RETURN f.id AS id, f.status AS status
        """,
        Mode.WRITE,
        params=(*_STEP_PARAMS, *params),
        sample={**_STEP_SAMPLE, **sample},
    )


#: 受理: the acceptance, whether it met its deadline, and the reply deadline.
ACCEPT = _advance(
    "accept",
    ", f.acceptedAt = $now, f.acceptedOnTime = $onTime, f.replyDueDate = $replyDueDate",
    ("onTime", "replyDueDate"),
    {"onTime": True, "replyDueDate": "2026-01-02"},
)

#: 转办: to a town's station or a department (re-assigning is allowed).
ASSIGN = _advance(
    "assign",
    ", f.assignedTo = $assignedTo, f.assignedStation = $assignedStation",
    ("assignedTo", "assignedStation"),
    {"assignedTo": "x", "assignedStation": None},
)

#: 办理: what was done.
HANDLE = _advance("handle", ", f.handledAt = $now", (), {})

#: 答复: the public reply, and whether it met its deadline.
REPLY = _advance(
    "reply",
    ", f.repliedAt = $now, f.publicReply = $reply, f.repliedOnTime = $onTime",
    ("reply", "onTime"),
    {"reply": "x", "onTime": True},
)

#: 回访: the rating; a low one reopens the case with a new reply deadline and a
#: ``重新办理`` step just after (the reply stays on record, its time is cleared
#: so the case counts as unresolved).
FOLLOW_UP = _advance(
    "follow_up",
    """, f.rating = $rating, f.ratedAt = $now,
        f.closedAt = CASE WHEN $reopen THEN null ELSE $now END,
        f.reopenedAt = CASE WHEN $reopen THEN $now ELSE f.reopenedAt END,
        f.repliedAt = CASE WHEN $reopen THEN null ELSE f.repliedAt END,
        f.repliedOnTime = CASE WHEN $reopen THEN null ELSE f.repliedOnTime END,
        f.replyDueDate = CASE WHEN $reopen THEN $replyDueDate ELSE f.replyDueDate END,
        f.round = coalesce(f.round, 1) + CASE WHEN $reopen THEN 1 ELSE 0 END""",
    ("rating", "reopen", "replyDueDate", "reopenStage"),
    {"rating": 5, "reopen": False, "replyDueDate": None, "reopenStage": "x"},
    then="""
    FOREACH (x IN CASE WHEN $reopen THEN [1] ELSE [] END |
        MERGE (ro:FeedbackStep {id: $stepId + ':reopened'})
        ON CREATE SET ro.stage = $reopenStage, ro.at = $now + 1, ro.actorRole = 'system',
            ro.regionCode = f.regionCode, ro.recordId = ro.id, ro.version = 1,
            ro.recordedAt = $now, ro.source = $source, ro.sourceKey = ro.id, ro.seenAt = $now
        MERGE (ro)-[:ON]->(f))""",
)

#: A handler asks for more time (not while an earlier request waits).
REQUEST_EXTENSION = _advance(
    "request_extension",
    """, f.extensionStatus = $requested, f.extensionDays = $stepDays,
        f.extensionReason = $stepNote, f.extensionRequestedAt = $now,
        f.extensionRequestedBy = $requestedBy""",
    ("requested", "requestedBy"),
    {"requested": "requested", "requestedBy": "x"},
    where=" AND coalesce(f.extensionStatus, '') <> $requested",
)

#: A center admin decides a waiting request; an approval moves the reply
#: deadline, computed from the deadline read just before (``$dueBefore``: if it
#: moved meanwhile, nothing is written).
DECIDE_EXTENSION = _advance(
    "decide_extension",
    """, f.extensionStatus = $decision,
        f.replyDueDate = CASE WHEN $approve THEN $replyDueDate ELSE f.replyDueDate END,
        f.extendedAt = CASE WHEN $approve THEN $now ELSE f.extendedAt END""",
    ("decision", "approve", "replyDueDate", "requested", "dueBefore"),
    {
        "decision": "approved",
        "approve": True,
        "replyDueDate": "2026-01-02",
        "requested": "requested",
        "dueBefore": "2026-01-01",
    },
    where=" AND f.extensionStatus = $requested AND f.replyDueDate = $dueBefore",
)

#: Handling figures per town and department, for rates. One row per (town,
#: department); the reader's regions (``$scope``, prefixes; null: all) and the
#: sealing of feedback about the reader (``$notAbout``) apply as to lists.
RATES = statement(
    "feedback.rates",
    """
    MATCH (f:Feedback)
    WHERE f.supersededAt IS NULL
      AND ($region IS NULL OR f.regionCode STARTS WITH $region)
      AND ($scope IS NULL OR substring(f.regionCode, 0, 2) IN $scope
           OR substring(f.regionCode, 0, 4) IN $scope OR substring(f.regionCode, 0, 6) IN $scope
           OR substring(f.regionCode, 0, 9) IN $scope OR f.regionCode IN $scope)
      AND ($period IS NULL OR f.month STARTS WITH $period OR f.quarter = $period)
      AND ($notAbout IS NULL OR NOT (f)-[:ABOUT]->(:Director {id: $notAbout}))
    RETURN substring(f.regionCode, 0, 9) AS town, f.assignedTo AS department,
           count(f) AS total,
           sum(CASE WHEN f.acceptedAt IS NOT NULL OR f.acceptDueDate < $today
               THEN 1 ELSE 0 END) AS acceptDue,
           sum(CASE WHEN f.acceptedOnTime = true THEN 1 ELSE 0 END) AS acceptedOnTime,
           sum(CASE WHEN f.status IN $resolved THEN 1 ELSE 0 END) AS resolved,
           sum(CASE WHEN (f.status = $submitted AND f.acceptDueDate < $today)
                     OR (f.status IN $awaiting AND f.replyDueDate < $today)
               THEN 1 ELSE 0 END) AS overdue,
           sum(CASE WHEN f.rating IS NULL THEN 0 ELSE 1 END) AS rated,
           sum(coalesce(f.rating, 0)) AS ratingSum,
           sum(CASE WHEN f.rating >= 4 THEN 1 ELSE 0 END) AS satisfied
    """,
    params=(
        "region",
        "scope",
        "period",
        "notAbout",
        "today",
        "resolved",
        "submitted",
        "awaiting",
    ),
    sample={
        "region": "37",
        "scope": ["37"],
        "period": "2026",
        "notAbout": "none",
        "today": "2026-01-01",
        "resolved": ["replied"],
        "submitted": "submitted",
        "awaiting": ["accepted"],
    },
)

#: Towns' names by code (the rows of the rates).
TOWN_NAMES = statement(
    "feedback.town_names",
    """
    MATCH (t:Town) WHERE t.code IN $codes
    RETURN t.code AS code, t.name AS name
    """,
    params=("codes",),
    sample={"codes": ["none"]},
)
