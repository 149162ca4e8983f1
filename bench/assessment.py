"""Assessment figures on the city demo data: a quarter's assessments of all 1,330 directors
(and the 21 supervisors), in seconds and graph round trips.

Two runs of ``run_assessment`` for 2026Q3 on the embedded graph with formula v2 (the demo
computed v1): the first writes every assessment (reads, scoring, batched writes), the
second finds the data unchanged and writes nothing. Then the parts of a run: the reads,
and the scoring in Python. What the bench writes (``source`` "hub") is removed afterwards.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table

from graph import CountingStore, GraphConfig, migrate, open_graph
from graph.queries import meta
from hub.demo import NOW_MS
from schema.program.assessment_engine import compute, gather, run_assessment
from schema.program.assessment_facts import Period, day_of
from schema.program.assessment_formula import load_formula

PERIOD = "2026Q3"


async def assessment_table(data_dir: Path) -> Table:
    table = Table(title=f"Assessments of a quarter ({PERIOD}) on the city demo graph")
    for col in ("run", "seconds", "round trips", "assessed", "new", "corrected", "unchanged"):
        table.add_column(col, justify="left" if col == "run" else "right")
    async with open_graph(GraphConfig(data_dir=data_dir)) as store:
        await migrate(store)
        counting = CountingStore(store)
        try:
            # Not v1: on a bench graph loaded by an older demo, its run would supersede
            # the demo's assessments, and removing the bench's writes would not undo that.
            for title, version in (
                ("v2, a new formula version: all new", "v2"),
                ("v2 again: data unchanged, nothing written", "v2"),
            ):
                counting.reset()
                report = await run_assessment(counting, PERIOD, version, now_ms=NOW_MS)
                table.add_row(
                    title,
                    f"{report.seconds:.2f}",
                    str(counting.round_trips),
                    f"{report.directors:,} + {report.supervisors}",
                    f"{report.created:,}",
                    f"{report.corrected:,}",
                    f"{report.unchanged:,}",
                )
            formula = load_formula("v1")
            period = Period.of(PERIOD, day_of(NOW_MS))
            counting.reset()
            started = time.perf_counter()
            rows = await gather(counting, period, formula, "")
            read = time.perf_counter() - started
            started = time.perf_counter()
            directors, supervisors = compute(rows, period, formula)
            scored = time.perf_counter() - started
            table.add_row(
                f"  of which the reads ({len(rows.visits):,} visits in the window)",
                f"{read:.2f}",
                str(counting.round_trips),
                "",
                "",
                "",
                "",
            )
            table.add_row(
                "  of which the scoring (Python)",
                f"{scored:.2f}",
                "0",
                f"{len(directors):,} + {len(supervisors)}",
                "",
                "",
                "",
            )
        finally:
            await store.write(meta.DELETE_BY_SOURCE, {"source": "hub"})
    return table
