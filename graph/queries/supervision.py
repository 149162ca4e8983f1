"""Supervision (监管): key task lists, the ledger (台账), rectifications and their escalation.

Tasks and rectifications are workflow records: their state changes, only
through the statements here. Ledger entries and rectification steps are
events (immutable; a ledger correction is a new version). Each change of a
rectification writes its ``RectificationStep`` in the same statement, so the
trail can never miss a change; workflow words (states, actions, notes)
travel as parameters, :mod:`schema.oversight.supervision_workflow` being
their one source. Steps have deterministic ids (``<rectification>:opened``,
``<rectification>:urged:<round>``…) and are merged: a retry writes nothing twice.
"""

from __future__ import annotations

from graph.statements import Mode, Statement, statement

# -- tasks -------------------------------------------------------------------------

#: Towns by code, with the supervisor of each (the task's default carrier).
TOWNS = statement(
    "supervision.towns",
    """
    MATCH (t:Town) WHERE t.code IN $codes
    OPTIONAL MATCH (s:Supervisor)-[:SUPERVISES]->(t)
    RETURN t.id AS id, t.code AS code, t.name AS name, min(s.id) AS supervisorId,
           min(s.name) AS supervisorName
    ORDER BY t.code
    """,
    params=("codes",),
    sample={"codes": []},
)

#: A supervisor by id, with the towns they supervise.
SUPERVISOR = statement(
    "supervision.supervisor",
    """
    MATCH (s:Supervisor {id: $id})
    OPTIONAL MATCH (s)-[:SUPERVISES]->(t:Town)
    RETURN s.id AS id, s.name AS name, s.townCode AS townCode, collect(t.code) AS towns
    """,
    params=("id",),
    sample={"id": "none"},
)

#: A task's facts that a change under it checks.
TASK = statement(
    "supervision.task",
    """
    MATCH (t:SupervisionTask {id: $id})
    OPTIONAL MATCH (t)-[:ASSIGNED_TO]->(s:Supervisor)
    RETURN t.id AS id, t.regionCode AS regionCode, t.status AS status, t.period AS period,
           t.origin AS origin, min(s.id) AS supervisorId
    """,
    params=("id",),
    sample={"id": "none"},
)

#: A new task with its carrier, towns, parent task and (for a commissioner's
#: note) the commissioner. Run again with the same id, it adds nothing.
CREATE_TASK = statement(
    "supervision.create_task",
    """
    MERGE (t:SupervisionTask {id: $id})
    ON CREATE SET t += $props
    WITH t
    OPTIONAL MATCH (s:Supervisor {id: $supervisorId})
    OPTIONAL MATCH (p:SupervisionTask {id: $parentId})
    OPTIONAL MATCH (c:Commissioner {id: $commissionerId})
    FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (t)-[:ASSIGNED_TO]->(x))
    FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | MERGE (t)-[:PART_OF]->(x))
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | MERGE (t)-[:RAISED_BY]->(x))
    WITH t
    OPTIONAL MATCH (town:Town) WHERE town.code IN $townCodes
    FOREACH (x IN CASE WHEN town IS NULL THEN [] ELSE [town] END | MERGE (t)-[:CONCERNS]->(x))
    RETURN DISTINCT t.id AS id
    """,
    Mode.WRITE,
    params=("id", "props", "supervisorId", "parentId", "commissionerId", "townCodes"),
    sample={
        "id": "none",
        "props": {"source": "test", "title": "x"},
        "supervisorId": None,
        "parentId": None,
        "commissionerId": None,
        "townCodes": [],
    },
)

#: Mark a task completed (only from ``$from``: no row back if it changed meanwhile).
COMPLETE_TASK = statement(
    "supervision.complete_task",
    """
    MATCH (t:SupervisionTask {id: $id})
    WHERE t.status IN $from
    SET t.status = $to, t.completedAt = $now
    RETURN t.id AS id
    """,
    Mode.WRITE,
    params=("id", "from", "to", "now"),
    sample={"id": "none", "from": ["in_progress"], "to": "completed", "now": 0},
)

#: Progress of tasks, rolled up over their whole subtree: the sub-tasks (at any
#: depth) and the rectifications of the ledger entries under the task or any
#: sub-task. An entry's corrected versions share its rectifications: counted once.
PROGRESS = statement(
    "supervision.progress",
    """
    UNWIND $ids AS key
    MATCH (t:SupervisionTask {id: key})
    OPTIONAL MATCH (sub:SupervisionTask)-[:PART_OF*1..]->(t)
    WITH t, count(DISTINCT sub) AS subTotal,
         count(DISTINCT CASE WHEN sub.status = $completed THEN sub END) AS subDone
    OPTIONAL MATCH (r:Rectification)-[:RESOLVES]->(:LedgerEntry)-[:UNDER]->(:SupervisionTask)
                   -[:PART_OF*0..]->(t)
    RETURN t.id AS key, subTotal, subDone, count(DISTINCT r) AS rectTotal,
           count(DISTINCT CASE WHEN r.status IN $done THEN r END) AS rectDone
    """,
    params=("ids", "completed", "done"),
    sample={"ids": ["none"], "completed": "completed", "done": ["x"]},
)

# -- what a commissioner's note may be about -----------------------------------------

#: label → the property holding the division code of the place it concerns.
SUBJECT_REGION: dict[str, str] = {
    "Town": "code",
    "Village": "code",
    "Station": "townCode",
    "Facility": "villageCode",
    "Director": "villageCode",
    "SupervisionTask": "regionCode",
    "LedgerEntry": "regionCode",
    "Rectification": "regionCode",
}

SUBJECT: dict[str, Statement] = {
    label: statement(
        f"supervision.subject.{label}",
        f"MATCH (n:{label} {{id: $id}}) RETURN n.id AS id, n.{prop} AS code",
        params=("id",),
        sample={"id": "none"},
    )
    for label, prop in SUBJECT_REGION.items()
}

# -- the ledger --------------------------------------------------------------------

#: What recording an entry checks: the task, the place, the finder.
ENTRY_FACTS = statement(
    "supervision.entry_facts",
    """
    OPTIONAL MATCH (t:SupervisionTask {id: $taskId})
    OPTIONAL MATCH (v:Village {code: $villageCode})
    OPTIONAL MATCH (st:Station {id: $stationId})
    OPTIONAL MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (s:Supervisor {id: $supervisorId})
    OPTIONAL MATCH (t)-[:ASSIGNED_TO]->(ts:Supervisor)
    RETURN t.id AS task, t.regionCode AS taskRegion, t.status AS taskStatus,
           v.code AS village, st.townCode AS stationTown, d.id AS director,
           d.villageCode AS directorVillage, s.id AS supervisor,
           min(ts.id) AS taskSupervisor
    """,
    params=("taskId", "villageCode", "stationId", "directorId", "supervisorId"),
    sample={
        "taskId": "none",
        "villageCode": "none",
        "stationId": "none",
        "directorId": "none",
        "supervisorId": "none",
    },
)

#: A ledger entry (an event) under its task, with where and by whom.
RECORD_ENTRY = statement(
    "supervision.record_entry",
    """
    MATCH (t:SupervisionTask {id: $taskId})
    OPTIONAL MATCH (v:Village {code: $villageCode})
    OPTIONAL MATCH (st:Station {id: $stationId})
    OPTIONAL MATCH (d:Director {id: $directorId})
    OPTIONAL MATCH (s:Supervisor {id: $supervisorId})
    MERGE (e:LedgerEntry {id: $id})
    ON CREATE SET e += $props
    MERGE (e)-[:UNDER]->(t)
    FOREACH (x IN CASE WHEN v IS NULL THEN [] ELSE [v] END | MERGE (e)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN st IS NULL THEN [] ELSE [st] END | MERGE (e)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (e)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (e)-[:RECORDED_BY]->(x))
    RETURN e.id AS id
    """,
    Mode.WRITE,
    params=("id", "props", "taskId", "villageCode", "stationId", "directorId", "supervisorId"),
    sample={
        "id": "none",
        "props": {"source": "test"},
        "taskId": "none",
        "villageCode": None,
        "stationId": None,
        "directorId": None,
        "supervisorId": None,
    },
)

#: A correction of a ledger entry: the new version keeps the old one's task,
#: places and finder, and the rectifications resolving it resolve the new one
#: too (the old version keeps its edges: the record of what was). Like
#: ``events.correct``, plus the edges, in one statement: run again, it finds no
#: current version with that id and changes nothing.
CORRECT_ENTRY = statement(
    "supervision.correct_entry",
    """
    MATCH (old:LedgerEntry {id: $oldId})
    WHERE old.supersededAt IS NULL
    MERGE (new:LedgerEntry {id: $newId})
    ON CREATE SET new += $props, new.recordId = coalesce(old.recordId, old.id),
                  new.version = coalesce(old.version, 1) + 1, new.recordedAt = $at
    MERGE (new)-[:SUPERSEDES]->(old)
    SET old.supersededAt = $at
    WITH old, new
    OPTIONAL MATCH (old)-[:UNDER]->(t:SupervisionTask)
    OPTIONAL MATCH (old)-[:CONCERNS]->(v:Village)
    OPTIONAL MATCH (old)-[:CONCERNS]->(st:Station)
    OPTIONAL MATCH (old)-[:CONCERNS]->(d:Director)
    OPTIONAL MATCH (old)-[:RECORDED_BY]->(s:Supervisor)
    FOREACH (x IN CASE WHEN t IS NULL THEN [] ELSE [t] END | MERGE (new)-[:UNDER]->(x))
    FOREACH (x IN CASE WHEN v IS NULL THEN [] ELSE [v] END | MERGE (new)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN st IS NULL THEN [] ELSE [st] END | MERGE (new)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (new)-[:CONCERNS]->(x))
    FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (new)-[:RECORDED_BY]->(x))
    WITH DISTINCT old, new
    OPTIONAL MATCH (r:Rectification)-[:RESOLVES]->(old)
    FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END | MERGE (x)-[:RESOLVES]->(new))
    RETURN DISTINCT new.id AS id, new.version AS version
    """,
    Mode.WRITE,
    params=("oldId", "newId", "props", "at"),
    sample={"oldId": "none", "newId": "none-2", "props": {"source": "test"}, "at": 0},
)

# -- rectifications ----------------------------------------------------------------

#: What ordering a rectification checks: the entry, whose work it concerns, and
#: whether a rectification of it is still under way.
ENTRY_FOR_RECTIFICATION = statement(
    "supervision.entry_for_rectification",
    """
    MATCH (e:LedgerEntry {id: $id})
    OPTIONAL MATCH (e)-[:CONCERNS]->(d:Director)
    OPTIONAL MATCH (r:Rectification)-[:RESOLVES]->(e) WHERE r.status IN $active
    RETURN e.id AS id, e.regionCode AS regionCode, e.supersededAt AS supersededAt,
           min(d.id) AS directorId, count(DISTINCT r) AS active
    """,
    params=("id", "active"),
    sample={"id": "none", "active": ["x"]},
)

#: Directors by id, with their village and name (the doer named).
DIRECTOR = statement(
    "supervision.director",
    "MATCH (d:Director {id: $id}) RETURN d.id AS id, d.name AS name, d.villageCode AS villageCode",
    params=("id",),
    sample={"id": "none"},
)

_STEP = """
    ON CREATE SET {v}.action = $stepAction, {v}.note = $stepNote, {v}.photo = $stepPhoto,
        {v}.round = {round}, {v}.at = $now, {v}.actorRole = $stepRole,
        {v}.actorName = $stepName, {v}.regionCode = {region}, {v}.recordId = {v}.id,
        {v}.version = 1, {v}.recordedAt = $now, {v}.source = $source,
        {v}.sourceKey = {v}.id, {v}.seenAt = $now
"""
_STEP_PARAMS = ("now", "source", "stepAction", "stepNote", "stepPhoto", "stepRole", "stepName")
_STEP_SAMPLE: dict[str, object] = {
    "now": 0,
    "source": "test",
    "stepAction": "x",
    "stepNote": None,
    "stepPhoto": None,
    "stepRole": "x",
    "stepName": "x",
}

#: A rectification of a current ledger entry, with its ``opened`` step; nothing
#: when the entry was corrected meanwhile or another rectification of it is
#: under way (``$active``).
OPEN = statement(
    "supervision.open",
    f"""
    MATCH (e:LedgerEntry {{id: $entryId}})
    WHERE e.supersededAt IS NULL
    OPTIONAL MATCH (other:Rectification)-[:RESOLVES]->(e) WHERE other.status IN $active
    WITH e, count(other) AS busy
    WHERE busy = 0
    MERGE (r:Rectification {{id: $id}})
    ON CREATE SET r += $props
    MERGE (r)-[:RESOLVES]->(e)
    MERGE (s:RectificationStep {{id: $id + ':opened'}})
    {_STEP.format(v="s", round="1", region="r.regionCode")}
    MERGE (s)-[:ON]->(r)
    RETURN r.id AS id
    """,
    Mode.WRITE,
    params=("entryId", "active", "id", "props", *_STEP_PARAMS),
    sample={
        "entryId": "none",
        "active": ["x"],
        "id": "none",
        "props": {"source": "test"},
        **_STEP_SAMPLE,
    },
)

#: The workflow facts of a rectification that a step checks.
STATE = statement(
    "supervision.state",
    """
    MATCH (r:Rectification {id: $id})
    RETURN r.id AS id, r.status AS status, r.regionCode AS regionCode,
           r.assigneeRole AS assigneeRole, r.assigneeId AS assigneeId,
           r.submitterId AS submitterId, r.submitterRole AS submitterRole,
           r.recheckDate AS recheckDate, r.workingDays AS workingDays,
           coalesce(r.round, 1) AS round
    """,
    params=("id",),
    sample={"id": "none"},
)

#: One step of a rectification: from one of ``$from`` to ``$to``, the changed
#: properties (``$changes``; null removes one) and the step (of the round it
#: closes or belongs to). No row back when the rectification was not in
#: ``$from`` (changed meanwhile): nothing is written.
ADVANCE = statement(
    "supervision.advance",
    f"""
    MATCH (r:Rectification {{id: $id}})
    WHERE r.status IN $from
    SET r += $changes, r.status = $to
    MERGE (s:RectificationStep {{id: $stepId}})
    {_STEP.format(v="s", round="$stepRound", region="r.regionCode")}
    MERGE (s)-[:ON]->(r)
    RETURN r.id AS id, r.status AS status
    """,
    Mode.WRITE,
    params=("id", "from", "to", "changes", "stepId", "stepRound", *_STEP_PARAMS),
    sample={
        "id": "none",
        "from": ["x"],
        "to": "x",
        "changes": {"evidence": "x"},
        "stepId": "none",
        "stepRound": 1,
        **_STEP_SAMPLE,
    },
)

# -- escalation --------------------------------------------------------------------


def _escalation_step(kind: str, to: str) -> str:
    """The step an escalation leaves on each rectification ``r`` it raises, once per round.

    ``kind`` and ``to`` are fixed names of this module (the step's kind, the property
    naming whom it went to), never input.
    """
    return f"""
    MERGE (s:RectificationStep {{id: r.id + ':{kind}:' + toString(coalesce(r.round, 1))}})
    ON CREATE SET s.action = $action, s.note = $note + coalesce(r.{to}, ''),
        s.round = coalesce(r.round, 1), s.at = $now, s.actorRole = $actorRole,
        s.regionCode = r.regionCode, s.recordId = s.id, s.version = 1, s.recordedAt = $now,
        s.source = $source, s.sourceKey = s.id, s.seenAt = $now
    MERGE (s)-[:ON]->(r)
    RETURN count(s) AS escalated
    """


#: Level 1, 催办: every rectification not signed off whose deadline day has
#: ended (``deadline < $today``, ISO dates compare as text) and that is not
#: escalated yet is urged to the doer's superior, and given the last day of
#: grace before a public notice. Run again the same day, it finds nothing.
URGE = statement(
    "supervision.urge_overdue",
    """
    MATCH (r:Rectification)
    WHERE r.status IN $running AND r.deadline < $today
      AND coalesce(r.escalationLevel, 0) = 0
    SET r.escalationLevel = 1, r.urgedAt = $now, r.escalatedAt = $now,
        r.noticeDueDate = $noticeDue
    WITH r
    """
    + _escalation_step("urged", "urgeTo"),
    Mode.WRITE,
    params=("running", "today", "now", "noticeDue", "action", "note", "actorRole", "source"),
    sample={
        "running": ["none"],
        "today": "2026-01-01",
        "now": 0,
        "noticeDue": "2026-01-05",
        "action": "urged",
        "note": "x",
        "actorRole": "system",
        "source": "test",
    },
)

#: Level 2, 通报: urged, still not signed off, and the grace ended
#: (``noticeDueDate < $today``): noticed publicly to the town and the center.
NOTICE = statement(
    "supervision.notice_overdue",
    """
    MATCH (r:Rectification)
    WHERE r.status IN $running AND r.escalationLevel = 1 AND r.noticeDueDate < $today
    SET r.escalationLevel = 2, r.noticedAt = $now, r.escalatedAt = $now
    WITH r
    """
    + _escalation_step("noticed", "noticeTo"),
    Mode.WRITE,
    params=("running", "today", "now", "action", "note", "actorRole", "source"),
    sample={
        "running": ["none"],
        "today": "2026-01-01",
        "now": 0,
        "action": "noticed",
        "note": "x",
        "actorRole": "system",
        "source": "test",
    },
)
