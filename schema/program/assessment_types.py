"""GraphQL types of assessments: the assessment with its parts, money and appeals."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import strawberry

from schema.care.types import Event
from schema.core.fields import connection_field, one_field
from schema.core.registry import node_type
from schema.program.assessment_score import NAMES

M = "schema.program.assessment_types"
PEOPLE = "schema.people.types"


@strawberry.type(description="How an assessment's total weighs its parts (a director's).")
class Weights:
    exam: float | None
    visit: float | None


@strawberry.type(description="One part of an assessment, with the data behind its score.")
class AssessmentPart:
    key: str = strawberry.field(
        description="exam, visit, visit.coverage … for directors; directors, ledger, "
        "rectification for supervisors"
    )
    name: str = strawberry.field(description="The part's name as shown (Chinese)")
    parent: str | None = strawberry.field(description="The part it is a part of, if any")
    weight: float = strawberry.field(description="Its weight in its parent (or the total)")
    score: float = strawberry.field(description="0–100")
    explanation: str = strawberry.field(description="The data behind the score")


@node_type("Assessment")
@strawberry.type(
    description="A periodic assessment of a director or supervisor. The total is the weights "
    "applied to the parts (for a director: `weights.exam × examScore + weights.visit × "
    "visitScore`, exactly); every part's line names the data behind it."
)
class Assessment(Event):
    __requires__: ClassVar[dict[str, tuple[str, ...]]] = {
        "weights": ("weightExam", "weightVisit"),
        "breakdown": ("partKeys", "partWeights", "partScores", "parts"),
        "totalAllowance": ("allowance", "vocationalAllowance"),
    }
    key: strawberry.Private[str]
    period: str | None = strawberry.field(description="e.g. 2026Q1")
    subject: str | None = strawberry.field(description="director or supervisor")
    exam_score: float | None
    visit_score: float | None = strawberry.field(description="Visit effectiveness score")
    weight_exam: float | None
    weight_visit: float | None
    total: float | None
    tier: str | None
    allowance: float | None = strawberry.field(description="The tier's allowance (yuan/quarter)")
    vocational_allowance: float | None = strawberry.field(
        description="Vocational allowance for a social-work qualification (yuan/quarter)"
    )
    bonus: float | None = strawberry.field(
        description="The village committee's performance bonus (yuan/quarter)"
    )
    explanation: str | None = strawberry.field(
        description="The result and, one line per part, the data behind each score"
    )
    parts: list[str] | None = strawberry.field(
        description="One line per part (as in `breakdown`): the data behind its score"
    )
    formula_version: str | None
    computed_at: dt.datetime | None
    through_date: dt.date | None = strawberry.field(
        description="The last day counted (a period not yet over is counted to the day before)"
    )
    region_code: str | None
    subject_name: str | None = strawberry.field(description="The assessed person's name")
    village_name: str | None
    town_name: str | None
    appeal_id: str | None = strawberry.field(
        description="The upheld appeal this version corrects for, if any"
    )
    part_keys: strawberry.Private[list[str] | None] = None
    part_weights: strawberry.Private[list[float] | None] = None
    part_scores: strawberry.Private[list[float] | None] = None
    director = one_field("Assessment.director", "Director", PEOPLE, "The assessed director")
    supervisor = one_field("Assessment.supervisor", "Supervisor", PEOPLE, "The assessed supervisor")
    appeals = connection_field(
        "Assessment.appeals", "AssessmentAppeal", M, "Appeals of this assessment"
    )

    @strawberry.field(description="The weights applied to the parts")
    def weights(self) -> Weights:
        return Weights(exam=self.weight_exam, visit=self.weight_visit)

    @strawberry.field(description="Allowance plus vocational allowance (yuan/quarter)")
    def total_allowance(self) -> float | None:
        if self.allowance is None:
            return None
        return self.allowance + (self.vocational_allowance or 0)

    @strawberry.field(description="Every part with its weight, score and explanation")
    def breakdown(self) -> list[AssessmentPart]:
        keys = self.part_keys or []
        weights = self.part_weights or []
        scores = self.part_scores or []
        lines = self.parts or []
        return [
            AssessmentPart(
                key=key,
                name=NAMES.get(key, key),
                parent=key.split(".", 1)[0] if "." in key else None,
                weight=weight,
                score=score,
                explanation=line,
            )
            for key, weight, score, line in zip(keys, weights, scores, lines, strict=False)
        ]


@node_type("AssessmentAppeal")
@strawberry.type(
    description="An appeal of an assessment by the person assessed, and its decision. The "
    "decision is a new version of the appeal (events are immutable)."
)
class AssessmentAppeal(Event):
    key: strawberry.Private[str]
    reason: str | None
    status: str | None = strawberry.field(description="pending or decided")
    outcome: str | None = strawberry.field(description="upheld or rejected, once decided")
    note: str | None = strawberry.field(description="The decision's reasons")
    new_total: float | None = strawberry.field(description="The total set by an upheld appeal")
    appealed_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    period: str | None
    region_code: str | None
    assessment_id: str | None = strawberry.field(description="The assessment version appealed")
    corrected_id: str | None = strawberry.field(
        description="The corrected assessment version an upheld appeal produced"
    )
    assessment = one_field(
        "AssessmentAppeal.assessment",
        "Assessment",
        M,
        "The assessment: the one appealed, or the corrected version once upheld",
    )
