"""What a source kind yields: records with their location, or rejects with their reason.

Every record keeps where it came from (Meltano keeps each CSV row's file and
line): the location is shown with rejects and stored as provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawRecord:
    """One record as read: field name → value, and where it was found.

    ``location`` is human-readable and precise: ``"儿童福利台账.xlsx!困境儿童:14"``
    (file, sheet, 1-based row), ``"GET /api/visits?page=3 #5"`` (request, index),
    ``"students id=17"`` (table, key).
    """

    data: dict[str, Any]
    location: str


@dataclass(frozen=True)
class RawReject:
    """A row the source kind could not turn into a record (``data``: what was readable)."""

    location: str
    reason: str
    data: dict[str, Any] | None = None


Extracted = RawRecord | RawReject
