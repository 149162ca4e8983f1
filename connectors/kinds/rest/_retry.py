"""Sending a request again when the server or the network says "not now".

Retried: 429 and 5xx answers and httpx transport errors (refused or reset
connections, timeouts). A ``Retry-After`` header (delay in seconds or an
HTTP-date, RFC 9110 §10.2.3) is honoured; without one the wait is an
exponential backoff with jitter. Anything else comes back to the caller, who
decides (a 401 may mean "refresh the token", other 4xx are final).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime

import httpx

from connectors.errors import SourceError
from connectors.kinds.rest._spec import RetryPolicy
from connectors.kinds.rest._stats import RestReadStats

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

SNIPPET_CHARS = 200


def is_retryable(status: int) -> bool:
    """429 Too Many Requests and every 5xx: the server may answer later."""
    return status == 429 or status >= 500


def snippet(response: httpx.Response) -> str:
    """The start of a response body on one line, for an error message."""
    text = response.content[: SNIPPET_CHARS * 4].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")


def retry_after_s(response: httpx.Response, now: float) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds; ``None`` without a usable one."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # an HTTP-date is GMT by definition
        return None
    return max(0.0, moment.timestamp() - now)


class Retrier:
    """Sends requests under a :class:`RetryPolicy`, counting retries and waits in ``stats``."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        sleep: Sleep,
        clock: Clock,
        stats: RestReadStats,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._stats = stats
        # Jitter only spreads clients apart; it needs no secrecy.
        self._rng = rng or random.Random()  # noqa: S311

    def backoff_s(self, attempt: int) -> float:
        """The wait before retry ``attempt + 1`` when the server gave no ``Retry-After``."""
        policy = self.policy
        full = min(policy.backoff_max_s, policy.backoff_base_s * 2.0**attempt)
        return full * (1 - policy.jitter * self._rng.random())

    async def pause(self, seconds: float) -> None:
        """Wait before a retry, and count it."""
        self._stats.retries += 1
        self._stats.waited_s += seconds
        await self._sleep(seconds)

    async def send(
        self, what: str, send: Callable[[], Awaitable[httpx.Response]]
    ) -> httpx.Response:
        """The first answer that is not retryable, or :class:`SourceError` once retries run out.

        ``what`` names the request in messages (``GET /api/v1/visits?page=3``).
        """
        attempt = 0
        while True:
            try:
                response = await send()
            except httpx.TransportError as exc:
                if attempt >= self.policy.max_retries:
                    raise SourceError(
                        f"{what}: {type(exc).__name__} after {attempt + 1} attempts: {exc}"
                    ) from exc
                await self.pause(self.backoff_s(attempt))
                attempt += 1
                continue
            if not is_retryable(response.status_code):
                return response
            if attempt >= self.policy.max_retries:
                raise SourceError(
                    f"{what} answered {response.status_code} {response.reason_phrase} "
                    f"after {attempt + 1} attempts: {snippet(response)}"
                )
            wait = retry_after_s(response, self._clock())
            if wait is None:
                wait = self.backoff_s(attempt)
            elif wait > self.policy.max_retry_after_s:
                raise SourceError(
                    f"{what} answered {response.status_code} asking to wait {wait:.0f} s, "
                    f"more than max_retry_after_s ({self.policy.max_retry_after_s:.0f} s)"
                )
            await self.pause(wait)
            attempt += 1
