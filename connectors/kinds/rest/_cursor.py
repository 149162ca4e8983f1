"""Cursor values (``updated_at``) and the check that records come in ascending order.

The sync engine asks for records with an inclusive lower bound and keeps the
highest value it saw as its bookmark; that is only safe if the API really
returns records in ascending cursor order. Platforms get this wrong (a sort
on a column with ties, a cache), so the reader checks every record against the
previous one. A record that goes backwards is still yielded, since dropping it
would lose data, but counted in :class:`RestReadStats` and logged: the engine
can then refuse to move its bookmark past what it has committed. An equal
value is in order (records repeated across pages have the same value).

Values compare by meaning, not by spelling: ISO 8601 strings as instants (so
``…T08:00:00+08:00`` equals ``…T00:00:00Z``), numbers as numbers, other strings
as strings. Values of different kinds (an aware and a naive time, a number and
a string) are not compared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

CursorKey = tuple[int, Any]


def cursor_key(value: object) -> CursorKey | None:
    """A sortable key of a cursor value; ``None`` when the value cannot be a cursor."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return (3, text)
        return (1, moment) if moment.tzinfo is not None else (2, moment)
    return None


class CursorOrder:
    """Follows the cursor values of one read and tells which step backwards."""

    def __init__(self) -> None:
        self._last: CursorKey | None = None
        self.highest: CursorKey | None = None
        self.highest_value: object = None

    def step(self, key: CursorKey, value: object) -> bool:
        """Take the next record's key; ``False`` when it is below the previous one."""
        in_order = True
        last = self._last
        if last is not None and last[0] == key[0] and key[1] < last[1]:
            in_order = False
        self._last = key
        highest = self.highest
        if highest is None or (highest[0] == key[0] and key[1] > highest[1]):
            self.highest = key
            self.highest_value = value
        return in_order
