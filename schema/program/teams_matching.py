"""Matching volunteers to a child's needs: skills, distance from home, availability.

Only volunteers cleared to work with children are ever candidates: a passed
background check younger than its validity. The graph statement already
selects only those, and the scoring checks again (:func:`rank` drops anyone not
cleared), so a flagged, expired or pending volunteer cannot be proposed by a
change to either alone.

The score (0–100) is the sum of weighted parts, each explained:

* skills: the share of the needs the volunteer covers (at least one is required);
* distance: 1 at the child's home, 0 at :attr:`MatchRules.max_km` (farther: not a candidate);
* availability: the volunteer has a slot meeting one of the times asked for (without
  ``when``: any declared availability);
* team: the volunteer already serves in the team of a director paired with the child.

The child's home position is used here and nowhere returned: candidates carry
their distance in kilometres (rounded to 0.1 km), never a position.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schema.care.evidence import distance_m
from schema.program import teams_slots as slots
from schema.program import teams_vetting as vetting


@dataclass(frozen=True)
class MatchRules:
    """The weights and limits of matching; the weights add up to 100."""

    max_km: float = 15.0
    skills: float = 55.0
    distance: float = 30.0
    availability: float = 10.0
    team: float = 5.0


RULES = MatchRules()


@dataclass(frozen=True)
class Candidate:
    """One volunteer as matching sees them (from ``teams.candidates``)."""

    id: str
    skills: tuple[str, ...]
    availability: tuple[slots.Slot, ...]
    lat: float | None
    lng: float | None
    teams: frozenset[str]
    check: object = None
    check_date: object = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Candidate:
        return cls(
            id=str(row["id"]),
            skills=tuple(str(s) for s in row.get("skills") or ()),
            availability=tuple(slots.parse_stored(row.get("availability"))),
            lat=None if row.get("lat") is None else float(row["lat"]),
            lng=None if row.get("lng") is None else float(row["lng"]),
            teams=frozenset(str(t) for t in row.get("teams") or ()),
            check=row.get("check"),
            check_date=row.get("checkDate"),
        )


@dataclass(frozen=True)
class Scored:
    """A candidate's score with the parts behind it."""

    volunteer_id: str
    score: float
    skills_matched: tuple[str, ...]
    km: float
    available: tuple[slots.Slot, ...]
    in_team: bool
    explanation: tuple[str, ...]


def box(lat: float, lng: float, km: float) -> dict[str, float]:
    """A latitude/longitude box holding every point within ``km`` of ``(lat, lng)``."""
    dlat = km / 110.574
    dlng = km / (111.320 * max(0.01, math.cos(math.radians(lat))))
    return {
        "minLat": lat - dlat,
        "maxLat": lat + dlat,
        "minLng": lng - dlng,
        "maxLng": lng + dlng,
    }


def score(
    candidate: Candidate,
    needs: Sequence[str],
    home: tuple[float, float],
    *,
    when: Sequence[slots.Slot] = (),
    child_teams: frozenset[str] = frozenset(),
    rules: MatchRules = RULES,
) -> Scored | None:
    """The candidate's score, or None when they do not fit (no skill, too far, not free)."""
    matched = tuple(n for n in needs if n in candidate.skills)
    if not matched or candidate.lat is None or candidate.lng is None:
        return None
    km = distance_m(home[0], home[1], candidate.lat, candidate.lng) / 1000
    if km > rules.max_km:
        return None
    available = tuple(slots.overlapping(candidate.availability, when)) if when else ()
    if when and not available:
        return None
    skill_part = rules.skills * len(matched) / len(needs)
    distance_part = rules.distance * (1 - km / rules.max_km)
    free = bool(available) if when else bool(candidate.availability)
    availability_part = rules.availability if free else 0.0
    in_team = bool(candidate.teams & child_teams)
    team_part = rules.team if in_team else 0.0
    shown_km = round(km, 1)
    explanation = [
        f"skills: {len(matched)} of {len(needs)} needs ({', '.join(matched)}) → {skill_part:.1f}",
        f"distance: {shown_km:.1f} km from the child's home (limit {rules.max_km:g} km) "
        f"→ {distance_part:.1f}",
    ]
    if when:
        times = ", ".join(s.text() for s in available)
        explanation.append(f"availability: free at {times} → {availability_part:.1f}")
    elif free:
        explanation.append(
            f"availability: {len(candidate.availability)} weekly slots declared "
            f"→ {availability_part:.1f}"
        )
    else:
        explanation.append("availability: none declared → 0.0")
    explanation.append(
        f"team: serves in the team of the child's director → {team_part:.1f}"
        if in_team
        else "team: not in the team of the child's director → 0.0"
    )
    total = skill_part + distance_part + availability_part + team_part
    return Scored(
        volunteer_id=candidate.id,
        score=round(total, 1),
        skills_matched=matched,
        km=shown_km,
        available=available,
        in_team=in_team,
        explanation=tuple(explanation),
    )


def rank(
    candidates: Sequence[Candidate],
    needs: Sequence[str],
    home: tuple[float, float],
    today: dt.date,
    *,
    first: int,
    when: Sequence[slots.Slot] = (),
    child_teams: frozenset[str] = frozenset(),
    rules: MatchRules = RULES,
) -> list[Scored]:
    """The best ``first`` cleared candidates: highest score, then nearest, then id."""
    scored = []
    for candidate in candidates:
        # Never propose someone not cleared, whatever the statement returned.
        if not vetting.cleared(candidate.check, candidate.check_date, today):
            continue
        found = score(candidate, needs, home, when=when, child_teams=child_teams, rules=rules)
        if found is not None:
            scored.append(found)
    scored.sort(key=lambda s: (-s.score, s.km, s.volunteer_id))
    return scored[:first]
