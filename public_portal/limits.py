"""Rate limits in this process's memory: sliding-window logs per key.

One hub process serves the portal, so the counts live in memory (a restart
forgets them, which only ever lets a few more through). With several
processes, each counts its own: put the limits in a shared store (Redis) then.

Every check-and-record is synchronous, so under asyncio no two requests can
both pass the last free slot.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

#: Keys kept at most per window (oldest forgotten first): memory stays bounded
#: whatever number of addresses a flood comes from.
MAX_KEYS = 100_000


class SlidingWindow:
    """Events per key within the last ``window_s`` seconds."""

    def __init__(
        self,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._log: OrderedDict[str, deque[float]] = OrderedDict()

    def count(self, key: str) -> int:
        """Events of ``key`` in the window ending now."""
        log = self._log.get(key)
        if log is None:
            return 0
        self._expire(log, self.clock())
        if not log:
            del self._log[key]
        return len(log)

    def add(self, key: str) -> None:
        """Record an event of ``key`` now."""
        now = self.clock()
        log = self._log.get(key)
        if log is None:
            log = self._log[key] = deque()
            while len(self._log) > self.max_keys:
                self._log.popitem(last=False)
        else:
            self._log.move_to_end(key)
            self._expire(log, now)
        log.append(now)

    def retry_after(self, key: str) -> int:
        """Seconds until the oldest event of ``key`` leaves the window (at least 1)."""
        log = self._log.get(key)
        if not log:
            return 1
        return max(1, int(log[0] + self.window_s - self.clock()) + 1)

    def _expire(self, log: deque[float], now: float) -> None:
        horizon = now - self.window_s
        while log and log[0] <= horizon:
            log.popleft()


@dataclass(frozen=True)
class Verdict:
    """What a submission may do: go ahead, go ahead with a proof of work, or wait."""

    allowed: bool
    pow_bits: int = 0  # 0: no proof of work needed
    retry_after_s: int = 0


TOTAL = "*"


class SubmissionLimits:
    """The feedback form's limits: per address (free, then proof of work, then refused),
    per contact phone, and a flood from many addresses (everyone shows a proof of work).

    Contact phones are kept as keyed hashes: the limiter holds no phone number.
    """

    def __init__(
        self,
        *,
        window_s: float,
        free_per_ip: int,
        max_per_ip: int,
        free_total: int,
        contact_window_s: float,
        max_per_contact: int,
        pow_bits: int,
        pow_max_bits: int,
        secret: bytes,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.by_ip = SlidingWindow(window_s, clock=clock)
        self.by_contact = SlidingWindow(contact_window_s, clock=clock)
        self.free_per_ip = free_per_ip
        self.max_per_ip = max_per_ip
        self.free_total = free_total
        self.max_per_contact = max_per_contact
        self.pow_bits = pow_bits
        self.pow_max_bits = pow_max_bits
        self._secret = secret

    def contact_key(self, phone: str | None) -> str | None:
        digits = "".join(c for c in phone or "" if c.isdigit())
        if not digits:
            return None
        return hmac.new(self._secret, digits.encode(), hashlib.sha256).hexdigest()

    def check(self, ip: str, phone: str | None = None) -> Verdict:
        """The verdict for one more submission from ``ip`` (giving ``phone``), not recorded."""
        used = self.by_ip.count(ip)
        if used >= self.max_per_ip:
            return Verdict(False, retry_after_s=self.by_ip.retry_after(ip))
        contact = self.contact_key(phone)
        if contact is not None and self.by_contact.count(contact) >= self.max_per_contact:
            return Verdict(False, retry_after_s=self.by_contact.retry_after(contact))
        past_free = used - self.free_per_ip
        if past_free >= 0:
            return Verdict(True, pow_bits=min(self.pow_max_bits, self.pow_bits + past_free))
        if self.by_ip.count(TOTAL) >= self.free_total:
            return Verdict(True, pow_bits=self.pow_bits)
        return Verdict(True)

    def record(self, ip: str, phone: str | None = None) -> None:
        """Count one submission from ``ip`` (giving ``phone``)."""
        self.by_ip.add(ip)
        self.by_ip.add(TOTAL)
        contact = self.contact_key(phone)
        if contact is not None:
            self.by_contact.add(contact)


class LookupLimits:
    """Status look-ups per address: a tracking code cannot be guessed by trying many."""

    def __init__(
        self, *, window_s: float, max_per_ip: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = SlidingWindow(window_s, clock=clock)
        self.max_per_ip = max_per_ip

    def take(self, ip: str) -> int:
        """0 if ``ip`` may look up now (and it is counted), else seconds to wait."""
        if self.window.count(ip) >= self.max_per_ip:
            return self.window.retry_after(ip)
        self.window.add(ip)
        return 0
