"""GraphQL types of training and exams: the question bank, exam papers, a director's
training record and certification, and the rotation's due list.

Only :class:`Question` carries the answer key, and only the staff who set exams may
read it (the access policy's ``BANK``); directors see :class:`PaperQuestion`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.core.fields import make_object
from schema.core.ids import to_global_id
from schema.core.node import Node
from schema.core.registry import node_type

if TYPE_CHECKING:  # resolved at schema build: they refer back to these types
    from schema.people.types import Director
    from schema.program.types import Training


@node_type("Question")
@strawberry.type(description="A question of the bank (题库) with its answer key: staff only.")
class Question(Node):
    key: strawberry.Private[str]
    topic: str | None
    text: str | None
    options: list[str] | None = strawberry.field(description="Options A, B, C… in order")
    answer: str | None = strawberry.field(description="The key: the right option's letter")
    difficulty: int | None = strawberry.field(description="1 (easy) to 5 (hard)")
    created_at: dt.datetime | None


@strawberry.type(description="A question as an exam paper shows it: never the answer.")
class PaperQuestion:
    number: int = strawberry.field(description="Its place on the paper, from 1")
    topic: str | None
    text: str
    options: list[str] = strawberry.field(description="Options A, B, C… in order")
    difficulty: int | None


@strawberry.type(description="An exam result as recorded: the score, never the answer key.")
class ExamScore:
    result_key: strawberry.Private[str]
    exam_title: str | None
    topic: str | None
    taken_at: dt.datetime | None
    score: float | None
    max_score: float | None
    passed: bool | None
    correct_count: int | None = strawberry.field(description="Questions answered right")
    question_count: int | None


@strawberry.enum(description="Where a director's certification stands.")
class CertificationStatus(enum.Enum):
    CERTIFIED = "certified"
    EXPIRED = "expired"
    NOT_CERTIFIED = "not_certified"


@strawberry.type(description="A director's latest pass on one required topic.")
class TopicPass:
    topic: str
    passed_on: dt.date
    score: float | None
    expires_on: dt.date
    valid: bool = strawberry.field(description="Still within the cycle")


@strawberry.type(
    description="Certification: a passed exam on every required topic within the cycle."
)
class Certification:
    status: CertificationStatus
    certified: bool
    certified_on: dt.date | None = strawberry.field(description="When the last topic was passed")
    expires_on: dt.date | None = strawberry.field(description="When the oldest pass lapses")
    topics: list[TopicPass]
    missing: list[str] = strawberry.field(description="Required topics without a valid pass")


@strawberry.type(description="Where a director stands on one required topic of the rotation.")
class TopicDue:
    topic: str
    last_trained: dt.date | None = strawberry.field(description="Last session on the topic")
    due_on: dt.date | None = strawberry.field(description="Re-training due; null: never trained")
    overdue: bool
    due_soon: bool


@strawberry.type(description="A director's training record (培训档案).")
class TrainingRecord:
    sessions: list[Annotated[Training, strawberry.lazy("schema.program.types")]] = strawberry.field(
        description="Sessions attended, oldest first"
    )
    exams: list[ExamScore] = strawberry.field(description="Exams taken, oldest first")
    certification: Certification
    due: list[TopicDue] = strawberry.field(description="The rotation: each required topic")


@strawberry.type(description="A director overdue on a required topic of the rotation (轮训).")
class TrainingDue:
    director_key: strawberry.Private[str]
    director_name: str | None
    village_code: str | None
    topic: str
    last_trained: dt.date | None
    due_on: dt.date | None = strawberry.field(description="Null: never trained on the topic")

    @strawberry.field(description="The director's global id")
    def director_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Director", self.director_key))

    @strawberry.field(description="The director")
    async def director(
        self, info: Info
    ) -> Annotated[Director, strawberry.lazy("schema.people.types")] | None:
        access = info.context.access
        loader = info.context.loaders.by_id("Director", None, access.row_params("Director"))
        row = await loader.load(self.director_key)
        return None if row is None else make_object(info, "Director")(row)


@strawberry.type(description="One page of the directors overdue, and how many there are.")
class TrainingDuePage:
    total_count: int
    items: list[TrainingDue]
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(
    description="How many directors are overdue on one required topic (counts under 5 "
    "withheld from statistics-only readers)."
)
class TopicDueCount:
    topic: str
    overdue: int | None
    directors: int | None
    suppressed: bool
