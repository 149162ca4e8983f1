"""Faults a stand-in can be told to inject, counted per platform and per request.

Real platforms rate-limit, fall over and cut bodies short; the reader must
cope, so the stand-ins do the same on demand, deterministically: "every Nth
data request" (token requests are not counted). Tests swap a platform's
:class:`Faults` in :attr:`StandinState.faults` between reads; a fresh object
starts counting from zero.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import Enum


class Fault(Enum):
    RATE_LIMITED = "429 with Retry-After in seconds"
    UNAVAILABLE = "503 with Retry-After as an HTTP-date"
    ERROR = "500 without Retry-After"
    SLOW = "the answer comes after slow_s seconds"
    MALFORMED = "200 with the JSON body cut in half"
    JUNK_RECORD = "a page with a null among its records"


@dataclass
class Faults:
    """Which data requests misbehave (0: never). The first matching rule wins, in this order."""

    rate_limit_every: int = 0
    unavailable_every: int = 0
    error_every: int = 0
    slow_every: int = 0
    malformed_every: int = 0
    junk_record_every: int = 0
    retry_after_s: int = 1
    slow_s: float = 0.0
    _seen: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def requests(self) -> int:
        """Data requests seen so far."""
        return self._seen

    def next_request(self) -> Fault | None:
        """Count one data request; the fault it gets, if any."""
        with self._lock:
            self._seen += 1
            n = self._seen
        rules = (
            (self.rate_limit_every, Fault.RATE_LIMITED),
            (self.unavailable_every, Fault.UNAVAILABLE),
            (self.error_every, Fault.ERROR),
            (self.slow_every, Fault.SLOW),
            (self.malformed_every, Fault.MALFORMED),
            (self.junk_record_every, Fault.JUNK_RECORD),
        )
        for every, fault in rules:
            if every and n % every == 0:
                return fault
        return None


def default_faults() -> dict[str, Faults]:
    """What the platforms do unasked: the hotline is rate-limited and sometimes unavailable."""
    return {
        "civil_affairs": Faults(),
        "volunteers": Faults(),
        "hotline": Faults(rate_limit_every=5, unavailable_every=17, retry_after_s=1),
        "load": Faults(),
    }


def no_faults() -> dict[str, Faults]:
    """Every platform well-behaved (tests that are not about faults)."""
    return {name: Faults() for name in ("civil_affairs", "volunteers", "hotline", "load")}
