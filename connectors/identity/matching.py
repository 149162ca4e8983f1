"""Is this record a person we already know? Matching people who have no valid ID number.

A child without a resident ID number (not yet registered, a typo the checksum
caught, a ledger that never asked) is compared with the people the graph
already holds, usually those of the same birth date or village. The evidence
is weighed, not required to be perfect, because every system spells names its
own way (:mod:`connectors.identity.names`)::

    confidence = Σ weightᵢ · valueᵢ / Σ weightᵢ        (over the parts that count)

    part        weight  value
    name        0.50    names.similarity score (1 exact … 0.9 homophone … 0.8 dialect)
    birth date  0.25    1 equal, 0.5 a typing slip (digits swapped, one digit off), 0 else
    village     0.15    1 same village code, 0.4 same town, 0 else
    gender      0.10    1 equal, 0 different; left out of both sums when either is unknown

A missing birth date or village counts as 0, not as "left out": the absence
of evidence must not raise the confidence. Conflicts cap it: birth dates that
are clearly different say "two people with one name" (capped at 0.5, below
review); a gender or a birth date that differs only by a slip can at best go
to review. When both sides carry a valid ID number it decides alone.

Decisions: ``match`` at :data:`MERGE_AT` (0.9) or above, unless another
candidate is within :data:`AMBIGUITY_MARGIN` (then ``review``: never merge on
a coin toss); ``review`` from :data:`REVIEW_AT` (0.6); below, ``new``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from connectors.identity import idnumber, names

__all__ = [
    "AMBIGUITY_MARGIN",
    "MERGE_AT",
    "REVIEW_AT",
    "WEIGHTS",
    "Candidate",
    "Decision",
    "Match",
    "Outcome",
    "decide",
    "score",
]

MERGE_AT = 0.9
REVIEW_AT = 0.6
AMBIGUITY_MARGIN = 0.1
WEIGHTS = {"name": 0.5, "birth_date": 0.25, "village": 0.15, "gender": 0.1}

_CAP_BIRTH_CONFLICT = 0.5  # a different person of the same name: below review
_CAP_UNCERTAIN = 0.85  # a slip or a gender conflict: a person decides

Outcome = Literal["match", "review", "new"]

_GENDERS = {"male": "male", "female": "female", "男": "male", "女": "female", "m": "male"}
_GENDERS |= {"f": "female", "1": "male", "2": "female"}  # GB/T 2261.1 codes


@dataclass(frozen=True)
class Candidate:
    """A person as compared: the record being resolved, or one already in the graph.

    ``birth_date`` is an ISO date (or a ``date``); ``gender`` ``"male"``/``"female"``
    (``男``/``女`` and the GB/T 2261.1 codes 1/2 are understood); ``id`` is the
    graph node's id, or the record's own key.
    """

    id: str
    name: str | None
    birth_date: str | date | None = None
    village_code: str | None = None
    gender: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class Match:
    """The confidence that two records are one person, and why."""

    confidence: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Decision:
    """What to do with a record: take ``candidate``'s node, queue a review, or a new person.

    ``alternatives`` are the other candidates that reached review, best first,
    so a reviewer sees every plausible person, not only the top one.
    """

    outcome: Outcome
    candidate: Candidate | None
    confidence: float
    reasons: list[str]
    alternatives: list[tuple[Candidate, Match]] = field(default_factory=list)


def score(candidate: Candidate, record: Candidate) -> Match:
    """How likely ``record`` is about the person ``candidate`` (see the module's table)."""
    by_id = _by_id_number(candidate, record)
    if by_id is not None:
        return by_id
    reasons: list[str] = []
    total = weights = 0.0
    cap = 1.0

    name_value = _name(candidate.name, record.name, reasons)
    total += WEIGHTS["name"] * name_value
    weights += WEIGHTS["name"]

    birth_value, birth_cap = _birth(_birth_of(candidate), _birth_of(record), reasons)
    total += WEIGHTS["birth_date"] * birth_value
    weights += WEIGHTS["birth_date"]
    cap = min(cap, birth_cap)

    village_value = _village(candidate.village_code, record.village_code, reasons)
    total += WEIGHTS["village"] * village_value
    weights += WEIGHTS["village"]

    left, right = _gender_of(candidate), _gender_of(record)
    if left and right:
        weights += WEIGHTS["gender"]
        if left == right:
            total += WEIGHTS["gender"]
            reasons.append("gender equal")
        else:
            reasons.append(f"gender differs ({left} / {right})")
            cap = min(cap, _CAP_UNCERTAIN)

    confidence = min(total / weights, cap)
    return Match(round(confidence, 3), reasons)


def decide(record: Candidate, candidates: Iterable[Candidate]) -> Decision:
    """Pick the best candidate for ``record`` and decide ``match``, ``review`` or ``new``."""
    scored = sorted(
        ((c, score(c, record)) for c in candidates),
        key=lambda pair: (-pair[1].confidence, pair[0].id),
    )
    if not scored or scored[0][1].confidence < REVIEW_AT:
        best = scored[0][1] if scored else None
        reasons = ["no candidate"] if best is None else ["best candidate too weak", *best.reasons]
        return Decision("new", None, best.confidence if best else 0.0, reasons)
    best_candidate, best = scored[0]
    others = [(c, m) for c, m in scored[1:] if m.confidence >= REVIEW_AT]
    close = [c for c, m in others if best.confidence - m.confidence < AMBIGUITY_MARGIN]
    if best.confidence >= MERGE_AT and not close:
        return Decision("match", best_candidate, best.confidence, best.reasons, others)
    reasons = list(best.reasons)
    if best.confidence >= MERGE_AT:
        reasons.append(
            f"ambiguous: {len(close) + 1} candidates within {AMBIGUITY_MARGIN} "
            f"({', '.join([best_candidate.id, *(c.id for c in close)])})"
        )
    return Decision("review", best_candidate, best.confidence, reasons, others)


def _by_id_number(candidate: Candidate, record: Candidate) -> Match | None:
    """Two valid ID numbers settle it either way; otherwise the other evidence decides."""
    left, right = _valid_id(candidate), _valid_id(record)
    if left is None or right is None:
        return None
    if left.value == right.value:
        return Match(1.0, ["ID number equal"])
    return Match(0.0, ["ID numbers differ"])


def _valid_id(person: Candidate) -> idnumber.IdNumber | None:
    if not person.id_number:
        return None
    parsed = idnumber.parse(person.id_number)
    return parsed if isinstance(parsed, idnumber.IdNumber) else None


def _birth_of(person: Candidate) -> date | None:
    """The birth date given, else the one a valid ID number states."""
    if isinstance(person.birth_date, date):
        return person.birth_date
    if person.birth_date:
        try:
            return date.fromisoformat(person.birth_date.strip()[:10])
        except ValueError:
            return None
    parsed = _valid_id(person)
    return parsed.birth_date if parsed else None


def _gender_of(person: Candidate) -> str | None:
    if person.gender:
        return _GENDERS.get(person.gender.strip().lower())
    parsed = _valid_id(person)
    return parsed.gender if parsed else None


def _name(left: str | None, right: str | None, reasons: list[str]) -> float:
    if not left or not right:
        reasons.append("name unknown")
        return 0.0
    found = names.similarity(left, right)
    detail = f" ({found.detail})" if found.detail else ""
    reasons.append(
        {
            "exact": "name equal",
            "dot": "name equal apart from the middle dot",
            "homophone": f"name homophone{detail}",
            "pinyin": f"name spelt in pinyin{detail}",
            "fuzzy": f"name alike in dialect pinyin{detail}",
            "partial": f"name partly alike{detail}",
            "different": "name different",
        }[found.kind]
    )
    return found.score


def _birth(left: date | None, right: date | None, reasons: list[str]) -> tuple[float, float]:
    """The birth-date value and the cap it puts on the confidence."""
    if left is None or right is None:
        reasons.append("birth date unknown")
        return 0.0, 1.0
    if left == right:
        reasons.append("birth date equal")
        return 1.0, 1.0
    if _slip(left, right):
        reasons.append(f"birth date close ({left.isoformat()} / {right.isoformat()})")
        return 0.5, _CAP_UNCERTAIN
    reasons.append(f"birth date differs ({left.isoformat()} / {right.isoformat()})")
    return 0.0, _CAP_BIRTH_CONFLICT


def _slip(left: date, right: date) -> bool:
    """Typing slips: month and day swapped, two adjacent digits swapped, one digit wrong."""
    if (left.year, left.month, left.day) == (right.year, right.day, right.month):
        return True
    a, b = left.strftime("%Y%m%d"), right.strftime("%Y%m%d")
    differing = [i for i in range(8) if a[i] != b[i]]
    if len(differing) == 1:
        return True
    return (
        len(differing) == 2
        and differing[1] == differing[0] + 1
        and a[differing[0]] == b[differing[1]]
        and a[differing[1]] == b[differing[0]]
    )


def _village(left: str | None, right: str | None, reasons: list[str]) -> float:
    left, right = (left or "").strip(), (right or "").strip()
    if not left or not right:
        reasons.append("village unknown")
        return 0.0
    if left == right:
        reasons.append("village equal")
        return 1.0
    if len(left) >= 9 and left[:9] == right[:9]:
        reasons.append("same town, other village")
        return 0.4
    reasons.append("village differs")
    return 0.0
