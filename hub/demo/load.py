"""Writing the demo data set into a graph store with the batched upserts of graph.queries.bulk.

Part by part: all node labels first, then the relationships, whose MATCHes
need both ends to exist (a part is self-contained, see
:mod:`hub.demo.dataset`). All upserts are idempotent MERGEs, so an interrupted
load can simply be run again. The store's id indexes must exist beforehand
(the migrations create them); without them every MERGE scans its label.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import rel_key
from graph.queries.bulk import node_upsert, rel_upsert
from graph.statements import Statement
from graph.store import GraphStore, WriteSummary, batched
from hub.demo.dataset import DemoDataSet

Progress = Callable[[str, int], None]


@dataclass
class DemoReport:
    """What a load wrote: rows per label and per relationship triple, and how long it took."""

    node_counts: dict[str, int] = field(default_factory=dict)
    rel_counts: dict[str, int] = field(default_factory=dict)  # by "Start-TYPE->End"
    seconds: float = 0.0
    summary: WriteSummary = field(default_factory=WriteSummary)

    @property
    def nodes(self) -> int:
        """Node rows written (created or merged)."""
        return sum(self.node_counts.values())

    @property
    def relationships(self) -> int:
        """Relationship rows written (created or merged)."""
        return sum(self.rel_counts.values())

    def rels_by_type(self) -> dict[str, int]:
        """Relationship rows per relationship type, whatever the labels it joins."""
        out: dict[str, int] = {}
        for key, count in self.rel_counts.items():
            type_ = key.split("-", 1)[1].split("->", 1)[0]
            out[type_] = out.get(type_, 0) + count
        return out


async def load_demo(
    store: GraphStore,
    data: DemoDataSet,
    *,
    batch_size: int = 2000,
    progress: Progress | None = None,
    concurrency: int = 2,
) -> DemoReport:
    """Load ``data`` into ``store``; ``progress(name, rows so far)`` is called after each batch.

    ``name`` is a label or a ``Start-TYPE->End`` triple; the count is the
    running total for that name over the whole load. ``concurrency`` batches
    are in flight at once: the client spends most of a batch turning its
    parameters into query text, so a second batch keeps the server busy
    meanwhile (on FalkorDB writes still run one at a time).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be positive")
    report = DemoReport()
    started = time.perf_counter()
    for part in data.parts():
        node_jobs = (
            (node_upsert(label), label, batch, report.node_counts)
            for label, rows in part.nodes.items()
            for batch in batched(rows, batch_size)
        )
        report.summary += await _run(store, node_jobs, batch_size, concurrency, progress)
        rel_jobs = (
            (rel_upsert(*key), rel_key(*key), batch, report.rel_counts)
            for key, rows in part.rels.items()
            for batch in batched(rows, batch_size)
        )
        report.summary += await _run(store, rel_jobs, batch_size, concurrency, progress)
    report.seconds = time.perf_counter() - started
    return report


_Job = tuple[Statement, str, list[Mapping[str, Any]], dict[str, int]]


async def _run(
    store: GraphStore,
    jobs: Iterator[_Job],
    batch_size: int,
    concurrency: int,
    progress: Progress | None,
) -> WriteSummary:
    """Write every batch of ``jobs`` with ``concurrency`` workers sharing the iterator."""

    async def worker() -> WriteSummary:
        total = WriteSummary()
        for stmt, name, batch, counts in jobs:  # each job is taken by exactly one worker
            total += await store.write_rows(stmt, batch, batch_size=batch_size)
            counts[name] = counts.get(name, 0) + len(batch)
            if progress is not None:
                progress(name, counts[name])
        return total

    summaries = await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sum(summaries, WriteSummary())
