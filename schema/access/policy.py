"""The access policy: which rows, which fields and which statistics each reader may have.

One table per role (:data:`RULES`), read by one object per request
(:class:`Access`). Every path of the schema asks it: root lists, relationship
fields, ``node(id:)``, filters, sorts and statistics. Rows are limited in the
graph statement itself (the reader's regions, or a director's paired
children), so totals, pages and counts never include what the reader may not
see; personal fields are dropped from the projection when hidden, masked when
the role sees them only in part.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from graph.model import NODES
from graph.queries.catalog import SPECS
from schema.access.principal import Principal, Role
from schema.errors import BadArgument, Forbidden


class FieldMode(enum.Enum):
    FULL = "full"
    MASKED = "masked"
    HIDDEN = "hidden"


F, M, H = FieldMode.FULL, FieldMode.MASKED, FieldMode.HIDDEN

PLACES = frozenset({"County", "Town", "Village", "Grid", "ProtectionCenter", "Station", "Facility"})
#: People of the program whose names are public (village boards list the directors).
STAFF = frozenset({"Director", "Supervisor", "Commissioner"})
PROGRAM = frozenset(
    {
        "Organization",
        "Project",
        "Training",
        "Exam",
        "VolunteerTeam",
        "SocialWorker",
        "Volunteer",
        "OnCallShift",
    }
)
#: Records about a child: personal data lives here.
CHILD_DATA = frozenset(
    {
        "Child",
        "Guardian",
        "Visit",
        "Photo",
        "VisitReview",
        "Screening",
        "MandatoryReport",
        "ReportStep",
        "Service",
        "Assignment",
        "CategoryChange",
    }
)
PERFORMANCE = frozenset({"ExamResult", "Assessment", "AssessmentAppeal"})
#: Inspections of stations' four-haves and of facilities: supervision of the places.
INSPECTIONS = frozenset({"StationInspection", "FacilityInspection"})
SUPERVISION = (
    frozenset({"SupervisionTask", "LedgerEntry", "Rectification", "RectificationStep"})
    | INSPECTIONS
)
#: What a director may read of supervision: entries about their work and the
#: rectifications they must carry out (row scope ``ownBy`` in the catalog).
DOER = frozenset({"LedgerEntry", "Rectification", "RectificationStep"})
#: The question bank holds the answer key: for the staff who set exams, never directors.
BANK = frozenset({"Question"})
#: Volunteers' background checks: for the staff who manage teams, never directors or
#: partners (the note, which may tell of a criminal record, for center admins only).
VETTING = frozenset({"BackgroundCheck"})
FEEDBACK = frozenset({"Feedback", "FeedbackStep"})
SYSTEM = frozenset({"SyncRun", "SyncReject", "MatchReview"})
AUDIT = frozenset({"AccessEvent"})
EVERYTHING = (
    PLACES | STAFF | PROGRAM | CHILD_DATA | PERFORMANCE | SUPERVISION | FEEDBACK | SYSTEM | BANK
) | VETTING

#: Counts below this are shown as ``<5`` to aggregate-only readers.
SMALL_COUNT = 5

Scope = Literal["all", "regions", "care"]


@dataclass(frozen=True)
class RoleRules:
    """What one role may read.

    ``rows``: labels whose records it may list and open; ``aggregates``: labels
    whose statistics it may read; ``fields``: modes of personal fields (absent:
    hidden); ``scope``: how its rows are limited (``regions``: the reader's
    division codes; ``care``: a director's paired children and own records);
    ``aggregate_only``: statistics only, small counts suppressed.
    """

    rows: frozenset[str]
    aggregates: frozenset[str]
    fields: Mapping[str, Mapping[str, FieldMode]]
    scope: Scope = "regions"
    aggregate_only: bool = False


def _all(label: str, mode: FieldMode) -> dict[str, FieldMode]:
    return dict.fromkeys(NODES[label].sensitive, mode)


#: Personal fields a frontline worker needs to look after a child: everything,
#: the resident ID number masked, the home's exact position only for those who visit.
_CASEWORK: dict[str, dict[str, FieldMode]] = {
    "Child": {**_all("Child", F), "idNumber": M, "homeLat": H, "homeLng": H},
    "Guardian": {**_all("Guardian", F), "idNumber": M},
    "Visit": _all("Visit", F),
    "MandatoryReport": _all("MandatoryReport", F),
    "ReportStep": _all("ReportStep", F),
    "Screening": _all("Screening", F),
}
#: Who filed a mandatory report (and who acted on it) is for those who handle
#: reports (center, station) only: a reporter must not fear being named to the
#: people around the child.
REPORTER: Mapping[str, frozenset[str]] = {
    "MandatoryReport": frozenset({"reporterName", "reporterContact"}),
    "ReportStep": frozenset({"actorName"}),
}
_NO_REPORTER = {
    **_CASEWORK,
    **{
        label: {p: F for p in NODES[label].sensitive if p not in props}
        for label, props in REPORTER.items()
    },
}
#: A complainant's identity (and photo) is sealed to those who handle feedback:
#: center admins and the station staff of its region. Supervisors read their
#: town's feedback without it; directors read no feedback at all, and never
#: feedback about themselves (the ``notAbout`` row scope, see :meth:`Access.row_params`).
COMPLAINANT: dict[str, dict[str, FieldMode]] = {
    "Feedback": {"contactName": F, "contactPhone": F, "photoKey": F},
}
#: Relationship fields that reveal a protected field, as that field: a reader
#: follows them only if they see it in full, or if they are an end themselves.
REVEALING: Mapping[str, tuple[str, str]] = {
    "MandatoryReport.reporter": ("MandatoryReport", "reporterName"),
    "Director.mandatoryReports": ("MandatoryReport", "reporterName"),
}

RULES: dict[Role, RoleRules] = {
    Role.CENTER_ADMIN: RoleRules(
        rows=EVERYTHING,
        aggregates=EVERYTHING,
        fields={
            label: _all(label, F)
            for label in (
                "Child",
                "Guardian",
                "Visit",
                "MandatoryReport",
                "ReportStep",
                "Screening",
                "BackgroundCheck",
            )
        }
        | COMPLAINANT,
    ),
    Role.STATION_STAFF: RoleRules(
        rows=EVERYTHING - SYSTEM, aggregates=EVERYTHING, fields=_CASEWORK | COMPLAINANT
    ),
    Role.SUPERVISOR: RoleRules(
        rows=EVERYTHING - SYSTEM, aggregates=EVERYTHING, fields=_NO_REPORTER
    ),
    Role.DIRECTOR: RoleRules(
        rows=PLACES | STAFF | PROGRAM | CHILD_DATA | PERFORMANCE | DOER,
        # Statistics of their own children and records (the same row scope applies).
        aggregates=PLACES | STAFF | PROGRAM | CHILD_DATA | PERFORMANCE | DOER,
        fields={
            **_NO_REPORTER,
            "Child": {**_all("Child", F), "idNumber": M},  # they visit: the home's position too
        },
        scope="care",
    ),
    Role.COMMISSIONER: RoleRules(
        rows=PLACES | STAFF | PROGRAM - {"Volunteer", "SocialWorker"} | SUPERVISION,
        aggregates=EVERYTHING,
        fields={},
        aggregate_only=True,
    ),
    Role.AUDITOR: RoleRules(
        rows=PLACES | STAFF | SYSTEM | AUDIT,
        aggregates=EVERYTHING,
        fields={},
        scope="all",
        aggregate_only=True,
    ),
    Role.PUBLIC: RoleRules(
        rows=PLACES | {"Director", "Project", "Organization", "Training"},
        aggregates=EVERYTHING - SYSTEM,
        fields={},
        scope="all",
        aggregate_only=True,
    ),
}

#: A partner's agreement may grant any of these (never the audit trail, feedback
#: from the public or the system's own records).
PARTNER_GRANTABLE = PLACES | STAFF | PROGRAM | CHILD_DATA | PERFORMANCE | SUPERVISION


def mask_id_number(value: str) -> str:
    """``370481200901011234`` → ``370481********1234``: the region and the check digits."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


class Access:
    """The policy as it applies to one request's principal.

    It also notes every child's record whose personal data the request returns
    (:attr:`records`, :attr:`fields`): one audit event per request.
    """

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.rules = _rules_of(principal)
        self.records: set[str] = set()
        self.fields: set[str] = set()
        self.break_glass = False
        # Break-the-glass grants in force (child id → expiry), when known.
        self.grants: dict[str, int] | None = (
            dict(principal.grants) if principal.grants is not None else None
        )

    def policy_key(self) -> Hashable:
        """All the policy's answers depend on: readers with equal keys are treated alike."""
        p = self.principal
        grants = None if self.grants is None else tuple(sorted(self.grants))
        return (p.kind, p.role, p.regions, p.purposes, p.purpose, p.person_id, p.agreement, grants)

    # -- rows ------------------------------------------------------------------------
    @property
    def aggregate_only(self) -> bool:
        return self.rules.aggregate_only

    def can_read(self, label: str) -> bool:
        return label in self.rules.rows

    def require_rows(self, label: str, what: str) -> None:
        if label not in self.rules.rows:
            raise Forbidden(f"{what}: not available to this reader")

    def require_aggregates(self, label: str, what: str) -> None:
        if label not in self.rules.aggregates:
            raise Forbidden(f"{what}: not available to this reader")

    @property
    def needs_grants(self) -> bool:
        """Whether the break-the-glass grants must be loaded before reading children."""
        return self.principal.role is Role.CENTER_ADMIN and self.grants is None

    def row_params(self, label: str) -> dict[str, Any]:
        """The statement parameters that limit ``label``'s rows to this reader's."""
        spec = SPECS.get(label)
        if spec is None:
            return {}
        scope = self.rules.scope
        params: dict[str, Any] = {}
        # Feedback about a director never reaches that director, whatever else
        # their role may read: bound for every reader who is a person of the program.
        sealed = [p.param for p in spec.scopes if p.name == "notAbout"]
        if sealed and self.principal.person_id is not None:
            params[sealed[0]] = self.principal.person_id
        if scope == "care":
            care = [p for p in spec.scopes if p.name in ("careOf", "ownBy")]
            if care:
                params[care[0].param] = self.principal.person_id or "-"
                return params
            if label in CHILD_DATA | PERFORMANCE:  # pragma: no cover - guarded by the catalog
                raise Forbidden(f"{label}: not available to this reader")
            if label == "Grid" and spec.region is not None:
                params.update(self._regions())
            return params
        if scope == "regions" and spec.region is not None:
            params.update(self._regions())
            if spec.grantable and self.grants:
                params["granted"] = sorted(self.grants)
        return params

    def _regions(self) -> dict[str, Any]:
        regions = self.principal.regions
        if len(regions) == 1:
            return {"scopeOne": regions[0]}
        return {"scope": list(regions)}

    # -- fields ----------------------------------------------------------------------
    def field_mode(self, label: str, prop: str) -> FieldMode:
        if prop not in NODES[label].sensitive:
            return F
        return self._modes(label).get(prop, H)

    def hidden(self, label: str) -> frozenset[str]:
        """Personal properties of ``label`` this reader may not have at all."""
        return frozenset(p for p in NODES[label].sensitive if self.field_mode(label, p) is H)

    def _modes(self, label: str) -> Mapping[str, FieldMode]:
        agreement = self.principal.agreement
        if agreement is None:
            return self.rules.fields.get(label, {})
        if self.principal.purpose is None:
            return {}  # personal data only for a stated purpose of the agreement
        # No agreement names a reporter to an outside agency.
        withheld = REPORTER.get(label, frozenset())
        return {
            p: F
            for p in NODES[label].sensitive
            if p not in withheld and agreement.grants_field(label, p)
        }

    def may_follow(self, rel_name: str, *ends: str | None) -> bool:
        """Whether the reader may follow the relationship field ``rel_name`` between ``ends``.

        A field of :data:`REVEALING` is followed only by readers who see the
        field it reveals in full, or who are one of its ends (the director
        reading the reports they filed).
        """
        revealed = REVEALING.get(rel_name)
        if revealed is None or self.field_mode(*revealed) is F:
            return True
        me = self.principal.person_id
        return me is not None and me in ends

    def check_condition(self, label: str, prop: str, what: str) -> None:
        """Refuse filtering or sorting on a field the reader cannot see in full.

        Counts and orderings would reveal it (which children are called 王…).
        """
        if self.field_mode(label, prop) is not F:
            raise BadArgument(f"{what} on `{prop}` needs access to that personal data")

    def redact(self, label: str, row: dict[str, Any]) -> dict[str, Any]:
        """Mask or drop what the reader may not see; note what personal data is returned."""
        sensitive = NODES[label].sensitive
        if not sensitive:
            return row
        returned: list[str] = []
        for prop in sensitive:
            value = row.get(prop)
            if value is None:
                continue
            mode = self.field_mode(label, prop)
            if mode is H:
                row = {**row, prop: None}
                continue
            if mode is M:
                row = {**row, prop: mask_id_number(str(value))}
                returned.append(f"{label}.{prop}:masked")
                continue
            returned.append(f"{label}.{prop}")
        if returned:
            key = str(row["id"])
            self.records.add(f"{label}:{key}")
            self.fields.update(returned)
            if label == "Child" and self.grants and key in self.grants:
                self.break_glass = not self._in_regions(row)
        return row

    def _in_regions(self, row: dict[str, Any]) -> bool:
        return self.principal.covers(row.get("villageCode"))

    # -- statistics -----------------------------------------------------------------
    def suppress(self, count: int) -> bool:
        """Whether a count must be shown as ``<5`` to this reader."""
        return self.aggregate_only and count < SMALL_COUNT


def _rules_of(principal: Principal) -> RoleRules:
    agreement = principal.agreement
    if agreement is None:
        return RULES[principal.role]
    return _partner_rules(agreement.types)


@functools.cache
def _partner_rules(types: frozenset[str]) -> RoleRules:
    granted = frozenset(types) & PARTNER_GRANTABLE
    return RoleRules(rows=granted, aggregates=granted, fields={}, scope="regions")
