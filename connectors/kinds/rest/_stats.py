"""What one read did: requests, retries, waits, order problems.

A generator cannot return figures to the loop consuming it, so the caller may
hand in a :class:`RestReadStats` and read it afterwards (for the sync run's
summary and logs). Nothing here grows with the number of records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RestReadStats:
    """Counters of one :func:`~connectors.kinds.rest.read_rest` call, updated as it reads."""

    requests: int = 0
    """HTTP requests sent for pages, retries included (token requests not)."""
    pages: int = 0
    records: int = 0
    rejects: int = 0
    retries: int = 0
    """Page or token requests sent again after a 429, a 5xx, a transport error or a bad body."""
    waited_s: float = 0.0
    """Time spent waiting before retries (Retry-After or backoff)."""
    token_fetches: int = 0
    out_of_order: int = 0
    """Records whose cursor value was below the previous record's (yielded all the same)."""
    first_out_of_order: str | None = None
    """Location of the first of them, for the log."""
    max_cursor: object = None
    """The highest cursor value seen (as given by the API), or ``None``."""
