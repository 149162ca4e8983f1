"""Assessments (闭环考核): a period's facts for a whole region, and the batched writes.

A period's computation reads each kind of fact once for every director of a
region (``$region``: a division-code prefix, ``""`` for all) and writes all
assessments with a few ``UNWIND`` statements: round trips do not grow with the
number of directors. Time-bounded reads start from the indexed instant
(``Visit.startedAt``, ``Service.deliveredAt``) or from a small label.

Assessments and appeals are events: a new one is created with its versioning
and provenance; a recomputation whose inputs changed, or an upheld appeal, is a
correction (new version, ``SUPERSEDES``, the old one's ``supersededAt``), as
:mod:`graph.queries.events` does it, here batched and keeping the ``OF`` edge.
"""

from __future__ import annotations

from graph.statements import Mode, Statement, statement

#: Directors to assess, with their village's and town's names.
DIRECTORS = statement(
    "assessment.directors",
    """
    MATCH (d:Director)
    WHERE d.villageCode STARTS WITH $region AND NOT coalesce(d.status, '') IN $gone
    OPTIONAL MATCH (v:Village {code: d.villageCode})
    OPTIONAL MATCH (t:Town {code: v.townCode})
    RETURN d.id AS id, d.name AS name, d.villageCode AS villageCode,
           d.socialWorkQualification AS qualification, v.name AS villageName,
           t.name AS townName
    """,
    params=("region", "gone"),
    sample={"region": "none", "gone": ["departed"]},
)

#: Who is paired with whom, with what decides how often a child is due a visit.
PAIRINGS = statement(
    "assessment.pairings",
    """
    MATCH (d:Director)-[p:PAIRED_WITH]->(c:Child)
    WHERE d.villageCode STARTS WITH $region
    RETURN d.id AS director, c.id AS child, p.sinceDate AS since, c.enrolledDate AS enrolled,
           c.primaryCategory AS category, c.riskLevel AS risk
    """,
    params=("region",),
    sample={"region": "none"},
)

#: Visits in the window (current versions), whether flagged and whether a risk was
#: observed: only that, never what was observed. A visit is OF a child and BY a
#: director only, so the far ends need no label (a label test per row costs ~40 ms
#: over a quarter's 26k visits).
VISITS = statement(
    "assessment.visits",
    """
    MATCH (v:Visit)
    WHERE v.startedAt >= $from AND v.startedAt < $to AND v.supersededAt IS NULL
      AND v.villageCode STARTS WITH $region
    MATCH (v)-[:OF]->(c)
    OPTIONAL MATCH (v)-[:BY]->(d)
    RETURN v.id AS id, c.id AS child, d.id AS director, v.startedAt AS startedAt,
           coalesce(v.flagged, false) AS flagged,
           size(coalesce(v.riskObservations, [])) > 0 AS risk
    """,
    params=("region", "from", "to"),
    sample={"region": "none", "from": 0, "to": 0},
)

#: Supervisors' decisions on flagged visits of the window: from the (few) reviews,
#: behind a barrier, not from the window's visits.
REVIEWS = statement(
    "assessment.reviews",
    """
    MATCH (r:VisitReview)
    WHERE r.supersededAt IS NULL
    WITH r
    MATCH (r)-[:OF]->(v:Visit)
    WHERE v.startedAt >= $from AND v.startedAt < $to AND v.villageCode STARTS WITH $region
    RETURN v.id AS visit, r.decision AS decision, r.reviewedAt AS reviewedAt
    """,
    params=("region", "from", "to"),
    sample={"region": "none", "from": 0, "to": 0},
)

#: Services for children in the period (a risk seen on a visit is followed up by one).
SERVICES = statement(
    "assessment.services",
    """
    MATCH (s:Service)
    WHERE s.deliveredAt >= $from AND s.deliveredAt < $to AND s.supersededAt IS NULL
      AND s.villageCode STARTS WITH $region
    MATCH (s)-[:FOR]->(c:Child)
    RETURN c.id AS child, s.deliveredAt AS at
    """,
    params=("region", "from", "to"),
    sample={"region": "none", "from": 0, "to": 0},
)

#: Mandatory reports of the period: about whom, by which director.
REPORTS = statement(
    "assessment.reports",
    """
    MATCH (r:MandatoryReport)
    WHERE r.reportedAt >= $from AND r.reportedAt < $to AND r.supersededAt IS NULL
      AND r.villageCode STARTS WITH $region
    OPTIONAL MATCH (r)-[:ABOUT]->(c:Child)
    OPTIONAL MATCH (r)-[:REPORTED_BY]->(d:Director)
    RETURN r.id AS id, r.reportedAt AS at, c.id AS child, d.id AS director
    """,
    params=("region", "from", "to"),
    sample={"region": "none", "from": 0, "to": 0},
)

#: Exam results up to the period's end, out of their exam's maximum.
EXAMS = statement(
    "assessment.exams",
    """
    MATCH (x:ExamResult)-[:OF]->(d:Director)
    WHERE x.takenAt < $to AND x.supersededAt IS NULL AND d.villageCode STARTS WITH $region
    OPTIONAL MATCH (x)-[:FOR]->(e:Exam)
    RETURN d.id AS director, x.takenAt AS takenAt, x.score AS score, e.maxScore AS maxScore
    """,
    params=("region", "to"),
    sample={"region": "none", "to": 0},
)

#: Supervisors to assess, with their town's name.
SUPERVISORS = statement(
    "assessment.supervisors",
    """
    MATCH (s:Supervisor)
    WHERE s.townCode STARTS WITH $region
    OPTIONAL MATCH (t:Town {code: s.townCode})
    RETURN s.id AS id, s.name AS name, s.townCode AS townCode, t.name AS townName
    """,
    params=("region",),
    sample={"region": "none"},
)

#: Supervisors' ledger entries and the rectifications ordered for them (dates as stored).
LEDGER = statement(
    "assessment.ledger",
    """
    MATCH (e:LedgerEntry)-[:RECORDED_BY]->(s:Supervisor)
    WHERE s.townCode STARTS WITH $region AND e.supersededAt IS NULL
    OPTIONAL MATCH (x:Rectification)-[:RESOLVES]->(e)
    RETURN s.id AS supervisor, e.id AS entry, e.foundDate AS found, x.id AS rectification,
           x.deadline AS deadline, x.completedDate AS completed
    """,
    params=("region",),
    sample={"region": "none"},
)

#: The current assessments of a period and formula version, by whom they assess.
EXISTING = statement(
    "assessment.existing",
    """
    MATCH (a:Assessment {period: $period})
    WHERE a.formulaVersion = $version AND a.supersededAt IS NULL
      AND a.regionCode STARTS WITH $region
    MATCH (a)-[:OF]->(s)
    RETURN a.id AS id, coalesce(a.recordId, a.id) AS recordId, a.version AS version,
           s.id AS subject, a.inputsHash AS inputsHash
    """,
    params=("period", "version", "region"),
    sample={"period": "none", "version": "v1", "region": "none"},
)

#: New assessments (their props carry versioning and provenance), each OF its subject,
#: one statement per kind of subject. MERGE on the id (derived from subject, period and
#: version): a retried run is a no-op.
CREATE_FOR: dict[str, Statement] = {
    label: statement(
        f"assessment.create_for_{label.lower()}s",
        f"""
        UNWIND $rows AS row
        MATCH (s:{label} {{id: row.subject}})
        MERGE (a:Assessment {{id: row.id}})
        ON CREATE SET a += row.props
        MERGE (a)-[:OF]->(s)
        RETURN count(a) AS written
        """,
        Mode.WRITE,
        params=("rows",),
        sample={"rows": [{"subject": "none", "id": "none", "props": {"source": "test"}}]},
    )
    for label in ("Director", "Supervisor")
}

#: Corrections in a batch: each a new version of the current one, OF the same person.
#: Run again, a row finds no current version with that id and changes nothing.
CORRECT = statement(
    "assessment.correct",
    """
    UNWIND $rows AS row
    MATCH (old:Assessment {id: row.oldId})
    WHERE old.supersededAt IS NULL
    MATCH (old)-[:OF]->(s)
    MERGE (new:Assessment {id: row.newId})
    ON CREATE SET new += row.props, new.recordId = coalesce(old.recordId, old.id),
                  new.version = coalesce(old.version, 1) + 1, new.recordedAt = $at
    MERGE (new)-[:SUPERSEDES]->(old)
    MERGE (new)-[:OF]->(s)
    SET old.supersededAt = $at
    RETURN count(new) AS written
    """,
    Mode.WRITE,
    params=("rows", "at"),
    sample={"rows": [{"oldId": "none", "newId": "none-2", "props": {"source": "test"}}], "at": 0},
)

#: What an appeal (and its decision) needs of an assessment: everything a
#: corrected version is rebuilt from.
_ASSESSMENT = """
    a.id AS id, a.recordId AS recordId, a.version AS version, a.supersededAt AS supersededAt,
    a.period AS period, a.throughDate AS throughDate, a.subject AS subject,
    a.subjectName AS subjectName, a.villageName AS villageName, a.townName AS townName,
    a.regionCode AS regionCode, a.formulaVersion AS formulaVersion, a.total AS total,
    a.partKeys AS partKeys, a.partWeights AS partWeights, a.partScores AS partScores,
    a.parts AS parts, a.inputsHash AS inputsHash, a.explanation AS explanation,
    a.vocationalAllowance AS vocationalAllowance, s.id AS subjectId
"""

#: One assessment with who it assesses and how many of its appeals are waiting.
ONE = statement(
    "assessment.one",
    f"""
    MATCH (a:Assessment {{id: $id}})
    OPTIONAL MATCH (a)-[:OF]->(s)
    OPTIONAL MATCH (p:AssessmentAppeal)-[:OF]->(a)
    WHERE p.supersededAt IS NULL AND p.status = 'pending'
    RETURN {_ASSESSMENT}, count(p) AS pending
    """,
    params=("id",),
    sample={"id": "none"},
)

#: An appeal (its current version) with the assessment it concerns.
APPEAL = statement(
    "assessment.appeal",
    f"""
    MATCH (p:AssessmentAppeal {{id: $id}})-[:OF]->(a:Assessment)
    OPTIONAL MATCH (a)-[:OF]->(s)
    RETURN p.status AS appealStatus, p.supersededAt AS appealSupersededAt,
           p.appellantId AS appellantId, p.appellantUser AS appellantUser,
           p.reason AS reason, p.appealedAt AS appealedAt, {_ASSESSMENT}
    """,
    params=("id",),
    sample={"id": "none"},
)

#: A new appeal of a current assessment, unless one is waiting already.
FILE_APPEAL = statement(
    "assessment.file_appeal",
    """
    MATCH (a:Assessment {id: $assessmentId})
    WHERE a.supersededAt IS NULL
    OPTIONAL MATCH (w:AssessmentAppeal)-[:OF]->(a)
    WHERE w.supersededAt IS NULL AND w.status = 'pending'
    WITH a, count(w) AS waiting
    WHERE waiting = 0
    MERGE (p:AssessmentAppeal {id: $id})
    ON CREATE SET p += $props
    MERGE (p)-[:OF]->(a)
    RETURN p.id AS id
    """,
    Mode.WRITE,
    params=("assessmentId", "id", "props"),
    sample={"assessmentId": "none", "id": "none", "props": {"source": "test"}},
)

#: A decision: the appeal's new version (decided), and for an upheld appeal the
#: assessment's corrected version, in one statement (all or nothing). The decided
#: appeal is OF the assessment as it now stands: the corrected version if upheld.
DECIDE = statement(
    "assessment.decide",
    """
    MATCH (old:AssessmentAppeal {id: $appealId})-[:OF]->(a:Assessment)
    WHERE old.supersededAt IS NULL AND old.status = 'pending'
      AND (size($corrections) = 0 OR a.supersededAt IS NULL)
    MATCH (a)-[:OF]->(s)
    MERGE (new:AssessmentAppeal {id: $newId})
    ON CREATE SET new += $props, new.recordId = coalesce(old.recordId, old.id),
                  new.version = coalesce(old.version, 1) + 1, new.recordedAt = $at
    MERGE (new)-[:SUPERSEDES]->(old)
    SET old.supersededAt = $at
    FOREACH (row IN $corrections |
      MERGE (c:Assessment {id: row.newId})
      ON CREATE SET c += row.props, c.recordId = coalesce(a.recordId, a.id),
                    c.version = coalesce(a.version, 1) + 1, c.recordedAt = $at
      MERGE (c)-[:SUPERSEDES]->(a)
      MERGE (c)-[:OF]->(s)
      MERGE (new)-[:OF]->(c)
      SET a.supersededAt = $at)
    FOREACH (x IN CASE WHEN size($corrections) = 0 THEN [a] ELSE [] END |
      MERGE (new)-[:OF]->(x))
    RETURN new.id AS id
    """,
    Mode.WRITE,
    params=("appealId", "newId", "props", "corrections", "at"),
    sample={
        "appealId": "none",
        "newId": "none-2",
        "props": {"source": "test"},
        "corrections": [],
        "at": 0,
    },
)
