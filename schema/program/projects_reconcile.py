"""Reconciling purchased-service projects against their targets: the counting rules.

A service counts for a project when it is linked to it (``UNDER``), is the
current version of its record, was delivered inside the project's period
(start and end dates inclusive, China Standard Time) and, when the project
lists its towns, in one of them. Linked services that fail a rule are the
project's *exceptions*, listed with their reasons and never counted.

Nothing is counted twice: services are counted by distinct id, so a service
linked to two projects counts once in each project and once in any total over
projects; children are counted by distinct id too, and person-times are summed
over the distinct services.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.model import CST


class Issue(enum.Enum):
    """Why a service linked to a project is not counted for it."""

    BEFORE_START = "before_start"
    AFTER_END = "after_end"
    NO_DATE = "no_date"
    OUTSIDE_TOWNS = "outside_towns"


@dataclass(frozen=True)
class Counts:
    services: int | None
    children: int | None
    person_times: int | None


def _day(value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _midnight_ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0), CST).timestamp() * 1000)


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


@dataclass(frozen=True)
class ProjectFacts:
    """A project's period, towns and targets (from ``projects.projects``)."""

    id: str
    start: dt.date | None
    end: dt.date | None
    towns: frozenset[str]
    target: Counts

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ProjectFacts:
        return cls(
            id=str(row["id"]),
            start=_day(row.get("startDate")),
            end=_day(row.get("endDate")),
            towns=frozenset(str(t) for t in row.get("towns") or () if t),
            target=Counts(
                services=_int(row.get("targetServices")),
                children=_int(row.get("targetChildren")),
                person_times=_int(row.get("targetPersonTimes")),
            ),
        )

    def issues(self, delivered_at: int | None, village: str | None) -> list[Issue]:
        """The reasons a linked service does not count (none: it counts)."""
        found = []
        if delivered_at is None:
            found.append(Issue.NO_DATE)
        else:
            if self.start is not None and delivered_at < _midnight_ms(self.start):
                found.append(Issue.BEFORE_START)
            end = self.end
            if end is not None and delivered_at >= _midnight_ms(end + dt.timedelta(days=1)):
                found.append(Issue.AFTER_END)
        if self.towns and str(village or "")[:9] not in self.towns:
            found.append(Issue.OUTSIDE_TOWNS)
        return found


@dataclass(frozen=True)
class LinkedService:
    """One service linked to one project (a row of ``projects.services``)."""

    project: str
    id: str
    delivered_at: int | None
    person_times: int
    village: str | None
    children: frozenset[str]
    projects: frozenset[str]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> LinkedService:
        return cls(
            project=str(row["project"]),
            id=str(row["id"]),
            delivered_at=_int(row.get("deliveredAt")),
            person_times=_int(row.get("personTimes")) or 0,
            village=row.get("villageCode"),
            children=frozenset(str(c) for c in row.get("children") or ()),
            projects=frozenset(str(p) for p in row.get("projects") or ()),
        )


@dataclass
class Tally:
    """Distinct services (with their person-times) and children."""

    services: dict[str, int] = field(default_factory=dict)
    children: set[str] = field(default_factory=set)

    def add(self, service: LinkedService) -> None:
        self.services[service.id] = service.person_times
        self.children.update(service.children)

    def merge(self, other: Tally) -> None:
        self.services.update(other.services)
        self.children.update(other.children)

    def counts(self) -> Counts:
        return Counts(
            services=len(self.services),
            children=len(self.children),
            person_times=sum(self.services.values()),
        )


@dataclass
class Reconciled:
    """One project's reconciliation."""

    facts: ProjectFacts
    counted: Tally = field(default_factory=Tally)
    #: Counted services also linked to another project (counted there too).
    shared: set[str] = field(default_factory=set)
    exceptions: list[tuple[LinkedService, list[Issue]]] = field(default_factory=list)


def reconcile(
    projects: Sequence[ProjectFacts], linked: Iterable[LinkedService]
) -> list[Reconciled]:
    """Each project's counted services, shared services and exceptions."""
    out = {p.id: Reconciled(p) for p in projects}
    for service in linked:
        result = out.get(service.project)
        if result is None or service.id in result.counted.services:
            continue
        issues = result.facts.issues(service.delivered_at, service.village)
        if issues:
            if all(s.id != service.id for s, _ in result.exceptions):
                result.exceptions.append((service, issues))
            continue
        result.counted.add(service)
        if len(service.projects - {service.project}) > 0:
            result.shared.add(service.id)
    return [out[p.id] for p in projects]


def total(results: Sequence[Reconciled]) -> tuple[Tally, set[str]]:
    """Distinct services and children over the projects, and the services counted under
    two or more of them (each in the total once)."""
    union = Tally()
    seen: dict[str, int] = {}
    for result in results:
        union.merge(result.counted)
        for key in result.counted.services:
            seen[key] = seen.get(key, 0) + 1
    return union, {k for k, n in seen.items() if n > 1}


def progress(delivered: int | None, target: int | None) -> float | None:
    """Delivered as a percentage of the target (None without a target)."""
    if delivered is None or not target:
        return None
    return round(100 * delivered / target, 1)
