"""The read catalog: what each label's lists may filter, sort and group by, and its relationships.

From these specs :mod:`graph.listing` generates the statements the GraphQL
layer runs. Sort keys are properties every node of the label has (keyset
pagination cannot resume from a null).
"""

from __future__ import annotations

from graph.listing import Catalog, Filter, Kind, ListSpec, Predicate, RelSpec

_KINDS: dict[str, Kind] = {
    "text": "text",
    "key": "key",
    "date": "date",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "list": "list",
}


def _f(spec: str) -> tuple[Filter, ...]:
    """``"name:text age:int"`` → filters."""
    return tuple(
        Filter(prop, _KINDS[kind]) for prop, kind in (item.split(":") for item in spec.split())
    )


TOWN_OF_VILLAGE = "substring(n.villageCode, 0, 9)"


def _care(path: str) -> tuple[Predicate, ...]:
    """The row scope of a director: what concerns the children paired with them.

    ``path`` leads from the row ``n`` to the child; ``(:Director {id: $value})``
    is the reader's own director node.
    """
    return (Predicate("careOf", f"{path}<-[:PAIRED_WITH]-(:Director {{id: $value}})"),)


#: The row scope of a director over their own records (exam results, assessments).
OWN = (Predicate("ownBy", "(n)-[:OF]->(:Director {id: $value})"),)
#: Feedback about a director is sealed from them (and so from any reader who is
#: that director): bound for every reader who is a person of the program.
NOT_ABOUT_ME = (Predicate("notAbout", "NOT (n)-[:ABOUT]->(:Director {id: $value})"),)

SPECS: dict[str, ListSpec] = {
    s.label: s
    for s in (
        ListSpec("County", sorts=("code",), filters=_f("code:key name:text"), region="code"),
        ListSpec(
            "Town", sorts=("code", "name"), filters=_f("code:key name:text kind:key"), region="code"
        ),
        ListSpec(
            "Village",
            sorts=("code", "name"),
            filters=_f("code:key name:text kind:key townCode:key"),
            region="code",
            groups={"town": "n.townCode", "kind": "n.kind"},
        ),
        ListSpec(
            "Grid",
            sorts=("code",),
            filters=_f("code:key name:text villageCode:key"),
            region="villageCode",
        ),
        ListSpec("ProtectionCenter", sorts=("name",), filters=_f("name:text")),
        ListSpec(
            "Station",
            sorts=("townCode", "name"),
            filters=_f(
                "name:text townCode:key fourHaves:bool hasVenue:bool hasTeam:bool "
                "hasRules:bool hasServices:bool staffCount:int"
            ),
            region="townCode",
            groups={"fourHaves": "n.fourHaves"},
        ),
        ListSpec(
            "Facility",
            sorts=("villageCode", "name"),
            filters=_f("name:text kind:key villageCode:key"),
            region="villageCode",
            groups={"town": TOWN_OF_VILLAGE, "kind": "n.kind"},
        ),
        ListSpec(
            "StationInspection",
            sorts=("inspectedAt",),
            filters=_f(
                "inspectedAt:int fourHaves:bool hasVenue:bool hasTeam:bool hasRules:bool "
                "hasServices:bool townCode:key month:key quarter:key"
            ),
            region="townCode",
            groups={"town": "n.townCode", "fourHaves": "n.fourHaves", "quarter": "n.quarter"},
        ),
        ListSpec(
            "FacilityInspection",
            sorts=("inspectedAt",),
            filters=_f("inspectedAt:int operating:bool villageCode:key month:key quarter:key"),
            region="villageCode",
            groups={"town": TOWN_OF_VILLAGE, "quarter": "n.quarter"},
        ),
        ListSpec(
            "Director",
            sorts=("name", "villageCode", "appointedDate"),
            filters=_f(
                "name:text gender:key status:key education:key "
                "socialWorkQualification:bool villageCode:key appointedDate:date"
            ),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "status": "n.status",
                "qualified": "n.socialWorkQualification",
            },
        ),
        ListSpec(
            "Supervisor",
            sorts=("townCode", "name"),
            filters=_f("name:text townCode:key"),
            region="townCode",
        ),
        ListSpec("SocialWorker", sorts=("name",), filters=_f("name:text profession:key")),
        ListSpec(
            "Volunteer",
            sorts=("name", "registeredDate"),
            filters=_f("name:text skills:list backgroundCheck:key backgroundCheckDate:date"),
        ),
        ListSpec(
            "BackgroundCheck",
            sorts=("checkedDate",),
            filters=_f("status:key checkedDate:date"),
            groups={"status": "n.status"},
        ),
        ListSpec(
            "Commissioner", sorts=("name",), filters=_f("name:text body:key regionCodes:list")
        ),
        ListSpec(
            "Child",
            sorts=("enrolledDate", "name", "birthDate"),
            filters=_f(
                "name:text gender:key birthDate:date primaryCategory:key "
                "categories:list riskLevel:key foundBy:key status:key "
                "schoolStatus:key villageCode:key enrolledDate:date"
            ),
            predicates=(
                Predicate(
                    "noVisitSince",
                    "none(t IN $bound WHERE t >= $value)",
                    bind="[(n)<-[:OF]-(v:Visit) | v.startedAt]",
                ),
                Predicate("pairedWith", "(n)<-[:PAIRED_WITH]-(:Director {id: $value})"),
            ),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "village": "n.villageCode",
                "category": "n.primaryCategory",
                "foundBy": "n.foundBy",
                "riskLevel": "n.riskLevel",
            },
            scopes=_care("(n)"),
            grantable=True,
        ),
        ListSpec(
            "Guardian",
            sorts=("id",),
            filters=_f("relation:key whereabouts:key"),
            region="villageCode",
            scopes=_care("(n)-[:GUARDIAN_OF]->(:Child)"),
        ),
        ListSpec(
            "Visit",
            sorts=("startedAt",),
            filters=_f(
                "startedAt:int mode:key villageCode:key month:key quarter:key flagged:bool "
                "validityScore:int"
            ),
            predicates=(
                Predicate("child", "(n)-[:OF]->(:Child {id: $value})"),
                Predicate("director", "(n)-[:BY]->(:Director {id: $value})"),
                Predicate(
                    "reviewed",
                    "(size($bound) > 0) = $value",
                    bind="[(n)<-[:OF]-(r:VisitReview) | r.id]",
                ),
            ),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "village": "n.villageCode",
                "month": "n.month",
                "quarter": "n.quarter",
                "mode": "n.mode",
                "flagged": "n.flagged",
            },
            scopes=_care("(n)-[:OF]->(:Child)"),
        ),
        ListSpec(
            "VisitReview",
            sorts=("reviewedAt",),
            filters=_f("decision:key reviewedAt:int"),
            region="villageCode",
            scopes=_care("(n)-[:OF]->(:Visit)-[:OF]->(:Child)"),
        ),
        ListSpec(
            "Photo",
            sorts=("uploadedAt",),
            filters=_f("sha256:key"),
            region="villageCode",
            scopes=_care("(n)<-[:HAS_PHOTO]-(:Visit)-[:OF]->(:Child)"),
        ),
        ListSpec(
            "Assignment",
            sorts=("at",),
            filters=_f("action:key at:int directorId:key childId:key villageCode:key"),
            region="villageCode",
            groups={"town": TOWN_OF_VILLAGE, "action": "n.action"},
            scopes=_care("(n)-[:FOR]->(:Child)"),
        ),
        ListSpec(
            "CategoryChange",
            sorts=("changedAt",),
            filters=_f("changedAt:int primaryCategory:key"),
            region="villageCode",
            scopes=_care("(n)-[:OF]->(:Child)"),
        ),
        ListSpec(
            "ReportStep",
            sorts=("at",),
            filters=_f("action:key at:int"),
            region="villageCode",
            scopes=_care("(n)-[:ON]->(:MandatoryReport)-[:ABOUT]->(:Child)"),
        ),
        ListSpec(
            "OnCallShift",
            sorts=("startsAt",),
            filters=_f("startsAt:int endsAt:int role:key name:text"),
            region="regionCode",
        ),
        ListSpec(
            "Screening",
            sorts=("screenedAt",),
            filters=_f(
                "screenedAt:int outcome:key signals:list ruleVersion:key month:key quarter:key"
            ),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "outcome": "n.outcome",
                "month": "n.month",
                "quarter": "n.quarter",
            },
            # A director's: about their children, or assigned to them to verify.
            scopes=(
                Predicate(
                    "careOf",
                    "((n)-[:OF]->(:Child)<-[:PAIRED_WITH]-(:Director {id: $value}) "
                    "OR (n)-[:ASSIGNED_TO]->(:Director {id: $value}))",
                ),
            ),
        ),
        ListSpec(
            "MandatoryReport",
            sorts=("reportedAt",),
            filters=_f(
                "reportedAt:int situation:key status:key reporterRole:key month:key quarter:key"
            ),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "situation": "n.situation",
                "status": "n.status",
                "month": "n.month",
                "quarter": "n.quarter",
            },
            scopes=_care("(n)-[:ABOUT]->(:Child)"),
        ),
        ListSpec(
            "Service",
            sorts=("deliveredAt",),
            filters=_f("deliveredAt:int kind:key personTimes:int month:key quarter:key"),
            region="villageCode",
            groups={
                "town": TOWN_OF_VILLAGE,
                "kind": "n.kind",
                "month": "n.month",
                "quarter": "n.quarter",
            },
            sums=("personTimes",),
            scopes=_care("(n)-[:FOR]->(:Child)"),
        ),
        ListSpec(
            "VolunteerTeam",
            sorts=("name",),
            filters=_f("name:text villageCode:key"),
            region="villageCode",
        ),
        ListSpec("Organization", sorts=("name",), filters=_f("name:text kind:key creditCode:text")),
        ListSpec(
            "Project",
            sorts=("name", "startDate"),
            filters=_f("name:text status:key startDate:date endDate:date budget:int"),
            groups={"status": "n.status"},
            sums=("budget",),
        ),
        ListSpec(
            "Training",
            sorts=("date", "title"),
            filters=_f("title:text topic:key date:date trainer:text round:int regionCode:key"),
            groups={"topic": "n.topic", "round": "n.round"},
        ),
        ListSpec("Exam", sorts=("date",), filters=_f("title:text date:date topic:key")),
        ListSpec(
            "Question",
            sorts=("createdAt",),
            filters=_f("topic:key difficulty:int text:text createdAt:int"),
            groups={"topic": "n.topic"},
        ),
        ListSpec(
            "ExamResult",
            sorts=("takenAt",),
            filters=_f("score:float passed:bool takenAt:int topic:key villageCode:key"),
            region="villageCode",
            groups={"topic": "n.topic", "town": TOWN_OF_VILLAGE},
            scopes=OWN,
        ),
        ListSpec(
            "Assessment",
            sorts=("period", "total", "regionCode"),
            filters=_f("period:key tier:key total:float formulaVersion:key subject:key"),
            region="regionCode",
            groups={
                "period": "n.period",
                "tier": "n.tier",
                "town": "substring(n.regionCode, 0, 9)",
            },
            scopes=OWN,
        ),
        ListSpec(
            "AssessmentAppeal",
            sorts=("appealedAt",),
            filters=_f("status:key outcome:key period:key appealedAt:int"),
            region="regionCode",
            # A director's own: appeals of their assessments.
            scopes=(
                Predicate("ownBy", "(n)-[:OF]->(:Assessment)-[:OF]->(:Director {id: $value})"),
            ),
        ),
        ListSpec(
            "SupervisionTask",
            sorts=("issuedDate", "dueDate"),
            filters=_f("title:text period:key status:key issuedDate:date dueDate:date origin:key"),
            predicates=(Predicate("raisedBy", "(n)-[:RAISED_BY]->(:Commissioner {id: $value})"),),
            region="regionCode",
            groups={
                "status": "n.status",
                "period": "n.period",
                "town": "substring(n.regionCode, 0, 9)",
            },
        ),
        ListSpec(
            "LedgerEntry",
            sorts=("foundDate",),
            filters=_f(
                "category:key severity:key foundDate:date problem:text month:key quarter:key"
            ),
            region="regionCode",
            groups={
                "category": "n.category",
                "severity": "n.severity",
                "quarter": "n.quarter",
                "town": "substring(n.regionCode, 0, 9)",
            },
            # A director's own: entries about their work, or whose rectification is theirs.
            scopes=(
                Predicate(
                    "ownBy",
                    "((n)-[:CONCERNS]->(:Director {id: $value}) "
                    "OR (n)<-[:RESOLVES]-(:Rectification {assigneeId: $value}))",
                ),
            ),
        ),
        ListSpec(
            "Rectification",
            sorts=("deadline",),
            filters=_f(
                "status:key deadline:date completedDate:date assigneeRole:key "
                "escalationLevel:int recheckDate:date"
            ),
            region="regionCode",
            groups={"status": "n.status", "town": "substring(n.regionCode, 0, 9)"},
            # A director's own: the rectifications they must carry out.
            scopes=(Predicate("ownBy", "n.assigneeId = $value"),),
        ),
        ListSpec(
            "RectificationStep",
            sorts=("at",),
            filters=_f("action:key at:int"),
            region="regionCode",
            scopes=(Predicate("ownBy", "(n)-[:ON]->(:Rectification {assigneeId: $value})"),),
        ),
        ListSpec(
            "Feedback",
            sorts=("submittedAt",),
            filters=_f(
                "kind:key submittedAt:int trackingRef:key month:key quarter:key status:key "
                "urgent:bool subjectKind:key assignedTo:key acceptDueDate:date "
                "replyDueDate:date rating:int"
            ),
            region="regionCode",
            groups={
                "kind": "n.kind",
                "month": "n.month",
                "quarter": "n.quarter",
                "town": "substring(n.regionCode, 0, 9)",
                "status": "n.status",
            },
            scopes=NOT_ABOUT_ME,
        ),
        ListSpec(
            "FeedbackStep",
            sorts=("at",),
            filters=_f("stage:key rating:int"),
            region="regionCode",
            scopes=(
                Predicate(
                    "notAbout",
                    "NOT (n)-[:ON]->(:Feedback)-[:ABOUT]->(:Director {id: $value})",
                ),
            ),
        ),
        ListSpec(
            "AccessEvent",
            sorts=("seq",),
            filters=_f(
                "seq:int at:int principal:key role:key clientId:key purpose:key "
                "requestId:key breakGlass:bool"
            ),
            predicates=(Predicate("child", "('Child:' + $value) IN n.records"),),
        ),
        ListSpec(
            "SyncReject",
            sorts=("at",),
            filters=_f("runId:key sourceName:key stream:key at:int reason:text"),
        ),
        ListSpec(
            "MatchReview",
            sorts=("createdAt",),
            filters=_f("status:key label:key sourceName:key createdAt:int confidence:float"),
        ),
        ListSpec(
            "SyncRun",
            sorts=("startedAt",),
            filters=_f("sourceName:key stream:key status:key startedAt:int"),
        ),
    )
}


def _rel(name: str, parent: str, type_: str, child: str, outgoing: bool) -> RelSpec:
    # Field names say the cardinality: plural fields are connections, singular
    # ones a single node (``Visit.child``) or null.
    field = name.split(".", 1)[1]
    many = field == "children" or field.endswith("s")
    return RelSpec(name, parent, type_, child, outgoing, many=many)


RELATIONS: dict[str, RelSpec] = {
    r.name: r
    for r in (
        _rel("Town.county", "Town", "PART_OF", "County", True),
        _rel("County.towns", "County", "PART_OF", "Town", False),
        _rel("Town.villages", "Town", "PART_OF", "Village", False),
        _rel("Town.stations", "Town", "SERVES", "Station", False),
        _rel("Town.supervisors", "Town", "SUPERVISES", "Supervisor", False),
        _rel("Town.commissioners", "Town", "OVERSEES", "Commissioner", False),
        _rel("Village.town", "Village", "PART_OF", "Town", True),
        _rel("Village.grids", "Village", "PART_OF", "Grid", False),
        _rel("Village.directors", "Village", "ASSIGNED_TO", "Director", False),
        _rel("Village.facilities", "Village", "LOCATED_IN", "Facility", False),
        _rel("Village.children", "Village", "LIVES_IN", "Child", False),
        _rel("Grid.village", "Grid", "PART_OF", "Village", True),
        _rel("Grid.directors", "Grid", "ASSIGNED_TO", "Director", False),
        _rel("Station.town", "Station", "SERVES", "Town", True),
        _rel("Station.center", "Station", "GUIDED_BY", "ProtectionCenter", True),
        _rel("Station.services", "Station", "AT", "Service", False),
        _rel("Facility.village", "Facility", "LOCATED_IN", "Village", True),
        _rel("Station.inspections", "Station", "OF", "StationInspection", False),
        _rel("StationInspection.station", "StationInspection", "OF", "Station", True),
        _rel("Facility.inspections", "Facility", "OF", "FacilityInspection", False),
        _rel("FacilityInspection.facility", "FacilityInspection", "OF", "Facility", True),
        _rel("Director.villages", "Director", "ASSIGNED_TO", "Village", True),
        _rel("Director.grids", "Director", "ASSIGNED_TO", "Grid", True),
        _rel("Director.children", "Director", "PAIRED_WITH", "Child", True),
        _rel("Director.visits", "Director", "BY", "Visit", False),
        _rel("Director.teams", "Director", "LED_BY", "VolunteerTeam", False),
        _rel("Director.trainings", "Director", "ATTENDED", "Training", True),
        _rel("Director.examResults", "Director", "OF", "ExamResult", False),
        _rel("Director.assessments", "Director", "OF", "Assessment", False),
        _rel("Director.mandatoryReports", "Director", "REPORTED_BY", "MandatoryReport", False),
        _rel("Director.projects", "Director", "ENROLS", "Project", False),
        _rel("Supervisor.towns", "Supervisor", "SUPERVISES", "Town", True),
        _rel("Supervisor.supervisionTasks", "Supervisor", "ASSIGNED_TO", "SupervisionTask", False),
        _rel("Supervisor.assessments", "Supervisor", "OF", "Assessment", False),
        _rel("Child.village", "Child", "LIVES_IN", "Village", True),
        _rel("Child.directors", "Child", "PAIRED_WITH", "Director", False),
        _rel("Child.guardians", "Child", "GUARDIAN_OF", "Guardian", False),
        _rel("Child.visits", "Child", "OF", "Visit", False),
        _rel("Child.screenings", "Child", "OF", "Screening", False),
        _rel("Child.mandatoryReports", "Child", "ABOUT", "MandatoryReport", False),
        _rel("Child.services", "Child", "FOR", "Service", False),
        _rel("Guardian.children", "Guardian", "GUARDIAN_OF", "Child", True),
        _rel("Visit.child", "Visit", "OF", "Child", True),
        _rel("Visit.director", "Visit", "BY", "Director", True),
        _rel("Screening.child", "Screening", "OF", "Child", True),
        _rel("MandatoryReport.child", "MandatoryReport", "ABOUT", "Child", True),
        _rel("MandatoryReport.reporter", "MandatoryReport", "REPORTED_BY", "Director", True),
        _rel("Service.child", "Service", "FOR", "Child", True),
        _rel("Service.director", "Service", "DELIVERED_BY", "Director", True),
        _rel("Service.socialWorker", "Service", "DELIVERED_BY", "SocialWorker", True),
        _rel("Service.volunteer", "Service", "DELIVERED_BY", "Volunteer", True),
        _rel("Service.project", "Service", "UNDER", "Project", True),
        _rel("Service.station", "Service", "AT", "Station", True),
        _rel("Visit.reviews", "Visit", "OF", "VisitReview", False),
        _rel("VisitReview.visit", "VisitReview", "OF", "Visit", True),
        _rel("VisitReview.supervisor", "VisitReview", "BY", "Supervisor", True),
        _rel("Screening.director", "Screening", "ASSIGNED_TO", "Director", True),
        _rel("Director.screenings", "Director", "ASSIGNED_TO", "Screening", False),
        _rel("MandatoryReport.steps", "MandatoryReport", "ON", "ReportStep", False),
        _rel("ReportStep.report", "ReportStep", "ON", "MandatoryReport", True),
        _rel("Child.assignments", "Child", "FOR", "Assignment", False),
        _rel("Child.categoryChanges", "Child", "OF", "CategoryChange", False),
        _rel("Assignment.child", "Assignment", "FOR", "Child", True),
        _rel("Assignment.director", "Assignment", "TO", "Director", True),
        _rel("Director.assignments", "Director", "TO", "Assignment", False),
        _rel("CategoryChange.child", "CategoryChange", "OF", "Child", True),
        _rel("VolunteerTeam.leader", "VolunteerTeam", "LED_BY", "Director", True),
        _rel("VolunteerTeam.socialWorkers", "VolunteerTeam", "MEMBER_OF", "SocialWorker", False),
        _rel("VolunteerTeam.volunteers", "VolunteerTeam", "MEMBER_OF", "Volunteer", False),
        _rel("Volunteer.teams", "Volunteer", "MEMBER_OF", "VolunteerTeam", True),
        _rel("Volunteer.backgroundChecks", "Volunteer", "OF", "BackgroundCheck", False),
        _rel("BackgroundCheck.volunteer", "BackgroundCheck", "OF", "Volunteer", True),
        _rel("Director.team", "Director", "LED_BY", "VolunteerTeam", False),
        _rel("SocialWorker.teams", "SocialWorker", "MEMBER_OF", "VolunteerTeam", True),
        _rel("SocialWorker.organization", "SocialWorker", "WORKS_FOR", "Organization", True),
        _rel("Organization.projects", "Organization", "RUN_BY", "Project", False),
        _rel("Organization.socialWorkers", "Organization", "WORKS_FOR", "SocialWorker", False),
        _rel("Project.organization", "Project", "RUN_BY", "Organization", True),
        _rel("Project.towns", "Project", "COVERS", "Town", True),
        _rel("Project.directors", "Project", "ENROLS", "Director", True),
        _rel("Project.services", "Project", "UNDER", "Service", False),
        _rel("Training.attendees", "Training", "ATTENDED", "Director", False),
        _rel("Training.exams", "Training", "FOR", "Exam", False),
        _rel("Exam.training", "Exam", "FOR", "Training", True),
        _rel("Exam.results", "Exam", "FOR", "ExamResult", False),
        _rel("Exam.questions", "Exam", "INCLUDES", "Question", True),
        _rel("ExamResult.exam", "ExamResult", "FOR", "Exam", True),
        _rel("ExamResult.director", "ExamResult", "OF", "Director", True),
        _rel("Assessment.director", "Assessment", "OF", "Director", True),
        _rel("Assessment.supervisor", "Assessment", "OF", "Supervisor", True),
        _rel("Assessment.appeals", "Assessment", "OF", "AssessmentAppeal", False),
        _rel("AssessmentAppeal.assessment", "AssessmentAppeal", "OF", "Assessment", True),
        _rel("SupervisionTask.supervisor", "SupervisionTask", "ASSIGNED_TO", "Supervisor", True),
        _rel("SupervisionTask.town", "SupervisionTask", "CONCERNS", "Town", True),
        _rel("SupervisionTask.ledgerEntries", "SupervisionTask", "UNDER", "LedgerEntry", False),
        _rel("LedgerEntry.task", "LedgerEntry", "UNDER", "SupervisionTask", True),
        _rel("LedgerEntry.village", "LedgerEntry", "CONCERNS", "Village", True),
        _rel("LedgerEntry.station", "LedgerEntry", "CONCERNS", "Station", True),
        _rel("LedgerEntry.director", "LedgerEntry", "CONCERNS", "Director", True),
        _rel("LedgerEntry.recordedBy", "LedgerEntry", "RECORDED_BY", "Supervisor", True),
        _rel("LedgerEntry.rectifications", "LedgerEntry", "RESOLVES", "Rectification", False),
        _rel("Rectification.ledgerEntry", "Rectification", "RESOLVES", "LedgerEntry", True),
        _rel("Rectification.steps", "Rectification", "ON", "RectificationStep", False),
        _rel("RectificationStep.rectification", "RectificationStep", "ON", "Rectification", True),
        _rel("SupervisionTask.towns", "SupervisionTask", "CONCERNS", "Town", True),
        _rel("SupervisionTask.parent", "SupervisionTask", "PART_OF", "SupervisionTask", True),
        _rel("SupervisionTask.subTasks", "SupervisionTask", "PART_OF", "SupervisionTask", False),
        _rel("SupervisionTask.raisedBy", "SupervisionTask", "RAISED_BY", "Commissioner", True),
        _rel("Commissioner.raisedTasks", "Commissioner", "RAISED_BY", "SupervisionTask", False),
        _rel("Commissioner.towns", "Commissioner", "OVERSEES", "Town", True),
        _rel("Feedback.steps", "Feedback", "ON", "FeedbackStep", False),
        _rel("Feedback.town", "Feedback", "ABOUT", "Town", True),
        _rel("Feedback.village", "Feedback", "ABOUT", "Village", True),
        _rel("Feedback.station", "Feedback", "ABOUT", "Station", True),
        _rel("Feedback.facility", "Feedback", "ABOUT", "Facility", True),
        _rel("Feedback.director", "Feedback", "ABOUT", "Director", True),
        _rel("Feedback.directors", "Feedback", "ABOUT", "Director", True),
        _rel("FeedbackStep.feedback", "FeedbackStep", "ON", "Feedback", True),
        _rel("Feedback.mandatoryReport", "Feedback", "REPORTED_AS", "MandatoryReport", True),
    )
}

CATALOG = Catalog()
for _spec in SPECS.values():
    CATALOG.add_list(_spec)
for _rel_spec in RELATIONS.values():
    CATALOG.add_rel(_rel_spec)

__all__ = ["CATALOG", "RELATIONS", "SPECS"]
