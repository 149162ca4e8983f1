"""Mutations of training and exams: sessions, attendance, the question bank, exams
drawn from it, and results scored against it.

Who may do what: center admins, station staff and supervisors schedule sessions and
set exams for the places they manage, and record attendance and results of the
directors there; only center admins add to the question bank (it is the city's).
A director may submit their own answers to an exam of a session they attended, once:
they get their score back, never the answer key.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import strawberry

from graph.queries import training as q
from schema.access.principal import Role
from schema.care.common import instant, key_of, now_ms, optional_text, plain_text
from schema.care.rights import require_manager
from schema.context import Info
from schema.core.fields import written
from schema.errors import BadArgument, Forbidden
from schema.program.training_record import rules, today
from schema.program.training_rules import LETTERS, normalise_answer, score_answers
from schema.program.training_types import Question
from schema.program.types import Exam, ExamResult, Training

MAX_ATTENDEES = 500
MAX_OPTIONS = len(LETTERS)
#: Phones' clocks run a little ahead at times; further ahead is a typing error.
CLOCK_SKEW_MS = 5 * 60 * 1000
_DRAW = random.SystemRandom()


def _actor(info: Info) -> str:
    principal = info.context.access.principal
    return f"{principal.role.value}:{principal.name}"


def _region(code: str) -> str:
    if not (code.isdigit() and len(code) in (6, 9, 12)):
        raise BadArgument("`regionCode` is a county, town or village code (6, 9 or 12 digits)")
    return code


async def _training(info: Info, training_id: strawberry.ID) -> dict[str, Any]:
    key = key_of(training_id, "Training", "trainingId")
    rows = await info.context.store.read(q.TRAINING, {"id": key})
    if not rows:
        raise BadArgument("no training with that id")
    return rows[0]


@strawberry.input(description="A training session to schedule.")
class ScheduleTrainingInput:
    title: str
    topic: str = strawberry.field(description="e.g. 走访核查, 强制报告, 链接政策资源")
    date: dt.date
    region_code: str = strawberry.field(description="Whose session: the city, a town…")
    trainer: str | None = None
    hours: float | None = None
    location: str | None = None
    round: int | None = strawberry.field(default=None, description="Rotation round (轮训)")


@strawberry.input(description="A question for the bank; `answer` is the right option's letter.")
class AddQuestionInput:
    topic: str
    text: str
    options: list[str]
    answer: str = strawberry.field(description="A, B, C… (the option's place)")
    difficulty: int = strawberry.field(default=3, description="1 (easy) to 5 (hard)")


@strawberry.type
class TrainingMutations:
    @strawberry.mutation(
        description="Schedule a training session. Center admins, or station staff and "
        "supervisors for their town."
    )
    async def schedule_training(self, info: Info, input: ScheduleTrainingInput) -> Training:
        region = _region(input.region_code)
        require_manager(info.context.access, region, "scheduling trainings")
        if input.hours is not None and not 0 < input.hours <= 24:
            raise BadArgument("`hours` is more than 0 and at most 24")
        if input.round is not None and not 1 <= input.round <= 20:
            raise BadArgument("`round` is 1 to 20")
        key = f"training-{uuid.uuid4().hex}"
        await info.context.store.write(
            q.SCHEDULE,
            {
                "id": key,
                "source": "hub",
                "at": now_ms(info),
                "title": plain_text(input.title, "title", maximum=100, lines=False),
                "topic": plain_text(input.topic, "topic", maximum=30, lines=False),
                "date": input.date.isoformat(),
                "trainer": optional_text(input.trainer, "trainer", maximum=60, lines=False),
                "hours": input.hours,
                "location": optional_text(input.location, "location", maximum=100, lines=False),
                "round": input.round,
                "regionCode": region,
            },
        )
        return await written(info, Training, key)

    @strawberry.mutation(
        description="Record that directors attended a session (after it took place); "
        "recording someone twice changes nothing. Managers of the directors' villages."
    )
    async def record_attendance(
        self, info: Info, training_id: strawberry.ID, director_ids: list[strawberry.ID]
    ) -> Training:
        training = await _training(info, training_id)
        if not director_ids or len(director_ids) > MAX_ATTENDEES:
            raise BadArgument(f"give 1 to {MAX_ATTENDEES} directors")
        if str(training["date"] or "9999") > today(info).isoformat():
            raise BadArgument("the session has not taken place yet")
        keys = sorted({key_of(d, "Director", "directorIds") for d in director_ids})
        found = {
            str(r["key"]): r for r in await info.context.store.read(q.DIRECTORS, {"keys": keys})
        }
        for key in keys:
            row = found.get(key)
            if row is None:
                raise BadArgument(f"no director {key}")
            require_manager(info.context.access, row["villageCode"], "recording attendance")
        await info.context.store.write(
            q.ATTEND, {"trainingId": training["id"], "directorIds": keys, "at": now_ms(info)}
        )
        return await written(info, Training, str(training["id"]))

    @strawberry.mutation(description="Add a question to the bank (题库). Center admins only.")
    async def add_question(self, info: Info, input: AddQuestionInput) -> Question:
        principal = info.context.access.principal
        if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
            raise Forbidden("adding questions: only center admins keep the question bank")
        options = [
            plain_text(o, f"options[{i}]", maximum=200, lines=False)
            for i, o in enumerate(input.options)
        ]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise BadArgument(f"a question has 2 to {MAX_OPTIONS} options")
        if len(set(options)) != len(options):
            raise BadArgument("two options are the same")
        answer = normalise_answer(input.answer)
        if answer not in tuple(LETTERS[: len(options)]):
            raise BadArgument(f"`answer` is one of {', '.join(LETTERS[: len(options)])}")
        if not 1 <= input.difficulty <= 5:
            raise BadArgument("`difficulty` is 1 to 5")
        key = f"question-{uuid.uuid4().hex}"
        await info.context.store.write(
            q.ADD_QUESTION,
            {
                "id": key,
                "source": "hub",
                "at": now_ms(info),
                "topic": plain_text(input.topic, "topic", maximum=30, lines=False),
                "text": plain_text(input.text, "text", maximum=500),
                "options": options,
                "answer": answer,
                "difficulty": input.difficulty,
                "createdBy": _actor(info),
            },
        )
        return await written(info, Question, key)

    @strawberry.mutation(
        description="Set an exam closing a training: `count` questions of `topic` drawn at "
        "random from the bank. Managers of the training's region."
    )
    async def create_exam(
        self,
        info: Info,
        training_id: strawberry.ID,
        topic: str,
        count: int,
        title: str | None = None,
        pass_score: float | None = None,
    ) -> Exam:
        training = await _training(info, training_id)
        require_manager(info.context.access, training["regionCode"], "setting exams")
        ruleset = rules(info)
        if not ruleset.min_questions <= count <= ruleset.max_questions:
            raise BadArgument(
                f"`count` is {ruleset.min_questions} to {ruleset.max_questions} questions"
            )
        passing = ruleset.pass_score if pass_score is None else pass_score
        if not 0 <= passing <= ruleset.max_score:
            raise BadArgument(f"`passScore` is 0 to {ruleset.max_score:g}")
        topic = plain_text(topic, "topic", maximum=30, lines=False)
        bank = await info.context.store.read(q.BANK, {"topic": topic})
        if len(bank) < count:
            raise BadArgument(f"the bank has {len(bank)} questions on {topic}, fewer than {count}")
        drawn = _DRAW.sample([str(r["id"]) for r in bank], count)
        key = f"exam-{uuid.uuid4().hex}"
        name = title or f"{training['title']}结业考试"
        await info.context.store.write(
            q.CREATE_EXAM,
            {
                "id": key,
                "at": now_ms(info),
                "trainingId": training["id"],
                "title": plain_text(name, "title", maximum=120, lines=False),
                "date": training["date"],
                "maxScore": ruleset.max_score,
                "passScore": passing,
                "topic": topic,
                "questions": [{"id": qid, "position": i} for i, qid in enumerate(drawn, 1)],
            },
        )
        return await written(info, Exam, key)

    @strawberry.mutation(
        description="Record a director's answers to an exam (option letters in the paper's "
        "order; blank: not answered) and score them against the bank. Once per director "
        "and exam; by the director themself, or a manager of their village."
    )
    async def record_exam_result(
        self,
        info: Info,
        exam_id: strawberry.ID,
        director_id: strawberry.ID,
        answers: list[str],
        taken_at: dt.datetime | None = None,
    ) -> ExamResult:
        access = info.context.access
        exam = key_of(exam_id, "Exam", "examId")
        director = key_of(director_id, "Director", "directorId")
        facts = await info.context.store.read(
            q.EXAM_FACTS, {"examId": exam, "directorId": director}
        )
        if not facts:
            raise BadArgument("no exam with that id")
        fact = facts[0]
        if fact["directorId"] is None:
            raise BadArgument("no director with that id")
        principal = access.principal
        if principal.role is Role.DIRECTOR and principal.kind == "user":
            if principal.person_id != director:
                raise Forbidden("recording exam results: a director answers for themself only")
        else:
            require_manager(access, fact["villageCode"], "recording exam results")
        if fact["trainingId"] is not None and not fact["attended"]:
            raise BadArgument("the director did not attend the exam's training")
        if fact["results"]:
            raise BadArgument("the director already has a result for this exam")
        now = now_ms(info)
        taken = now if taken_at is None else instant(taken_at, "takenAt")
        if taken > now + CLOCK_SKEW_MS:
            raise BadArgument("`takenAt` lies in the future")
        key_rows = await info.context.store.read(q.EXAM_KEY, {"examId": exam})
        if not key_rows:
            raise BadArgument("this exam has no questions from the bank to score against")
        if len(answers) != len(key_rows):
            raise BadArgument(f"give one answer per question: {len(key_rows)}")
        given = []
        for i, (answer, row) in enumerate(zip(answers, key_rows, strict=True), 1):
            letter = normalise_answer(answer)
            if letter and letter not in tuple(LETTERS[: int(row["options"] or 0)]):
                raise BadArgument(f"answer {i} is not one of the question's options")
            given.append(letter)
        scored = score_answers(
            given,
            [str(r["answer"]) for r in key_rows],
            max_score=float(fact["maxScore"] or rules(info).max_score),
            pass_score=float(fact["passScore"] or rules(info).pass_score),
        )
        result_key = f"examresult-{exam}-{director}"
        rows, _ = await info.context.store.write(
            q.RECORD_RESULT,
            {
                "id": result_key,
                "at": now,
                "examId": exam,
                "directorId": director,
                "score": scored.score,
                "passed": scored.passed,
                "takenAt": taken,
                "correctCount": scored.correct,
                "questionCount": scored.total,
                "answers": given,
            },
        )
        if not rows or not rows[0]["created"]:
            raise BadArgument("the director already has a result for this exam")
        return await written(info, ExamResult, result_key)
