"""The program's graph model: node labels, relationship types, keys.

This module is the allow-list: a label, relationship type or property name may
appear in Cypher text only if it is declared here. Every node has a unique
string key ``id``. Nodes of an *event* type (visits, screenings, reports,
services, assessments, ledger entries, feedback, exam results) are immutable
once written: their upsert statement only sets properties on creation, and a
correction is a new node with ``recordId`` shared with, ``version`` one above,
and a ``SUPERSEDES`` relationship to the node it replaces.

Events also store where and when they belong for statistics: ``villageCode``
(or ``regionCode``: a division code, matched by prefix for a region's subtree)
and ``month``/``quarter`` in China Standard Time (:func:`period_of`).

Conventions for property values (both engines accept them): strings, integers,
floats, booleans and lists of those; no maps. Instants are epoch-millisecond
integers (``…At``), calendar dates ISO strings (``…Date``, ``YYYY-MM-DD``).
Provenance: ``source`` (system name), ``sourceKey`` (record key there) and
``seenAt`` (epoch ms) on every node and relationship that a sync writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

PROVENANCE: tuple[str, ...] = ("source", "sourceKey", "seenAt", "conflicts")
EVENT_VERSIONING: tuple[str, ...] = ("recordId", "version", "recordedAt", "supersededAt")


@dataclass(frozen=True)
class NodeType:
    """A node label with its properties; ``sensitive`` marks a child's personal data."""

    label: str
    description: str
    properties: tuple[str, ...]
    event: bool = False
    sensitive: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()

    @property
    def all_properties(self) -> tuple[str, ...]:
        extra = EVENT_VERSIONING if self.event else ()
        return ("id", *self.properties, *extra, *PROVENANCE)


@dataclass(frozen=True)
class RelType:
    """A relationship type between two labels (a type may join several pairs)."""

    type: str
    start: str
    end: str
    description: str
    properties: tuple[str, ...] = ()


def _n(
    label: str,
    description: str,
    props: str,
    *,
    event: bool = False,
    sensitive: str = "",
    indexed: str = "",
) -> NodeType:
    return NodeType(
        label=label,
        description=description,
        properties=tuple(props.split()),
        event=event,
        sensitive=tuple(sensitive.split()),
        indexed=tuple(indexed.split()),
    )


NODE_TYPES: tuple[NodeType, ...] = (
    # Regions: statistical division codes; a code's prefix is its ancestors' codes.
    _n("County", "County-level city (县级市)", "code name"),
    _n("Town", "Town or sub-district (乡镇/街道)", "code name kind countyCode", indexed="code"),
    _n(
        "Village",
        "Village or community committee (村/居委会)",
        "code name kind townCode",
        indexed="code townCode",
    ),
    _n(
        "Grid",
        "Service grid inside a village (网格)",
        "code name villageCode",
        indexed="villageCode",
    ),
    # Places
    _n(
        "ProtectionCenter",
        "City minor-protection center (市未成年人保护中心)",
        "name address phone openedDate",
    ),
    _n(
        "Station",
        "Town minor-protection station (未保站) with the four-haves (四有)",
        "name townCode address phone hasVenue hasTeam hasRules hasServices fourHaves "
        "openedDate staffCount areaSqm inspectedAt",
        indexed="townCode",
    ),
    _n(
        "StationInspection",
        "An inspection of a station's four-haves, with evidence; the latest sets the station's",
        "hasVenue hasTeam hasRules hasServices fourHaves evidence note inspectedAt inspector "
        "inspectorRole townCode month quarter",
        event=True,
    ),
    _n(
        "Facility",
        "Village-level protection facility (未成年人保护设施)",
        "name villageCode kind openedDate areaSqm operating inspectedAt",
        indexed="villageCode",
    ),
    _n(
        "FacilityInspection",
        "An inspection of a village facility: in operation or not, with evidence",
        "operating evidence note inspectedAt inspector inspectorRole villageCode month quarter",
        event=True,
    ),
    # People
    _n(
        "Child",
        "Child in the program's care",
        "name gender birthDate idNumber categories primaryCategory address homeLat homeLng "
        "healthNotes disability schoolStatus riskLevel foundBy enrolledDate status villageCode",
        sensitive="name birthDate idNumber address homeLat homeLng healthNotes disability",
        indexed="villageCode primaryCategory status idNumber birthDate",
    ),
    _n(
        "Guardian",
        "A child's guardian",
        "name relation phone idNumber whereabouts villageCode",
        sensitive="name phone idNumber whereabouts",
    ),
    _n(
        "Director",
        "Children's director (儿童主任)",
        "name gender birthDate phone idNumber education socialWorkQualification appointedDate "
        "status villageCode",
        indexed="villageCode status",
    ),
    _n(
        "Supervisor",
        "Children's supervisor (儿童督导员), one per town",
        "name gender phone idNumber townCode appointedDate",
        indexed="townCode",
    ),
    _n(
        "SocialWorker",
        "Professional in a 1+X+N team (social worker, psychologist, lawyer)",
        "name gender phone profession qualification",
    ),
    _n(
        "Volunteer",
        "Volunteer (N in 1+X+N); serviceHours as the volunteer platform reports it",
        "name gender phone skills availability backgroundCheck backgroundCheckDate "
        "registeredDate serviceHours lat lng",
    ),
    _n(
        "BackgroundCheck",
        "A volunteer's background check (从业禁止/性侵害违法犯罪信息查询), as recorded",
        "status checkedDate note checkedBy",
        event=True,
        # Why someone was flagged is about a criminal record: center admins only.
        sensitive="note",
    ),
    _n(
        "Commissioner",
        "Child-rights oversight commissioner (NPC deputy or CPPCC member)",
        "name body title appointedDate regionCodes",
    ),
    _n(
        "User",
        "Staff or commissioner account",
        "username role displayName regionCodes purposes personId disabled passwordHash "
        "totpSecret failedLogins lockedUntil createdAt passwordChangedAt",
        indexed="username",
    ),
    _n(
        "Client",
        "OAuth 2.0 client of a partner agency and its data-sharing agreement",
        "clientId name agency secretHash regionCodes purposes scopes types fields trustedOnly "
        "disabled createdAt secretRotatedAt",
        indexed="clientId",
    ),
    # Organisations and work
    _n("Organization", "Social organisation or agency", "name kind creditCode phone address"),
    _n(
        "Project",
        "Government-purchased service project (政府购买服务项目)",
        "name budget startDate endDate targetServices targetChildren targetPersonTimes status",
    ),
    _n("VolunteerTeam", "A 1+X+N team around a director", "name formedDate villageCode"),
    _n(
        "Training",
        "Training session for directors",
        "title topic date trainer hours location round regionCode",
    ),
    _n(
        "Exam",
        "Exam after training; questions drawn from the bank (INCLUDES)",
        "title date maxScore passScore topic questionCount regionCode",
    ),
    _n(
        "Question",
        "A question of the bank (题库): options and the answer key (never shown to directors)",
        "topic text options answer difficulty createdAt createdBy",
    ),
    # Events: immutable once recorded.
    _n(
        "ExamResult",
        "A director's exam result, scored against the exam's answer key",
        "score passed takenAt topic correctCount questionCount answers villageCode",
        event=True,
    ),
    _n(
        "Visit",
        "A director's visit to a child",
        "startedAt endedAt lat lng accuracy deviceTime photos mode findings riskObservations "
        "villageCode month quarter validityScore flagged validityReasons checkedAt "
        "correctionReason",
        event=True,
        sensitive="lat lng photos findings riskObservations",
        indexed="startedAt flagged",
    ),
    _n(
        "Photo",
        "A visit photo in the blob store, by content hash; EXIF time and place as read",
        "sha256 phash band0 band1 band2 band3 contentType size width height takenAt lat lng "
        "uploadedAt villageCode",
        sensitive="lat lng",
        # Near-duplicates share a band (see schema.media.photos.bands): one index each.
        indexed="sha256 band0 band1 band2 band3",
    ),
    _n(
        "VisitReview",
        "A supervisor's decision on a visit the evidence checks flagged",
        "decision note reviewedAt villageCode",
        event=True,
    ),
    _n(
        "Assignment",
        "A change of who looks after whom: assign, pair, unpair, handover (immutable log)",
        "action reason directorId childId villageCode gridId at actor operationId",
        event=True,
        indexed="childId directorId",
    ),
    _n(
        "CategoryChange",
        "A change of a child's categories, with why and by whom (immutable log)",
        "categories primaryCategory previous reason actor changedAt villageCode",
        event=True,
    ),
    _n(
        "Screening",
        "Screening of a suspected child in distress (疑似困境儿童排查)",
        "screenedAt signals ruleVersion rules outcome reasons category dueDate decidedAt "
        "decidedBy villageCode month quarter",
        event=True,
        # What signalled distress (a parent imprisoned, an illness) is personal data.
        sensitive="signals reasons",
        indexed="outcome",
    ),
    _n(
        "MandatoryReport",
        "Mandatory report (强制报告)",
        "reportedAt situation description reporterRole reporterName reporterContact status "
        "routedAt routedTo dueAt acknowledgedAt escalationLevel escalatedAt closedAt "
        "villageCode month quarter",
        event=True,
        sensitive="description reporterName reporterContact",
        indexed="status dueAt",
    ),
    _n(
        "ReportStep",
        "A follow-up step of a mandatory report (routed, acknowledged, escalated, closed…)",
        "action note at actorRole actorName villageCode",
        sensitive="actorName",
        event=True,
    ),
    _n(
        "OnCallShift",
        "A shift of the 24-hour crisis-intervention on-call roster",
        "startsAt endsAt name phone role userId regionCode",
        indexed="startsAt",
    ),
    _n(
        "Service",
        "Service delivered (救助帮扶, 危机干预, 心理疏导…)",
        "kind deliveredAt personTimes hours description villageCode month quarter",
        event=True,
        indexed="kind deliveredAt",
    ),
    _n(
        "Assessment",
        "Periodic assessment of a director or supervisor",
        "period examScore visitScore weightExam weightVisit total tier allowance explanation "
        "formulaVersion computedAt regionCode "
        # The engine's (schema.program.assessment_engine): who, each part with its
        # weight, score and the line naming its data, the money, and a hash of the
        # inputs (a rerun with unchanged inputs writes nothing).
        "subject subjectName villageName townName throughDate partKeys partWeights "
        "partScores parts bonus vocationalAllowance inputsHash appealId",
        event=True,
        indexed="period",
    ),
    _n(
        "AssessmentAppeal",
        "A director's (or supervisor's) appeal of an assessment and a center admin's decision",
        "reason status outcome note newTotal appealedAt decidedAt decidedBy appellantId "
        "appellantUser assessmentId correctedId period regionCode",
        event=True,
    ),
    _n(
        "SupervisionTask",
        "Key supervision task (重点监督任务); a commissioner's note becomes one (origin)",
        "title period issuedDate dueDate status regionCode origin note subjectId createdAt "
        "createdBy completedAt",
    ),
    _n(
        "LedgerEntry",
        "Supervision ledger entry (监督情况台账)",
        "problem category severity foundDate regionCode month quarter correctionReason",
        event=True,
    ),
    _n(
        "Rectification",
        "Rectification under follow-up (督促整改): deadline on working days, evidence, "
        "sign-off (销号) by another role, re-check, escalation (催办, 通报)",
        "deadline status evidence completedDate signedOffBy regionCode workingDays openedAt "
        "openedBy assigneeRole assigneeId assigneeName urgeTo noticeTo evidencePhoto "
        "submittedAt submittedBy submitterId submitterRole signedOffAt signerId signedOffRole "
        "signOffNote recheckDate recheckedAt recheckOutcome round escalationLevel escalatedAt "
        "urgedAt noticedAt noticeDueDate",
    ),
    _n(
        "RectificationStep",
        "A step of a rectification (opened, evidence, signed off, urged, noticed, re-checked)",
        "action note photo round at actorRole actorName regionCode",
        event=True,
    ),
    _n(
        "Feedback",
        "Feedback from the public; its workflow properties (status, deadlines, reply, "
        "rating, extension) change only with a FeedbackStep (see graph.queries.feedback)",
        "kind content submittedAt trackingRef anonymous regionCode month quarter "
        "subjectKind contactName contactPhone photoKey accessHash urgent status round "
        "acceptDueDate acceptedAt acceptedOnTime assignedTo assignedStation handledAt "
        "replyDueDate repliedAt repliedOnTime publicReply rating ratedAt closedAt reopenedAt "
        "extensionStatus extensionDays extensionReason extensionRequestedAt "
        "extensionRequestedBy extendedAt",
        event=True,
        indexed="trackingRef",
        # The complainant's identity is sealed: handling staff only. The access
        # code's hash is for no reader at all (only the status look-up checks it).
        sensitive="contactName contactPhone photoKey accessHash",
    ),
    _n(
        "FeedbackStep",
        "A step of handling a feedback (受理 转办 办理 答复 回访, extension, reopening)",
        "stage at actor actorRole note rating days regionCode",
        event=True,
    ),
    _n(
        "SyncRun",
        "One run of a connector stream",
        "sourceName stream startedAt finishedAt status read inserted updated unchanged rejected "
        "skipped cursorBefore cursorAfter errors",
        indexed="startedAt",
    ),
    _n(
        "SyncState",
        "A stream's bookmark: the cursor its next run starts from (inclusive)",
        "sourceName stream cursor runId savedAt",
    ),
    _n(
        "SyncReject",
        "A record a sync could not load: where it was and why",
        "runId sourceName stream location reason data at",
        indexed="runId",
        sensitive="data",  # the rejected row as read: it may hold a child's name or ID
    ),
    _n(
        "SourceRecord",
        "One source's version of a node: its values (JSON), key, hash and when last seen",
        "sourceName label entityId hash props location runId",
        indexed="entityId",
    ),
    _n(
        "MatchReview",
        "An uncertain identity match waiting for a person to decide (merge or keep apart)",
        "label sourceName entityId candidateId confidence reasons status "
        "createdAt decidedAt decidedBy history",
    ),
    # Access: tokens revoked before they expire, break-the-glass grants, the audit trail.
    _n("RevokedToken", "An access token revoked before its expiry", "jti expiresAt revokedAt"),
    _n(
        "AccessGrant",
        "Break-the-glass: a center admin's time-limited access to a record outside their scope",
        "userId username childId reason grantedAt expiresAt",
        indexed="userId",
    ),
    _n(
        "AccessEvent",
        "One request's reads of children's personal data (append-only, hash-chained)",
        "seq at principal role clientId purpose requestId records fields breakGlass prevHash hash",
        indexed="seq at",
    ),
    _n("Meta", "Facts about the graph itself (demo seed, scale)", "value"),
    _n("Migration", "A schema migration applied to this graph", "number name appliedAt"),
)


def _r(type_: str, start: str, end: str, description: str, props: str = "") -> RelType:
    return RelType(type_, start, end, description, tuple(props.split()))


REL_TYPES: tuple[RelType, ...] = (
    _r("PART_OF", "Town", "County", "region hierarchy"),
    _r("PART_OF", "Village", "Town", "region hierarchy"),
    _r("PART_OF", "Grid", "Village", "region hierarchy"),
    _r("SERVES", "ProtectionCenter", "County", "the center serves the city"),
    _r("SERVES", "Station", "Town", "a station serves its town"),
    _r("GUIDED_BY", "Station", "ProtectionCenter", "the center guides the stations"),
    _r("LOCATED_IN", "Facility", "Village", "a facility stands in a village"),
    _r("OF", "StationInspection", "Station", "the station inspected"),
    _r("OF", "FacilityInspection", "Facility", "the facility inspected"),
    _r("ASSIGNED_TO", "Director", "Village", "a director's area", "sinceDate"),
    _r("ASSIGNED_TO", "Director", "Grid", "a director's grid", "sinceDate"),
    _r("SUPERVISES", "Supervisor", "Town", "a supervisor's town"),
    _r("PAIRED_WITH", "Director", "Child", "结对关爱对象", "sinceDate"),
    _r("LIVES_IN", "Child", "Village", "a child's home village"),
    _r("GUARDIAN_OF", "Guardian", "Child", "guardianship", "relation"),
    _r("OF", "Visit", "Child", "the child visited"),
    _r("BY", "Visit", "Director", "the visiting director"),
    _r("OF", "Screening", "Child", "the child screened"),
    _r("ASSIGNED_TO", "Screening", "Director", "who must verify a screening flag"),
    _r("HAS_PHOTO", "Visit", "Photo", "a photo taken on the visit"),
    _r("OF", "VisitReview", "Visit", "the visit reviewed"),
    _r("BY", "VisitReview", "Supervisor", "the reviewing supervisor"),
    _r("FOR", "Assignment", "Child", "the child paired, unpaired or handed over"),
    _r("TO", "Assignment", "Director", "the director concerned"),
    _r("OF", "CategoryChange", "Child", "the child whose categories changed"),
    _r("ON", "ReportStep", "MandatoryReport", "a follow-up step of a mandatory report"),
    _r("ABOUT", "MandatoryReport", "Child", "the child reported about"),
    _r("REPORTED_BY", "MandatoryReport", "Director", "the reporting director"),
    _r("FOR", "Service", "Child", "the child served"),
    _r("DELIVERED_BY", "Service", "Director", "who delivered"),
    _r("DELIVERED_BY", "Service", "SocialWorker", "who delivered"),
    _r("DELIVERED_BY", "Service", "Volunteer", "who delivered"),
    _r("UNDER", "Service", "Project", "the purchased project it was delivered under"),
    _r("AT", "Service", "Station", "the station it was delivered at"),
    _r("LED_BY", "VolunteerTeam", "Director", "the 1 of 1+X+N"),
    _r("MEMBER_OF", "SocialWorker", "VolunteerTeam", "the X of 1+X+N", "role sinceDate"),
    _r("MEMBER_OF", "Volunteer", "VolunteerTeam", "the N of 1+X+N", "role sinceDate"),
    _r("OF", "BackgroundCheck", "Volunteer", "the volunteer checked"),
    _r("WORKS_FOR", "SocialWorker", "Organization", "employer"),
    _r("RUN_BY", "Project", "Organization", "the provider"),
    _r("ENROLS", "Project", "Director", "directors enrolled as project volunteers"),
    _r("COVERS", "Project", "Town", "towns a project serves"),
    _r("ATTENDED", "Director", "Training", "attendance"),
    _r("FOR", "Exam", "Training", "the training an exam closes"),
    _r("INCLUDES", "Exam", "Question", "a question of the exam, in order", "position"),
    _r("FOR", "ExamResult", "Exam", "the exam taken"),
    _r("OF", "ExamResult", "Director", "who took it"),
    _r("OF", "Assessment", "Director", "who is assessed"),
    _r("OF", "Assessment", "Supervisor", "who is assessed"),
    _r("OF", "AssessmentAppeal", "Assessment", "the assessment appealed"),
    _r("ASSIGNED_TO", "SupervisionTask", "Supervisor", "who carries the task"),
    _r("CONCERNS", "SupervisionTask", "Town", "where"),
    _r("UNDER", "LedgerEntry", "SupervisionTask", "the task it was found under"),
    _r("CONCERNS", "LedgerEntry", "Village", "where the problem was found"),
    _r("CONCERNS", "LedgerEntry", "Station", "where the problem was found"),
    _r("CONCERNS", "LedgerEntry", "Director", "whose work it concerns"),
    _r("RECORDED_BY", "LedgerEntry", "Supervisor", "who found it"),
    _r("RESOLVES", "Rectification", "LedgerEntry", "the problem it fixes"),
    _r("PART_OF", "SupervisionTask", "SupervisionTask", "a sub-task of a task"),
    _r("RAISED_BY", "SupervisionTask", "Commissioner", "the commissioner whose note it is"),
    _r("ON", "RectificationStep", "Rectification", "a step of a rectification"),
    _r("OVERSEES", "Commissioner", "Town", "a commissioner's jurisdiction"),
    _r("ABOUT", "Feedback", "Town", "subject"),
    _r("ABOUT", "Feedback", "Village", "subject"),
    _r("ABOUT", "Feedback", "Station", "subject"),
    _r("ABOUT", "Feedback", "Facility", "subject"),
    _r("ABOUT", "Feedback", "Director", "subject"),
    _r("ON", "FeedbackStep", "Feedback", "handling step of a feedback"),
    _r("REPORTED_AS", "Feedback", "MandatoryReport", "a danger disclosure's mandatory report"),
    *(
        _r("SUPERSEDES", label, label, "a correction replaces an earlier version")
        for label in (
            "ExamResult",
            "StationInspection",
            "FacilityInspection",
            "Visit",
            "Screening",
            "MandatoryReport",
            "Service",
            "Assessment",
            "AssessmentAppeal",
            "LedgerEntry",
            "Feedback",
            "FeedbackStep",
            "VisitReview",
            "Assignment",
            "CategoryChange",
            "ReportStep",
            "RectificationStep",
            "BackgroundCheck",
        )
    ),
)

NODES: dict[str, NodeType] = {t.label: t for t in NODE_TYPES}
_ALL_PROPS = {p for t in NODE_TYPES for p in t.all_properties}
#: Properties holding instants (epoch ms) and calendar dates (ISO strings).
INSTANTS: frozenset[str] = frozenset(
    {p for p in _ALL_PROPS if p.endswith("At")} | {"deviceTime", "at"}
)
DATES: frozenset[str] = frozenset(
    {p for p in _ALL_PROPS if p.endswith("Date")} | {"date", "deadline"}
)
LABELS: frozenset[str] = frozenset(NODES)
EVENT_LABELS: frozenset[str] = frozenset(t.label for t in NODE_TYPES if t.event)
RELS: dict[tuple[str, str, str], RelType] = {(r.start, r.type, r.end): r for r in REL_TYPES}


#: The program's calendar runs on China Standard Time (UTC+8, no daylight saving).
CST = timezone(timedelta(hours=8), "CST")


def period_of(epoch_ms: int) -> tuple[str, str]:
    """``(month, quarter)`` of an instant in China Standard Time: ``("2026-03", "2026Q1")``.

    Events store both at write time (they never change), because FalkorDB has no
    date functions to group by month in Cypher.
    """
    moment = datetime.fromtimestamp(epoch_ms / 1000, CST)
    return f"{moment.year:04d}-{moment.month:02d}", f"{moment.year:04d}Q{(moment.month + 2) // 3}"


def rel_key(start: str, type_: str, end: str) -> str:
    """The name under which a relationship's upsert statement is registered."""
    return f"{start}-{type_}->{end}"


def _check() -> None:
    for rel in REL_TYPES:
        for label in (rel.start, rel.end):
            if label not in NODES:  # pragma: no cover - guards edits of this module
                raise ValueError(f"relationship {rel} names unknown label {label}")
    for node in NODE_TYPES:
        if len(set(node.all_properties)) != len(node.all_properties):  # pragma: no cover
            raise ValueError(f"{node.label} declares a property twice")


_check()
