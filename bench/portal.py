"""Public portal figures on the city demo data, over real HTTP (a ``weibao serve`` process):
page latency (p50/p95) and throughput with 50 concurrent clients on the home page, the
feedback form (its first and last step) and the transparency page; feedback submissions
per second (CSRF token, multipart post, argon2 hash of the access code, the write).

The per-address limits are raised for the run through the settings
(``WEIBAO_PORTAL__…``): every client here speaks from 127.0.0.1. What the bench
submits is removed afterwards (``source`` "hub").
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rich.table import Table

from graph import GraphConfig, open_graph
from graph.queries import meta
from tests.support.hub_process import Hub

CLIENTS = 50
SUBMITTERS = 16
TOWN = "370481001"  # 荆河街道
PAGES = (
    ("home", "/"),
    ("feedback, step 1", "/feedback"),
    ("feedback, step 3", f"/feedback?step=2&kind=suggestion&town={TOWN}&village=-"),
    ("transparency", "/transparency"),
)
#: Limits out of the way: the bench measures the work, not the refusals.
UNLIMITED = {
    "WEIBAO_PORTAL__SUBMIT_FREE_PER_IP": "1000000",
    "WEIBAO_PORTAL__SUBMIT_MAX_PER_IP": "1000000",
    "WEIBAO_PORTAL__SUBMIT_FREE_TOTAL": "1000000",
    "WEIBAO_PORTAL__STATUS_MAX_PER_IP": "1000000",
    "WEIBAO_LOG_LEVEL": "warning",
}
_TOKEN = re.compile(r'name="portal_token" value="([^"]+)"')


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _pages(
    client: httpx.AsyncClient, path: str, per_client: int
) -> tuple[list[float], float]:
    """Latencies (ms) of ``CLIENTS`` clients asking ``path`` ``per_client`` times each."""
    samples: list[float] = []

    async def one_client() -> None:
        for _ in range(per_client):
            started = time.perf_counter()
            response = await client.get(path)
            response.raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return samples, len(samples) / (time.perf_counter() - started)


async def _submissions(hub: Hub, total: int) -> tuple[list[float], float]:
    """Submissions by ``SUBMITTERS`` browsers (each with its own cookie and token)."""
    samples: list[float] = []
    remaining = total

    async def submitter(n: int) -> None:
        nonlocal remaining
        async with httpx.AsyncClient(base_url=hub.url, timeout=120) as client:
            form = await client.get(PAGES[2][1])
            found = _TOKEN.search(form.text)
            if found is None:
                raise RuntimeError("the feedback form carries no token")
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.post(
                    "/feedback",
                    data={
                        "portal_token": found.group(1),
                        "kind": "suggestion",
                        "town": TOWN,
                        "village": "-",
                        "subject": f"town:{TOWN}",
                        "description": f"基准测试提交 {n}-{remaining}：建议周末开放儿童之家。",
                        "anonymous": "yes",
                        "website": "",
                    },
                    files={"photo": ("", b"", "application/octet-stream")},
                )
                if response.status_code != 200 or "tracking-code" not in response.text:
                    raise RuntimeError(f"submission refused: {response.status_code}")
                samples.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(submitter(n) for n in range(SUBMITTERS)))
    return samples, len(samples) / (time.perf_counter() - started)


async def portal_table(data_dir: Path, runs: int) -> Table:
    table = Table(
        title=f"Public portal over HTTP (uvicorn, one worker; {CLIENTS} concurrent clients "
        "on the same 2 cores)"
    )
    for col in ("page", "requests", "p50 ms", "p95 ms", "req/s"):
        table.add_column(col, justify="right" if col != "page" else "left")
    with _environment(UNLIMITED):
        hub = Hub(data_dir, "serve")
    try:
        hub.wait_ready()
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=hub.url, timeout=120, limits=limits) as client:
            for name, path in PAGES:
                await _pages(client, path, 2)  # warm: caches, connections
                samples, rate = await _pages(client, path, max(4, runs // 2))
                table.add_row(
                    name,
                    str(len(samples)),
                    f"{statistics.median(samples):.1f}",
                    f"{_percentile(samples, 0.95):.1f}",
                    f"{rate:.0f}",
                )
        samples, rate = await _submissions(hub, max(SUBMITTERS * 4, runs * 5))
        table.add_row(
            f"feedback submission (c={SUBMITTERS})",
            str(len(samples)),
            f"{statistics.median(samples):.1f}",
            f"{_percentile(samples, 0.95):.1f}",
            f"{rate:.1f}",
        )
    finally:
        hub.stop()
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        await store.write(meta.DELETE_BY_SOURCE, {"source": "hub"})
    return table
