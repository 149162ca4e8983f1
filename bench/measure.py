"""Timing helpers: percentiles of repeated calls and throughput at a given concurrency."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    runs: int


async def latency(call: Callable[[], Awaitable[object]], runs: int, warmup: int = 3) -> Latency:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return Latency(statistics.median(samples), p95, runs)


async def throughput(
    call: Callable[[], Awaitable[object]], concurrency: int, requests: int
) -> float:
    """Completed calls per second with ``concurrency`` callers sharing ``requests`` calls."""
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return requests / (time.perf_counter() - started)
