"""Assessment formulas: versioned TOML files shipped beside this module, validated.

A formula is data, not code: ``assessment_<version>.toml`` holds the weights of
a director's exam score and visit effectiveness, the weights of the visit
parts, the rules that count visits, the tiers with their allowance and the
village committee's performance bonus, the vocational allowance for a
social-work qualification, and the same for supervisors. Versions live side by
side; an assessment records the version it was computed with, and computing a
period with another version writes new assessments (the old stay as they were).
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schema.errors import SchemaError

HERE = Path(__file__).parent
#: The version in force unless another is asked for (the demo's year uses it).
DEFAULT_VERSION = "v1"
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class FormulaError(SchemaError):
    """A formula cannot be used: unknown version, unreadable file, or invalid (named)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _sums_to_one(weights: dict[str, float], what: str) -> None:
    if not math.isclose(sum(weights.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"{what} must add up to 1 (they add up to {sum(weights.values())})")


class Tier(_Strict):
    """A tier: reached by a total of at least ``min``; what it pays per quarter (yuan)."""

    name: str = Field(min_length=1, max_length=8)
    min: float = Field(ge=0, le=100)
    allowance: int = Field(ge=0)
    bonus: int = Field(default=0, ge=0, description="Village committee's performance bonus")


def _check_tiers(tiers: tuple[Tier, ...]) -> None:
    mins = [t.min for t in tiers]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise ValueError("tiers must be listed from the highest `min` down, each distinct")
    if mins[-1] != 0:
        raise ValueError("the last tier must have `min = 0` (every total gets a tier)")
    if len({t.name for t in tiers}) != len(tiers):
        raise ValueError("tier names must be distinct")


class ExamVisit(_Strict):
    exam: float = Field(ge=0, le=1)
    visit: float = Field(ge=0, le=1)


class VisitParts(_Strict):
    """Weights of the parts of visit effectiveness (they add up to 1)."""

    coverage: float = Field(ge=0, le=1)
    timeliness: float = Field(ge=0, le=1)
    validity: float = Field(ge=0, le=1)
    follow_up: float = Field(ge=0, le=1)
    reports: float = Field(ge=0, le=1)


class VisitRules(_Strict):
    monthly_categories: tuple[str, ...]
    monthly_risk_levels: tuple[str, ...] = ("high",)
    unreviewed_credit: float = Field(ge=0, le=1)
    monthly_gap_days: int = Field(ge=1, le=366)
    quarterly_gap_days: int = Field(ge=1, le=366)
    follow_up_days: int = Field(ge=1, le=366)
    exam_fallback: Literal["latest", "zero"] = "latest"


class Vocational(_Strict):
    """The vocational allowance per quarter for a social-work qualification."""

    default: int = Field(ge=0)
    by_title: dict[str, int] = Field(default_factory=dict)

    def amount(self, qualification: str | None) -> int:
        if not qualification:
            return 0
        return self.by_title.get(qualification, self.default)


class DirectorFormula(_Strict):
    weights: ExamVisit
    visit: VisitParts
    rules: VisitRules
    tiers: tuple[Tier, ...] = Field(min_length=1)
    vocational: Vocational

    @model_validator(mode="after")
    def _check(self) -> DirectorFormula:
        _sums_to_one(self.weights.model_dump(), "director.weights")
        _sums_to_one(self.visit.model_dump(), "director.visit")
        _check_tiers(self.tiers)
        return self


class SupervisorWeights(_Strict):
    directors: float = Field(ge=0, le=1)
    ledger: float = Field(ge=0, le=1)
    rectification: float = Field(ge=0, le=1)


class SupervisorRules(_Strict):
    ledger_target: int = Field(ge=1)
    late_credit: float = Field(ge=0, le=1)


class SupervisorFormula(_Strict):
    weights: SupervisorWeights
    rules: SupervisorRules
    tiers: tuple[Tier, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> SupervisorFormula:
        _sums_to_one(self.weights.model_dump(), "supervisor.weights")
        _check_tiers(self.tiers)
        return self


class Formula(_Strict):
    """One version of the assessment formula."""

    version: str = Field(pattern=_VERSION.pattern)
    description: str = Field(min_length=1)
    director: DirectorFormula
    supervisor: SupervisorFormula


def tier_of(tiers: tuple[Tier, ...], total: float) -> Tier:
    """The first tier whose ``min`` the total reaches (the last has ``min = 0``)."""
    return next((t for t in tiers if total >= t.min), tiers[-1])


def versions(directory: Path = HERE) -> list[str]:
    """The shipped formula versions, sorted."""
    return sorted(p.stem.removeprefix("assessment_") for p in directory.glob("assessment_*.toml"))


def load_formula(version: str = DEFAULT_VERSION, directory: Path = HERE) -> Formula:
    """The formula of ``version`` (``assessment_<version>.toml``), validated once and cached."""
    if not _VERSION.match(version):
        raise FormulaError(f"no assessment formula {version!r}")
    return _load(version, directory)


@functools.cache
def _load(version: str, directory: Path) -> Formula:
    file = directory / f"assessment_{version}.toml"
    if not file.is_file():
        known = ", ".join(versions(directory)) or "none"
        raise FormulaError(f"no assessment formula {version!r} (known: {known})")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FormulaError(f"assessment formula {file.name}: unreadable: {exc}") from exc
    formula = parse_formula(data, origin=file.name)
    if formula.version != version:
        raise FormulaError(f"{file.name} says version {formula.version!r}, not {version!r}")
    return formula


def parse_formula(data: dict[str, Any], *, origin: str = "assessment formula") -> Formula:
    """Validate a formula given as a mapping; the error names the entry at fault."""
    try:
        return Formula.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()
        )
        raise FormulaError(f"{origin}: {problems}") from exc
