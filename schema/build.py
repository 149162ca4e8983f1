"""Assembling the one schema from its domains."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache

from schema import types_index  # noqa: F401  (registers every node type)
from schema.access.audit import AuditExtension
from schema.audit.mutations import AuditMutations
from schema.audit.queries import AuditQueries
from schema.care.assignments import AssignmentMutations
from schema.care.childfile import ChildFileQueries
from schema.care.oncall import OnCallMutations, OnCallQueries
from schema.care.queries import CareQueries
from schema.care.reports import ReportMutations
from schema.care.screening_api import ScreeningMutations, ScreeningQueries
from schema.care.services_api import ServiceMutations
from schema.care.visits import VisitMutations
from schema.children.queries import ChildrenQueries
from schema.core.compiled import CompiledQueries, CompiledSchema
from schema.core.node import Node, node_field
from schema.core.validation_cache import TextValidationCache
from schema.oversight.feedback_api import FeedbackMutations, FeedbackQueries
from schema.oversight.queries import OversightQueries
from schema.oversight.supervision_api import SupervisionMutations
from schema.overview.queries import OverviewQuery
from schema.people.queries import PeopleQueries
from schema.places.queries import PlaceQueries
from schema.places.stations_api import StationMutations, StationQueries
from schema.program.assessment_api import AssessmentMutations, AssessmentQueries
from schema.program.projects import ProjectQueries
from schema.program.queries import ProgramQueries
from schema.program.teams import TeamMutations
from schema.program.teams_queries import TeamQueries
from schema.program.training_api import TrainingQueries
from schema.program.training_mutations import TrainingMutations
from schema.regions.queries import RegionQueries
from schema.stats.queries import StatsQueries
from schema.sync.queries import SyncQueries


@strawberry.type
class Query(
    OverviewQuery,
    RegionQueries,
    PlaceQueries,
    StationQueries,
    PeopleQueries,
    ChildrenQueries,
    CareQueries,
    OnCallQueries,
    ScreeningQueries,
    ChildFileQueries,
    ProgramQueries,
    AssessmentQueries,
    TrainingQueries,
    TeamQueries,
    ProjectQueries,
    OversightQueries,
    FeedbackQueries,
    SyncQueries,
    StatsQueries,
    AuditQueries,
):
    """Root of all queries."""

    node: Node | None = strawberry.field(
        resolver=node_field, description="The object with this global id (Relay), or null."
    )


@strawberry.type
class Mutation(
    AuditMutations,
    AssignmentMutations,
    VisitMutations,
    ScreeningMutations,
    ReportMutations,
    OnCallMutations,
    ServiceMutations,
    TrainingMutations,
    AssessmentMutations,
    StationMutations,
    TeamMutations,
    SupervisionMutations,
    FeedbackMutations,
):
    """Root of all mutations."""


def build_schema() -> strawberry.Schema:
    """The hub's GraphQL schema."""
    from schema.types_index import ALL_TYPES

    # Parsing and validating a query against this schema costs ~6 ms; clients
    # repeat the same few queries, so both are cached by query text.
    return CompiledSchema(
        query=Query,
        mutation=Mutation,
        types=ALL_TYPES,
        extensions=[
            lambda: ParserCache(maxsize=512),
            TextValidationCache,
            AuditExtension,
            CompiledQueries,
        ],
    )
