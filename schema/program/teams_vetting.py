"""Background checks of volunteers (从业禁止/性侵害违法犯罪信息查询): the rules.

People barred from work with children are never matched with a child and
never join a team. Only a check that *passed* and is younger than
:data:`VALID_DAYS` clears a volunteer; everything else keeps them away from
children: a flagged check, an expired one, a pending one, no check at all, or
a status in a source system's own words that the hub does not know.
"""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

#: A passed check clears a volunteer for this many days (then it is re-checked).
VALID_DAYS = 365


@strawberry.enum(description="A background check's outcome (从业禁止/性侵害违法犯罪信息查询)")
class BackgroundCheckStatus(enum.Enum):
    PASSED = "passed"
    PENDING = "pending"
    FLAGGED = "flagged"
    EXPIRED = "expired"


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def valid_since(today: dt.date) -> str:
    """The oldest ``checkedDate`` (ISO) of a passed check that still clears someone today."""
    return (today - dt.timedelta(days=VALID_DAYS)).isoformat()


def expires(status: object, checked: object) -> dt.date | None:
    """The last day a passed check clears the volunteer (None for other outcomes)."""
    day = _date(checked)
    if status != BackgroundCheckStatus.PASSED.value or day is None:
        return None
    return day + dt.timedelta(days=VALID_DAYS)


def effective(status: object, checked: object, today: dt.date) -> BackgroundCheckStatus | None:
    """The status as it stands today: a passed check past its validity is expired.

    None for a value the hub does not know (a source's own wording): not cleared.
    """
    try:
        known = BackgroundCheckStatus(status)
    except ValueError:
        return None
    if known is BackgroundCheckStatus.PASSED:
        last = expires(status, checked)
        if last is None or last < today:
            return BackgroundCheckStatus.EXPIRED
    return known


def cleared(status: object, checked: object, today: dt.date) -> bool:
    """Whether the volunteer may work with children today."""
    return effective(status, checked, today) is BackgroundCheckStatus.PASSED
