"""The demo's fixed calendar: one program year and a constant "now".

The data set must be identical on every run, so nothing reads the wall clock:
every instant is placed relative to the constants here. The window covers
2025-12-01 to 2026-11-30 and "now" is 2026-11-28 12:00 China Standard Time, so no
event lies in the future. Assessments use calendar quarters 2026Q1–2026Q4; the
fourth is assessed at "now" over the part of the quarter that has passed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from graph.model import CST, period_of

WINDOW_START = date(2025, 12, 1)
WINDOW_END = date(2026, 11, 30)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=CST)
TODAY = NOW.date()
#: The last day on which a routine event (a visit, a service) may fall.
LAST_EVENT_DAY = TODAY - timedelta(days=1)


def ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime, the graph's instant format."""
    return int(moment.timestamp() * 1000)


NOW_MS = ms(NOW)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant on ``day`` in China Standard Time, the program's calendar."""
    return datetime.combine(day, time(hour, minute), tzinfo=CST)


def day_ms(day: date, hour: int, minute: int = 0) -> int:
    """Epoch milliseconds of :func:`at`."""
    return ms(at(day, hour, minute))


def iso(day: date) -> str:
    """The graph's date format (``YYYY-MM-DD``)."""
    return day.isoformat()


def period_props(epoch_ms: int) -> dict[str, str]:
    """``month`` and ``quarter`` of an event instant, as the model stores them for statistics."""
    month, quarter = period_of(epoch_ms)
    return {"month": month, "quarter": quarter}


def day_between(rng: random.Random, start: date, end: date) -> date:
    """A day drawn uniformly from ``start`` to ``end`` inclusive."""
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def add_days(day: date, days: int) -> date:
    """``day`` shifted by ``days``."""
    return day + timedelta(days=days)


@dataclass(frozen=True)
class Quarter:
    """An assessment period: a calendar quarter, cut off at "now" if it has not ended."""

    period: str
    start: date
    end: date  # inclusive
    computed_at: datetime

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def complete(self) -> bool:
        return self.end < TODAY


def _quarter(year: int, number: int) -> Quarter:
    start = date(year, 3 * number - 2, 1)
    next_start = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    end = next_start - timedelta(days=1)
    if end >= TODAY:
        return Quarter(f"{year}Q{number}", start, LAST_EVENT_DAY, NOW)
    return Quarter(f"{year}Q{number}", start, end, at(end + timedelta(days=5), 10))


QUARTERS: tuple[Quarter, ...] = tuple(_quarter(2026, n) for n in (1, 2, 3, 4))


def months() -> list[tuple[int, int]]:
    """The (year, month) pairs of the window, in order."""
    out: list[tuple[int, int]] = []
    year, month = WINDOW_START.year, WINDOW_START.month
    while date(year, month, 1) <= WINDOW_END:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
