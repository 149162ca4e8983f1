"""``make bench``: figures of the hub on the city demo data set.

1. the demo load (when the bench data dir is new) and a restart of the loaded graph;
2. the five standard partner queries (a child's file and a director's children cycle
   through 20 children and directors, as a partner asks about one after another):
   in-process GraphQL against the hand-written
   Cypher floor (p50/p95, round trips, ratio; "unplanned": with the compiled-query
   plan cache emptied before every run, as for a query with new variables), then over
   real HTTP (p50/p95 at concurrency 1, throughput at concurrency 16);
3. the connectors (``bench/connectors.py``): rows/s per source kind through the sync
   engine against raw ``UNWIND … MERGE``, and the CSV connector's memory at 100k and 1M rows;
4. frontline care (``bench/care.py``): ``recordVisit`` with evidence checks and one photo
   at concurrency 1 and 8, and ``childFile`` of a child with 100 events;
5. assessments (``bench/assessment.py``): a quarter's assessments of all 1,330 directors
   (seconds, round trips);
6. the public portal (``bench/portal.py``): pages p50/p95 at 50 concurrent clients over HTTP,
   feedback submissions per second.

``--only partner|connectors|care|assessment|portal`` (repeatable) picks sections; all run by
default.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.assessment import assessment_table
from bench.care import care_table
from bench.connectors import print_connector_tables
from bench.measure import latency, throughput
from bench.partner_queries import PartnerQuery, partner_queries
from bench.portal import portal_table
from graph import CountingStore, GraphConfig, GraphStore, migrate, open_graph
from graph.audit import AccessEventIn, AuditLog
from graph.queries import meta
from hub.audit_writer import AuditWriter
from hub.commands.token import token_service
from hub.settings import Settings
from schema import Context, build_schema
from schema.access import Principal, Role
from schema.core import compiled
from tests.support.hub_process import Hub

console = Console()
SECTIONS = ("partner", "care", "assessment", "portal", "connectors")


def ensure_demo(data_dir: Path) -> float | None:
    """Load the city demo set into ``data_dir`` unless it is there; the load's seconds."""
    marker = data_dir / "graph" / "aof"
    if marker.exists():
        return None
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "hub", "demo", "--load-only", "--data-dir", str(data_dir)],
        check=True,
    )
    return time.perf_counter() - started


async def restart_seconds(data_dir: Path) -> float:
    started = time.perf_counter()
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        await store.read(meta.NODE_COUNT)
        return time.perf_counter() - started


#: The bench reads as the demo's center admin (all of Tengzhou, every personal field),
#: so every query that returns personal data also writes the audit trail.
READER = Principal(
    kind="user",
    subject="user-admin",
    name="admin",
    role=Role.CENTER_ADMIN,
    regions=("370481",),
    purposes=("case_management",),
    purpose="case_management",
)


#: Alternating rounds of audited and unaudited runs per query.
ROUNDS = 5


class NoAudit:
    """The audit switched off: only to measure what the audit adds."""

    def submit(self, event: AccessEventIn) -> None:
        pass


async def in_process(data_dir: Path, runs: int) -> tuple[list[PartnerQuery], Table]:
    schema = build_schema()
    table = Table(title="Partner queries in-process: GraphQL vs hand-written Cypher floor")
    for col in (
        "query",
        "GraphQL p50 ms",
        "p95 ms",
        "round trips",
        "floor p50 ms",
        "p95 ms",
        "ratio p50",
        "no-audit p50 ms",
        "audit adds",
        "unplanned p50 ms",
        "ratio",
    ):
        table.add_column(col, justify="right" if col != "query" else "left")
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        await migrate(store)
        queries = await partner_queries(store)
        writer = AuditWriter(AuditLog(store))
        await writer.start()
        for q in queries:
            counting = CountingStore(store)

            turn = itertools.count()

            async def run_graphql(
                q: PartnerQuery = q,
                counting: CountingStore = counting,
                audit: Any = writer,
                turn: Iterator[int] = turn,
            ) -> object:
                variables, _ = q.variants[next(turn) % len(q.variants)]
                result = await schema.execute(
                    q.graphql,
                    variable_values=variables,
                    context_value=Context(counting, principal=READER, audit=audit),
                )
                if result.errors:
                    raise RuntimeError(f"{q.key}: {result.errors}")
                return result.data

            async def run_unaudited(
                q: PartnerQuery = q, counting: CountingStore = counting
            ) -> object:
                return await run_graphql(q, counting, NoAudit())

            async def run_floor(
                q: PartnerQuery = q, store: GraphStore = store, turn: Iterator[int] = turn
            ) -> object:
                _, params = q.variants[next(turn) % len(q.variants)]
                return await store.read(q.floor, params)

            async def run_unplanned(
                q: PartnerQuery = q, counting: CountingStore = counting
            ) -> object:
                # As a query with new variables: planned afresh (see schema.core.compiled).
                compiled.forget_plans()
                return await run_graphql(q, counting, NoAudit())

            counting.reset()
            await run_graphql()
            trips = counting.round_trips
            # Interleaved rounds, so drift of the machine hits both alike.
            rounds = [
                (await latency(run_graphql, runs), await latency(run_unaudited, runs))
                for _ in range(ROUNDS)
            ]
            floor = await latency(run_floor, runs)
            unplanned = await latency(run_unplanned, runs)
            audited = statistics.median(a.p50_ms for a, _ in rounds)
            unaudited = statistics.median(b.p50_ms for _, b in rounds)
            p95 = max(a.p95_ms for a, _ in rounds)
            table.add_row(
                f"({q.key}) {q.title}",
                f"{audited:.2f}",
                f"{p95:.1f}",
                str(trips),
                f"{floor.p50_ms:.2f}",
                f"{floor.p95_ms:.1f}",
                f"{audited / floor.p50_ms:.2f}x",
                f"{unaudited:.2f}",
                f"{(audited / unaudited - 1) * 100:+.1f}%",
                f"{unplanned.p50_ms:.2f}",
                f"{unplanned.p50_ms / floor.p50_ms:.2f}x",
            )
        await writer.aclose()
        report = await AuditLog(store).verify()
        console.print(f"audit trail after the bench: {report.events:,} events, intact={report.ok}")
    return queries, table


async def over_http(data_dir: Path, queries: list[PartnerQuery], runs: int) -> Table:
    table = Table(
        title="Partner queries over HTTP (uvicorn, one worker; client on the same 2 cores)"
    )
    for col in ("query", "p50 ms (c=1)", "p95 ms (c=1)", "req/s (c=16)"):
        table.add_column(col, justify="right" if col != "query" else "left")
    hub = Hub(data_dir, "serve")
    try:
        hub.wait_ready()
        # As the demo's center admin, with a token from the hub's own key ring.
        settings = Settings(data_dir=data_dir, port=hub.port)
        token = token_service(settings).issue_user("user-admin", "admin", "center_admin")
        headers = {"authorization": f"Bearer {token.token}"}
        async with httpx.AsyncClient(base_url=hub.url, timeout=60, headers=headers) as client:
            for q in queries:
                turn = itertools.count()

                async def call(q: PartnerQuery = q, turn: Iterator[int] = turn) -> object:
                    variables, _ = q.variants[next(turn) % len(q.variants)]
                    response = await client.post(
                        "/graphql", json={"query": q.graphql, "variables": variables}
                    )
                    response.raise_for_status()
                    return response.json()

                lat = await latency(call, runs)
                rate = await throughput(call, 16, runs * 4)
                table.add_row(
                    f"({q.key}) {q.title}",
                    f"{lat.p50_ms:.1f}",
                    f"{lat.p95_ms:.1f}",
                    f"{rate:.0f}",
                )
    finally:
        hub.stop()
    return table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="run only this section (repeatable); all by default",
    )
    parser.add_argument("--skip-connectors", action="store_true", help="no connector figures")
    args = parser.parse_args()
    data_dir: Path = args.data_dir.resolve()
    sections = set(args.only or SECTIONS)
    if args.skip_connectors:
        sections.discard("connectors")

    if sections & {"partner", "care", "assessment", "portal"}:
        loaded = ensure_demo(data_dir)
        if loaded is not None:
            console.print(f"city demo load (build + load + compact, CLI): {loaded:.1f} s")
    if "partner" in sections:
        restart = asyncio.run(restart_seconds(data_dir))
        console.print(f"restart of the loaded graph: {restart:.2f} s")
        queries, table = asyncio.run(in_process(data_dir, args.runs))
        console.print(table)
        console.print(asyncio.run(over_http(data_dir, queries, args.runs)))
    if "care" in sections:
        console.print(asyncio.run(care_table(data_dir, args.runs)))
    if "assessment" in sections:
        console.print(asyncio.run(assessment_table(data_dir)))
    if "portal" in sections:
        console.print(asyncio.run(portal_table(data_dir, args.runs)))
    if "connectors" in sections:
        print_connector_tables(console)


if __name__ == "__main__":
    main()
