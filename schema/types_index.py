"""Every node type of the schema, imported once so the registry knows them all."""

from __future__ import annotations

from schema.audit.types import AccessEvent
from schema.care.types import (
    Assignment,
    CategoryChange,
    MandatoryReport,
    OnCallShift,
    ReportStep,
    Screening,
    Service,
    Visit,
    VisitReview,
)
from schema.children.types import Child, Guardian
from schema.oversight.types import (
    Feedback,
    FeedbackStep,
    LedgerEntry,
    Rectification,
    RectificationStep,
    SupervisionTask,
)
from schema.people.types import Commissioner, Director, SocialWorker, Supervisor, Volunteer
from schema.places.stations_types import FacilityInspection, StationInspection
from schema.places.types import Facility, ProtectionCenter, Station
from schema.program.assessment_types import Assessment, AssessmentAppeal
from schema.program.teams_types import BackgroundCheck
from schema.program.training_types import Question
from schema.program.types import (
    Exam,
    ExamResult,
    Organization,
    Project,
    Training,
    VolunteerTeam,
)
from schema.regions.types import County, Grid, Town, Village
from schema.sync.types import MatchReview, SyncReject, SyncRun

ALL_TYPES: list[type] = [
    County,
    Town,
    Village,
    Grid,
    ProtectionCenter,
    Station,
    StationInspection,
    Facility,
    FacilityInspection,
    Director,
    Supervisor,
    SocialWorker,
    Volunteer,
    BackgroundCheck,
    Commissioner,
    Child,
    Guardian,
    Visit,
    VisitReview,
    Assignment,
    CategoryChange,
    Screening,
    MandatoryReport,
    ReportStep,
    Service,
    OnCallShift,
    Organization,
    Project,
    VolunteerTeam,
    Training,
    Exam,
    Question,
    ExamResult,
    Assessment,
    AssessmentAppeal,
    SupervisionTask,
    LedgerEntry,
    Rectification,
    RectificationStep,
    Feedback,
    FeedbackStep,
    SyncRun,
    SyncReject,
    MatchReview,
    AccessEvent,
]
