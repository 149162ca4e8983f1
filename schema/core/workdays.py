"""China's working-day calendar: weekends, public holidays and the weekend days worked in lieu.

Deadlines of the program (a screening flag's verification, a rectification)
are counted in working days as the State Council's holiday notice sets them
each year: 国庆 (1–7 October) is skipped, a make-up working Saturday (调休上班)
counts. The data comes from ``chinese-calendar``, which knows the years the
State Council has published (to 2026 in the pinned release); for a later year,
or without the package, the calendar falls back to Monday to Friday: a deadline
then ignores that year's holidays until the package is updated.
"""

from __future__ import annotations

import datetime as dt

try:  # pragma: no cover - which branch runs depends on the installation
    import chinese_calendar  # type: ignore[import-untyped,import-not-found,unused-ignore]
except ImportError:  # pragma: no cover
    chinese_calendar = None


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day in China (Monday to Friday where no data)."""
    if chinese_calendar is not None:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year the package has no holiday data for
            pass
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def next_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the first working day after it.

    A deadline that falls on a rest day runs to the next working day (期限顺延).
    """
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
