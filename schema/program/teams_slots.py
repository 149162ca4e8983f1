"""Volunteers' availability: weekly time slots such as ``sat 09:00-12:00``.

The graph stores a volunteer's slots as a list of strings in that form (lists
of primitives are what both engines store); GraphQL shows and takes them as
``AvailabilitySlot`` objects. Times are China Standard Time, minutes of the day,
a slot never crosses midnight.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import strawberry

from schema.errors import BadArgument

MAX_SLOTS = 21  # three a day is plenty


@strawberry.enum(description="A day of the week")
class Weekday(enum.Enum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


_TEXT = re.compile(r"(mon|tue|wed|thu|fri|sat|sun) ([0-2]\d):([0-5]\d)-([0-2]\d):([0-5]\d)")
_TIME = re.compile(r"([0-2]\d):([0-5]\d)")
_DAYS = list(Weekday)


@dataclass(frozen=True)
class Slot:
    """A weekly slot: the weekday and the minutes of the day it starts and ends."""

    weekday: Weekday
    start: int
    end: int

    def order(self) -> tuple[int, int, int]:
        """Monday first, then by time."""
        return _DAYS.index(self.weekday), self.start, self.end

    def text(self) -> str:
        return f"{self.weekday.value} {_hhmm(self.start)}-{_hhmm(self.end)}"

    def overlaps(self, other: Slot) -> bool:
        return self.weekday is other.weekday and self.start < other.end and other.start < self.end


@strawberry.type(description="A weekly time slot a volunteer is available (China Standard Time)")
class AvailabilitySlot:
    weekday: Weekday
    start: str = strawberry.field(description="HH:MM")
    end: str = strawberry.field(description="HH:MM")


@strawberry.input(description="A weekly time slot, e.g. saturday 09:00 to 12:00")
class AvailabilitySlotInput:
    weekday: Weekday
    start: str = strawberry.field(description="HH:MM, 00:00 to 23:59")
    end: str = strawberry.field(description="HH:MM, after start, at most 24:00")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value: str, arg: str, *, end: bool) -> int:
    found = _TIME.fullmatch(value.strip())
    if found is None:
        raise BadArgument(f"`{arg}` takes a time as HH:MM, e.g. 09:30")
    minutes = int(found.group(1)) * 60 + int(found.group(2))
    if minutes > (24 * 60 if end else 24 * 60 - 1):
        raise BadArgument(f"`{arg}` must lie within the day")
    return minutes


def parse_inputs(slots: Sequence[AvailabilitySlotInput], arg: str) -> list[Slot]:
    """Validated slots of an argument, sorted and without repeats."""
    if len(slots) > MAX_SLOTS:
        raise BadArgument(f"`{arg}` takes at most {MAX_SLOTS} slots")
    parsed = set()
    for slot in slots:
        start = _minutes(slot.start, f"{arg}.start", end=False)
        end = _minutes(slot.end, f"{arg}.end", end=True)
        if end <= start:
            raise BadArgument(f"`{arg}`: a slot ends after it starts ({slot.start}-{slot.end})")
        parsed.add(Slot(slot.weekday, start, end))
    return sorted(parsed, key=Slot.order)


def parse_stored(values: Iterable[str] | None) -> list[Slot]:
    """Slots as the graph stores them; text in another form (a source's own) is skipped."""
    out = []
    for value in values or ():
        found = _TEXT.fullmatch(str(value))
        if found is None:
            continue
        day, h1, m1, h2, m2 = found.groups()
        start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
        if start < end <= 24 * 60:
            out.append(Slot(Weekday(day), start, end))
    return sorted(set(out), key=Slot.order)


def shown(slot: Slot) -> AvailabilitySlot:
    return AvailabilitySlot(weekday=slot.weekday, start=_hhmm(slot.start), end=_hhmm(slot.end))


def overlapping(available: Sequence[Slot], wanted: Sequence[Slot]) -> list[Slot]:
    """The volunteer's slots that meet any of the wanted ones."""
    return [a for a in available if any(a.overlaps(w) for w in wanted)]
