"""GraphQL of assessments: the formulas, running a period, appeals and their decisions."""

from __future__ import annotations

import enum

import strawberry

from schema.access.principal import Role
from schema.care.common import key_of, now_ms
from schema.context import Info
from schema.core.fields import list_field, written
from schema.errors import BadArgument, Forbidden
from schema.program.assessment_appeals import REJECTED, UPHELD, decide_appeal, file_appeal
from schema.program.assessment_engine import run_assessment
from schema.program.assessment_facts import PeriodError
from schema.program.assessment_formula import (
    DEFAULT_VERSION,
    Formula,
    FormulaError,
    load_formula,
    versions,
)
from schema.program.assessment_score import NAMES
from schema.program.assessment_types import AssessmentAppeal


@strawberry.enum(description="A center admin's decision on an appeal")
class AppealOutcome(enum.Enum):
    UPHELD = UPHELD
    REJECTED = REJECTED


@strawberry.type(description="What a run of the assessment engine did.")
class AssessmentRun:
    period: str
    formula_version: str
    through: str = strawberry.field(description="The last day counted (ISO date)")
    directors: int
    supervisors: int
    created: int = strawberry.field(description="New assessments")
    corrected: int = strawberry.field(description="New versions: their inputs had changed")
    unchanged: int = strawberry.field(description="Same inputs as the current version: nothing")


@strawberry.type(description="A weighted part of a formula.")
class FormulaPart:
    key: str
    name: str
    weight: float


@strawberry.type(description="A tier of a formula: reached from `min`, paid per quarter.")
class FormulaTier:
    name: str
    min: float
    allowance: int
    bonus: int = strawberry.field(description="The village committee's performance bonus")


@strawberry.type(description="A version of the assessment formula (data shipped with the hub).")
class AssessmentFormula:
    version: str
    description: str
    is_default: bool
    director_parts: list[FormulaPart]
    visit_parts: list[FormulaPart]
    director_tiers: list[FormulaTier]
    vocational_allowance: int = strawberry.field(
        description="Per quarter for a social-work qualification (unless graded by title)"
    )
    vocational_by_title: list[str] = strawberry.field(description="title: yuan, where graded")
    supervisor_parts: list[FormulaPart]
    supervisor_tiers: list[FormulaTier]


def _formula(f: Formula) -> AssessmentFormula:
    d, s = f.director, f.supervisor

    def parts(prefix: str, weights: dict[str, float]) -> list[FormulaPart]:
        out = []
        for name, weight in weights.items():
            key = f"{prefix}{'followUp' if name == 'follow_up' else name}"
            out.append(FormulaPart(key=key, name=NAMES.get(key, key), weight=weight))
        return out

    return AssessmentFormula(
        version=f.version,
        description=f.description,
        is_default=f.version == DEFAULT_VERSION,
        director_parts=parts("", d.weights.model_dump()),
        visit_parts=parts("visit.", d.visit.model_dump()),
        director_tiers=[
            FormulaTier(name=t.name, min=t.min, allowance=t.allowance, bonus=t.bonus)
            for t in d.tiers
        ],
        vocational_allowance=d.vocational.default,
        vocational_by_title=[f"{k}: {v}" for k, v in sorted(d.vocational.by_title.items())],
        supervisor_parts=parts("", s.weights.model_dump()),
        supervisor_tiers=[
            FormulaTier(name=t.name, min=t.min, allowance=t.allowance, bonus=0) for t in s.tiers
        ],
    )


@strawberry.type
class AssessmentQueries:
    assessment_appeals = list_field(
        "AssessmentAppeal",
        "AssessmentAppeal",
        "schema.program.assessment_types",
        "Appeals of assessments (current versions: `status: pending` awaits a decision)",
    )

    @strawberry.field(description="The assessment formulas shipped, oldest version first.")
    def assessment_formulas(self, info: Info) -> list[AssessmentFormula]:
        info.context.access.require_aggregates("Assessment", "`assessmentFormulas`")
        return [_formula(load_formula(v)) for v in versions()]


@strawberry.type
class AssessmentMutations:
    @strawberry.mutation(
        description="Compute a quarter's assessments of every director and supervisor in the "
        "reader's regions (center admins). New results are new assessments; a person whose "
        "data changed since the last run gets a corrected version; unchanged data, nothing."
    )
    async def run_assessment(
        self, info: Info, period: str, formula_version: str | None = None
    ) -> AssessmentRun:
        principal = info.context.access.principal
        if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
            raise Forbidden("running assessments: only a center admin may")
        version = formula_version or DEFAULT_VERSION
        now = now_ms(info)
        total = AssessmentRun(
            period=period,
            formula_version=version,
            through="",
            directors=0,
            supervisors=0,
            created=0,
            corrected=0,
            unchanged=0,
        )
        for region in principal.regions:
            try:
                report = await run_assessment(
                    info.context.store, period, version, now_ms=now, region=region
                )
            except (PeriodError, FormulaError) as exc:
                raise BadArgument(str(exc)) from None
            total.through = report.through
            total.directors += report.directors
            total.supervisors += report.supervisors
            total.created += report.created
            total.corrected += report.corrected
            total.unchanged += report.unchanged
        return total

    @strawberry.mutation(
        description="Appeal an assessment (the director or supervisor it assesses), saying why."
    )
    async def appeal_assessment(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> AssessmentAppeal:
        key = key_of(id, "Assessment", "id")
        store, principal = info.context.store, info.context.access.principal
        appeal = await file_appeal(store, principal, key, reason, now_ms(info))
        return await written(info, AssessmentAppeal, appeal)

    @strawberry.mutation(
        description="Decide an appeal (a center admin other than the appellant). Upheld, the "
        "assessment gets a corrected version: with `newTotal`, that total; without, recomputed "
        "from the data as it stands. The decided appeal is returned; its `assessment` is the "
        "assessment as it now stands."
    )
    async def decide_appeal(
        self,
        info: Info,
        id: strawberry.ID,
        outcome: AppealOutcome,
        note: str,
        new_total: float | None = None,
    ) -> AssessmentAppeal:
        key = key_of(id, "AssessmentAppeal", "id")
        store, principal = info.context.store, info.context.access.principal
        decided = await decide_appeal(
            store, principal, key, outcome.value, note, new_total, now_ms(info)
        )
        return await written(info, AssessmentAppeal, decided)
