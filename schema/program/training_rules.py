"""The rotation (轮训) and certification rules, and scoring an exam: pure functions.

The rules are data (``training_rules.toml``): the required topics, the cycle within
which each must be re-trained and re-passed, the default exam sizes and scores. The
functions here take what the graph holds (sessions attended, results) and a day, and
say what is due and whether a director is certified; the GraphQL resolvers and the
demo data set use the same ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schema.errors import SchemaError

DEFAULT_RULES = Path(__file__).with_name("training_rules.toml")
LETTERS = "ABCDEFGH"


class TrainingRulesError(SchemaError):
    """The rules file cannot be used: unreadable, not TOML, or invalid (named)."""


class Topic(BaseModel):
    """A required topic of the rotation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1, max_length=30)
    name: str = Field(min_length=1)
    also: tuple[str, ...] = ()


class TrainingRules(BaseModel):
    """The rotation cycle, the required topics and the exams' defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cycle_months: int = Field(ge=1, le=60)
    due_soon_days: int = Field(ge=0, le=365)
    max_score: float = Field(gt=0)
    pass_score: float = Field(ge=0)
    min_questions: int = Field(ge=1)
    max_questions: int = Field(ge=1, le=200)
    topics: tuple[Topic, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TrainingRules:
        if self.pass_score > self.max_score:
            raise ValueError("pass_score is above max_score")
        if self.min_questions > self.max_questions:
            raise ValueError("min_questions is above max_questions")
        names = [n for t in self.topics for n in (t.key, *t.also)]
        if len(names) != len(set(names)):
            raise ValueError("a topic name is given twice")
        return self

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.topics)

    @property
    def names(self) -> tuple[str, ...]:
        """Every training topic that counts for a required one (keys and ``also``)."""
        return tuple(n for t in self.topics for n in (t.key, *t.also))

    def required(self, topic: str | None) -> str | None:
        """The required topic a training's or exam's topic counts for, if any."""
        for t in self.topics:
            if topic == t.key or topic in t.also:
                return t.key
        return None


def load_rules(path: Path | str | None = None) -> TrainingRules:
    """The rules of a TOML file (default: the shipped ``training_rules.toml``)."""
    file = Path(path) if path is not None else DEFAULT_RULES
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        return TrainingRules.model_validate(data)
    except OSError as exc:
        raise TrainingRulesError(f"cannot read {file}: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TrainingRulesError(f"{file} is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        raise TrainingRulesError(f"{file}: {exc}") from exc


@functools.cache
def default_rules() -> TrainingRules:
    """The shipped rules, read once."""
    return load_rules()


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later, on the month's last day when it has fewer (Jan 31 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# -- exams ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """An exam scored against its key: how many right, the score and whether it passes."""

    correct: int
    total: int
    score: float
    passed: bool


def normalise_answer(answer: str) -> str:
    """An answer as stored: the option letter, upper case (blank: not answered)."""
    return answer.strip().upper()


def score_answers(
    answers: Sequence[str], key: Sequence[str], *, max_score: float, pass_score: float
) -> Scored:
    """Score ``answers`` (option letters, in the exam's order) against the answer key.

    Each question weighs the same; the score is rounded to one decimal, so 17 of 20
    right out of 100 is 85.0.
    """
    if len(answers) != len(key):
        raise ValueError("one answer per question is needed")
    correct = sum(
        1 for given, right in zip(answers, key, strict=True) if normalise_answer(given) == right
    )
    score = round(max_score * correct / len(key), 1) if key else 0.0
    return Scored(correct=correct, total=len(key), score=score, passed=score >= pass_score)


# -- rotation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicDue:
    """Where a director stands on one required topic of the rotation."""

    topic: str
    last_trained: dt.date | None
    due_on: dt.date | None  # None: never trained on it, due now
    overdue: bool
    due_soon: bool


def rotation(
    trained: Iterable[tuple[str, str]], today: dt.date, rules: TrainingRules
) -> list[TopicDue]:
    """Each required topic's state from ``(training topic, ISO date)`` pairs attended.

    Sessions dated after ``today`` (scheduled, not yet held) do not count.
    """
    last: dict[str, dt.date] = {}
    for topic, iso in trained:
        key = rules.required(topic)
        if key is None:
            continue
        day = dt.date.fromisoformat(iso)
        if day <= today and (key not in last or day > last[key]):
            last[key] = day
    out = []
    soon = today + dt.timedelta(days=rules.due_soon_days)
    for key in rules.keys:
        latest = last.get(key)
        due = None if latest is None else add_months(latest, rules.cycle_months)
        overdue = due is None or due <= today
        out.append(
            TopicDue(key, latest, due, overdue, not overdue and due is not None and due <= soon)
        )
    return out


# -- certification -------------------------------------------------------------------------


Status = Literal["certified", "expired", "not_certified"]


@dataclass(frozen=True)
class Passed:
    """A director's latest pass on one required topic."""

    topic: str
    passed_on: dt.date
    score: float | None
    expires_on: dt.date
    valid: bool


@dataclass(frozen=True)
class CertState:
    """Whether a director is certified: every required topic passed within the cycle."""

    status: Status
    certified_on: dt.date | None
    expires_on: dt.date | None
    topics: list[Passed]
    missing: list[str]


@dataclass(frozen=True)
class Result:
    """An exam result as certification reads it."""

    topic: str | None
    taken_on: dt.date
    passed: bool
    score: float | None


def certification(results: Iterable[Result], today: dt.date, rules: TrainingRules) -> CertState:
    """The certification a director's results give on ``today``.

    ``certified``: a valid pass on every required topic (it expires with the oldest of
    them); ``expired``: every topic was passed once, but not all within the cycle;
    ``not_certified``: some topic was never passed.
    """
    latest: dict[str, Result] = {}
    for result in results:
        key = rules.required(result.topic)
        if key is None or not result.passed or result.taken_on > today:
            continue
        if key not in latest or result.taken_on > latest[key].taken_on:
            latest[key] = result
    passes = []
    for key in rules.keys:
        found = latest.get(key)
        if found is None:
            continue
        expires = add_months(found.taken_on, rules.cycle_months)
        passes.append(Passed(key, found.taken_on, found.score, expires, expires > today))
    missing = [key for key in rules.keys if not any(p.topic == key and p.valid for p in passes)]
    if not missing:
        return CertState(
            "certified",
            certified_on=max(p.passed_on for p in passes),
            expires_on=min(p.expires_on for p in passes),
            topics=passes,
            missing=[],
        )
    status: Status = "expired" if len(passes) == len(rules.keys) else "not_certified"
    return CertState(status, None, None, passes, missing)
