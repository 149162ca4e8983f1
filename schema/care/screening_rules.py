"""Screening rules: a versioned TOML file, validated, and the working days a flag is due in.

A rule matches a child whose signals include every signal of ``all`` and at
least one of ``any`` (either may be left out, not both), unless the child is
already in one of the categories of ``unless`` (nothing left to discover).
Rules are listed by priority: a flag suggests the category of the first rule
that matched, and is due in the fewest working days of those that did.

Working days are China's (weekends, public holidays and the weekend days
worked in lieu) from ``chinese-calendar``; for a year it has no data for yet,
or without it installed, Monday to Friday.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schema.care.screening_signals import Signal

# Moved to schema.core.workdays; re-exported for the screening modules.
from schema.core.workdays import add_working_days as add_working_days
from schema.core.workdays import is_workday as is_workday
from schema.errors import SchemaError

DEFAULT_RULES = Path(__file__).with_name("screening_rules.toml")

#: Categories a flag may suggest (and a verification confirm).
Category = Literal["困境儿童", "事实无人抚养儿童", "孤儿", "留守儿童"]
SUSPECTED = "疑似困境儿童"


class RulesError(SchemaError):
    """A rules file cannot be used: unreadable, not TOML, or a rule is invalid (named)."""


class Rule(BaseModel):
    """One screening rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    description: str = Field(min_length=1)
    all: tuple[Signal, ...] = ()
    any: tuple[Signal, ...] = ()
    unless: tuple[Category, ...] = ()
    suggest: Category
    due_days: int = Field(ge=1, le=60, description="Working days to verify a flag in")

    @model_validator(mode="after")
    def _some_signal(self) -> Rule:
        if not self.all and not self.any:
            raise ValueError("give `all` and/or `any` signals")
        return self

    def matches(self, signals: set[str] | frozenset[str]) -> bool:
        if not set(self.all) <= signals:
            return False
        return not self.any or bool(signals.intersection(self.any))

    @property
    def signals(self) -> frozenset[str]:
        return frozenset(self.all) | frozenset(self.any)


class RuleSet(BaseModel):
    """A versioned set of rules (the version is recorded on every flag)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1, max_length=40)
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule {rule.id!r} is defined twice")
            seen.add(rule.id)
        return self


def load_rules(path: Path | str | None = None) -> RuleSet:
    """The rules of a TOML file (default: the shipped ``screening_rules.toml``)."""
    file = Path(path) if path is not None else DEFAULT_RULES
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"screening rules {file}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"screening rules {file}: not valid TOML: {exc}") from exc
    return parse_rules(data, origin=str(file))


def parse_rules(data: dict[str, Any], *, origin: str = "screening rules") -> RuleSet:
    """Validate rules given as a mapping; the error names the rule at fault."""
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"{origin}: {_explain(exc, data)}") from exc


def _explain(exc: ValidationError, data: dict[str, Any]) -> str:
    given = data.get("rules")
    rules: list[Any] = given if isinstance(given, list) else []
    problems = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = ".".join(str(p) for p in loc) or "file"
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            index = loc[1]
            raw = rules[index] if index < len(rules) else None
            name = raw.get("id") if isinstance(raw, dict) else None
            field = ".".join(str(p) for p in loc[2:]) or "rule"
            where = f"rule {name!r} (rules[{index}]) {field}" if name else f"rules[{index}] {field}"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)
