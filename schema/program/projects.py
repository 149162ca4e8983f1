"""``projectReconciliation`` and ``projectsReconciliation``: services delivered under
purchased-service projects against their targets, each service counted once.

Counts are of services in the reader's regions (a station's staff see their
town's share of a city-wide project; ``scope`` says which regions were
counted). Readers with statistics only (commissioners, the public) get counts
below :data:`schema.access.policy.SMALL_COUNT` as null and no list of
exceptions; directors, whose view of services is their own children's, are
refused: a partial count would read as the project's.
"""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

from graph.model import CST
from graph.queries import projects as q
from schema.access.policy import Access
from schema.care.common import key_of
from schema.care.types import Service
from schema.context import Info
from schema.core.fields import make_object
from schema.errors import BadArgument, Forbidden
from schema.program import projects_reconcile as rec
from schema.program.types import Project

MAX_PROJECTS = 200
MAX_EXCEPTIONS = 100


@strawberry.enum(description="Why a service linked to a project is not counted for it")
class ReconciliationIssue(enum.Enum):
    BEFORE_START = "before_start"
    AFTER_END = "after_end"
    NO_DATE = "no_date"
    OUTSIDE_TOWNS = "outside_towns"


@strawberry.type(description="Services, distinct children reached and person-times (人次).")
class ReconciliationCounts:
    services: int | None
    children: int | None
    person_times: int | None


@strawberry.type(description="Delivered as a percentage of each target (null without one).")
class ReconciliationProgress:
    services: float | None
    children: float | None
    person_times: float | None


@strawberry.type(description="A service linked to the project but not counted for it.")
class ReconciliationException:
    service_id: strawberry.ID
    delivered_at: dt.datetime | None
    village_code: str | None
    issues: list[ReconciliationIssue]
    service: Service | None = strawberry.field(description="The record (if you may read it)")


@strawberry.type(description="A project's services reconciled against its targets.")
class ProjectReconciliation:
    project: Project
    start_date: dt.date | None
    end_date: dt.date | None
    towns: list[str] = strawberry.field(description="Division codes of the towns it covers")
    target: ReconciliationCounts
    delivered: ReconciliationCounts = strawberry.field(
        description="Counted: in its period and towns, each service once"
    )
    progress: ReconciliationProgress
    shared_services: int | None = strawberry.field(
        description="Of the services counted, those also linked to another project"
    )
    exception_count: int | None = strawberry.field(
        description="Services linked to it outside its period or towns (not counted)"
    )
    exceptions: list[ReconciliationException] = strawberry.field(
        description=f"The first {MAX_EXCEPTIONS} exceptions, oldest first"
    )
    scope: list[str] = strawberry.field(description="Regions counted (empty: everywhere)")


@strawberry.type(description="Several projects reconciled, and their total.")
class ProjectsReconciliation:
    projects: list[ProjectReconciliation]
    total: ReconciliationCounts = strawberry.field(
        description="Over the projects: each service and each child once"
    )
    shared_services: int | None = strawberry.field(
        description="Services counted under two or more of these projects (once in the total)"
    )
    scope: list[str] = strawberry.field(description="Regions counted (empty: everywhere)")


def _scope(access: Access) -> list[str]:
    access.require_rows("Project", "project reconciliation")
    access.require_aggregates("Service", "project reconciliation")
    if access.rules.scope == "care":
        raise Forbidden(
            "project reconciliation: directors see only their children's services, so a "
            "count would be partial; ask the station or the center"
        )
    return [] if access.rules.scope == "all" else sorted(access.principal.regions)


def _shown(access: Access, value: int | None) -> int | None:
    return None if value is None or access.suppress(value) else value


def _counts(access: Access, counts: rec.Counts) -> ReconciliationCounts:
    return ReconciliationCounts(
        services=_shown(access, counts.services),
        children=_shown(access, counts.children),
        person_times=_shown(access, counts.person_times),
    )


async def _reconcile(
    info: Info, ids: list[str] | None, organization: str | None, status: str | None
) -> tuple[list[rec.Reconciled], list[str]]:
    access = info.context.access
    scope = _scope(access)
    store = info.context.store
    rows = await store.read(
        q.PROJECTS, {"ids": ids, "organizationId": organization, "status": status}
    )
    facts = [rec.ProjectFacts.of(r) for r in rows]
    linked = await store.read(q.SERVICES, {"ids": [f.id for f in facts], "scope": scope})
    return rec.reconcile(facts, (rec.LinkedService.of(r) for r in linked)), scope


async def _shape(
    info: Info, results: list[rec.Reconciled], scope: list[str]
) -> list[ProjectReconciliation]:
    access = info.context.access
    loaders = info.context.loaders
    projects = await loaders.by_id("Project", None, access.row_params("Project")).load_many(
        [r.facts.id for r in results]
    )
    listed = access.can_read("Service") and not access.aggregate_only
    shown_ids = [s.id for r in results for s, _ in r.exceptions[:MAX_EXCEPTIONS]] if listed else []
    services = await loaders.by_id("Service", None, access.row_params("Service")).load_many(
        shown_ids
    )
    by_id = {str(row["id"]): row for row in services if row is not None}
    service_object = make_object(info, "Service")
    project_object = make_object(info, "Project")
    out = []
    for result, project in zip(results, projects, strict=True):
        if project is None:  # pragma: no cover - read above in the same request
            continue
        delivered = result.counted.counts()
        target = result.facts.target
        exceptions = [
            ReconciliationException(
                service_id=strawberry.ID(s.id),
                delivered_at=None
                if s.delivered_at is None
                else dt.datetime.fromtimestamp(s.delivered_at / 1000, CST),
                village_code=s.village,
                issues=[ReconciliationIssue(i.value) for i in issues],
                service=service_object(by_id[s.id]) if s.id in by_id else None,
            )
            for s, issues in (result.exceptions[:MAX_EXCEPTIONS] if listed else [])
        ]
        out.append(
            ProjectReconciliation(
                project=project_object(project),
                start_date=result.facts.start,
                end_date=result.facts.end,
                towns=sorted(result.facts.towns),
                target=ReconciliationCounts(
                    services=target.services,
                    children=target.children,
                    person_times=target.person_times,
                ),
                delivered=_counts(access, delivered),
                progress=ReconciliationProgress(
                    services=rec.progress(_shown(access, delivered.services), target.services),
                    children=rec.progress(_shown(access, delivered.children), target.children),
                    person_times=rec.progress(
                        _shown(access, delivered.person_times), target.person_times
                    ),
                ),
                shared_services=_shown(access, len(result.shared)),
                exception_count=_shown(access, len(result.exceptions)),
                exceptions=exceptions,
                scope=scope,
            )
        )
    return out


@strawberry.type
class ProjectQueries:
    @strawberry.field(
        description="A purchased-service project's services against its targets: services, "
        "children reached and person-times in its period and towns, each service once; linked "
        "services outside them listed as exceptions."
    )
    async def project_reconciliation(
        self, info: Info, project_id: strawberry.ID
    ) -> ProjectReconciliation | None:
        key = key_of(project_id, "Project", "projectId")
        results, scope = await _reconcile(info, [key], None, None)
        shaped = await _shape(info, results, scope)
        return shaped[0] if shaped else None

    @strawberry.field(
        description="Several projects reconciled (those named, an organisation's, or all), "
        "with a total that counts each service and each child once even when a service is "
        "linked to two of them."
    )
    async def projects_reconciliation(
        self,
        info: Info,
        project_ids: list[strawberry.ID] | None = None,
        organization_id: strawberry.ID | None = None,
        status: str | None = None,
    ) -> ProjectsReconciliation:
        ids = None
        if project_ids is not None:
            if len(project_ids) > MAX_PROJECTS:
                raise BadArgument(f"`projectIds` takes at most {MAX_PROJECTS} projects")
            ids = sorted({key_of(p, "Project", "projectIds") for p in project_ids})
        organization = (
            key_of(organization_id, "Organization", "organizationId") if organization_id else None
        )
        results, scope = await _reconcile(info, ids, organization, status)
        union, shared = rec.total(results)
        access = info.context.access
        return ProjectsReconciliation(
            projects=await _shape(info, results, scope),
            total=_counts(access, union.counts()),
            shared_services=_shown(access, len(shared)),
            scope=scope,
        )
