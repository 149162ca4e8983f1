"""Connector figures for ``make bench``: what the sync engine costs, per source kind.

1. rows/s of 100k-row inputs (CSV, .xlsx, SQLite, the REST stand-in's ``/load``)
   through the whole engine (extract → validate → map → batches → graph), each
   into a fresh embedded graph, next to the raw ``UNWIND … MERGE`` rate of the
   same node rows written straight into another fresh graph, in three rounds
   of one engine run and one raw run (medians; the machine's speed drifts); then
   a second, unchanged run of the CSV connector;
2. peak memory of the CSV connector at 100k and 1M rows, each in a fresh
   subprocess (``python -m bench.connectors --memory N --file PATH``).

``python -m bench.connectors`` prints these tables alone. Nothing is kept:
inputs and graphs live in temporary directories, and every server started here
is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.table import Table

from connectors.core.engine import RunReport, SyncEngine
from connectors.core.records import Extracted, RawRecord
from connectors.core.stream import NodeUpsert, Stream, Upsert
from connectors.kinds.rest import PagePagination, RestSpec, read_rest
from connectors.kinds.sql import SqlSpec, read_sql
from connectors.kinds.tabular import TableSpec, read_table
from connectors.standins.generate.tabular import LARGE_SPEC, generate_large
from graph import GraphConfig, GraphStore, migrate, open_graph
from graph.queries import bulk

ROWS = 100_000
MEMORY_ROWS = (100_000, 1_000_000)
#: Past this estimate the large memory run is cut to ``FALLBACK_ROWS``.
MEMORY_BUDGET_S = 600.0
FALLBACK_ROWS = 500_000
#: The engine's default batch; the raw writes use the same, so both send alike statements.
BATCH = 1000
#: Pairs of (engine run, raw run) per source kind; the table gives their medians.
ROUNDS = 3
REST_PAGE = 1000

# -- records and their mapping ------------------------------------------------------------
#
# One small model per kind, each row mapped to ONE Volunteer node. The key is a hash
# of the row's identifying value, as a real connector keys people (never the raw ID
# number). generate_large's ID numbers repeat every 5,000 rows (birth date and sequence
# cycle together), so a ledger row is keyed on its ID number *and* its 序号.


class LedgerRow(BaseModel):
    """A row of :func:`generate_large`'s ledger (CSV or .xlsx)."""

    model_config = ConfigDict(extra="ignore")
    seq: int
    name: str
    gender: str | None = None
    id_number: str
    birth_date: dt.date | None = None
    category: str | None = None
    guardian_phone: str | None = None
    allowance: float | None = None


class SqlRow(BaseModel):
    """A row of the bench's SQLite ``volunteers`` table."""

    model_config = ConfigDict(extra="ignore")
    id: int
    name: str
    gender: str | None = None
    id_number: str
    registered_date: dt.date | None = None
    skills: str | None = None
    phone: str | None = None
    service_hours: float | None = None


class RestRow(BaseModel):
    """A record of the stand-in's generating ``/load`` endpoint."""

    model_config = ConfigDict(extra="ignore")
    id: str
    updated_at: dt.datetime
    name: str
    village_code: str
    value: int


LEDGER_SPEC = TableSpec.model_validate(
    {
        **LARGE_SPEC.model_dump(),
        "columns": {"seq": ["序号"], **LARGE_SPEC.columns},
        "number_fields": ["seq", *LARGE_SPEC.number_fields],
    }
)

_GENDERS = {"男": "male", "女": "female"}


def _node_id(value: str) -> str:
    return "volunteer-" + hashlib.sha256(value.encode()).hexdigest()[:24]


def map_ledger(r: LedgerRow) -> list[Upsert]:
    props = {
        "name": r.name,
        "gender": _GENDERS.get(r.gender or "", r.gender),
        "phone": r.guardian_phone,
        "skills": [r.category] if r.category else [],
        "registeredDate": r.birth_date.isoformat() if r.birth_date else None,
        "serviceHours": r.allowance,
    }
    return [NodeUpsert("Volunteer", _node_id(f"{r.id_number}|{r.seq}"), props)]


def map_sql(r: SqlRow) -> list[Upsert]:
    props = {
        "name": r.name,
        "gender": r.gender,
        "phone": r.phone,
        "skills": [s for s in (r.skills or "").split(",") if s],
        "registeredDate": r.registered_date.isoformat() if r.registered_date else None,
        "serviceHours": r.service_hours,
    }
    return [NodeUpsert("Volunteer", _node_id(r.id_number), props)]


def map_rest(r: RestRow) -> list[Upsert]:
    props = {
        "name": r.name,
        "skills": [r.village_code],
        "registeredDate": r.updated_at.date().isoformat(),
        "serviceHours": float(r.value),
    }
    return [NodeUpsert("Volunteer", _node_id(r.id), props)]


@dataclass(frozen=True)
class BenchSource:
    """A source of one stream (the engine's :class:`~connectors.core.stream.Source`)."""

    name: str
    stream: Stream[Any]

    def streams(self) -> list[Stream[Any]]:
        return [self.stream]


def table_source(name: str, path: Path) -> BenchSource:
    def extract(since: str | None) -> Iterator[Extracted]:
        return read_table(path, LEDGER_SPEC)

    return BenchSource(name, Stream("volunteers", LedgerRow, "seq", extract, map_ledger))


def sql_source(path: Path) -> BenchSource:
    spec = SqlSpec(url=f"sqlite:///{path}", table="volunteers", key_columns=("id",))

    def extract(since: str | None) -> Iterator[Extracted]:
        return read_sql(spec, since)

    return BenchSource("bench_sql", Stream("volunteers", SqlRow, "id", extract, map_sql))


def rest_source(base_url: str, rows: int) -> BenchSource:
    spec = RestSpec(
        base_url=base_url,
        path="/load/api/records",
        params={"total": str(rows)},
        pagination=PagePagination(page_size=REST_PAGE, total_path="data.total"),
        records_path="data.items",
    )

    def extract(since: str | None) -> AsyncIterator[Extracted]:
        return read_rest(spec, since)

    return BenchSource("bench_rest", Stream("volunteers", RestRow, "id", extract, map_rest))


# -- inputs -------------------------------------------------------------------------------


def make_sqlite(path: Path, rows: int) -> Path:
    """A SQLite file with a ``volunteers`` table of ``rows`` rows (unique ID numbers)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    meta = sa.MetaData()
    table = sa.Table(
        "volunteers",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String),
        sa.Column("gender", sa.String),
        sa.Column("id_number", sa.String),
        sa.Column("registered_date", sa.String),
        sa.Column("skills", sa.String),
        sa.Column("phone", sa.String),
        sa.Column("service_hours", sa.Float),
    )
    meta.create_all(engine)
    first = dt.date(2020, 1, 1)
    skills = ("心理辅导", "课业辅导", "文体活动", "法律咨询", "医疗保健")
    try:
        with engine.begin() as connection:
            for start in range(1, rows + 1, 10_000):
                connection.execute(
                    table.insert(),
                    [
                        {
                            "id": i,
                            "name": f"志愿者{i}",
                            "gender": "female" if i % 2 else "male",
                            "id_number": f"37048119{i:010d}",
                            "registered_date": (first + dt.timedelta(days=i % 2000)).isoformat(),
                            "skills": f"{skills[i % 5]},{skills[(i + 2) % 5]}",
                            "phone": f"139{i:08d}",
                            "service_hours": (i % 400) / 4,
                        }
                        for i in range(start, min(rows, start + 9_999) + 1)
                    ],
                )
    finally:
        engine.dispose()
    return path


@contextmanager
def standins_process() -> Iterator[str]:
    """The stand-ins in a process of their own (a platform is not in the hub's process
    either, and in-process its JSON encoding would share the hub's GIL); yields the URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.connectors", "--serve-standins"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError("the stand-ins did not start")
        yield url
    finally:
        if process.stdin is not None:
            process.stdin.close()  # the server's signal to stop
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_standins_until_stdin_closes() -> None:
    from connectors.standins import serve_standins

    with serve_standins() as info:
        print(info.base_url, flush=True)
        sys.stdin.read()


# -- measuring ----------------------------------------------------------------------------


@asynccontextmanager
async def fresh_graph() -> AsyncIterator[GraphStore]:
    """A new embedded graph in a temporary directory, migrated; stopped and removed after."""
    with tempfile.TemporaryDirectory(prefix="wb-bench-graph-") as folder:
        async with open_graph(GraphConfig(data_dir=Path(folder))) as store:
            await migrate(store)
            yield store


async def _records(source: BenchSource) -> AsyncIterator[Extracted]:
    extracted = source.stream.extract(None)
    if isinstance(extracted, AsyncIterator):
        async for item in extracted:
            yield item
    else:
        for item in extracted:
            yield item


async def node_rows(source: BenchSource) -> list[dict[str, Any]]:
    """The node rows the engine writes for ``source`` (same ids and properties), in memory."""
    stream, now, rows = source.stream, int(time.time() * 1000), []
    async for raw in _records(source):
        if not isinstance(raw, RawRecord):
            continue
        record = stream.model.model_validate(raw.data)
        (node,) = stream.map(record)
        assert isinstance(node, NodeUpsert)
        props = {
            **node.props,
            "source": source.name,
            "sourceKey": stream.key_of(record),
            "seenAt": now,
            "conflicts": [],
        }
        rows.append({"id": node.key, "props": props})
    return rows


async def raw_rate(rows: list[dict[str, Any]]) -> float:
    """Rows/s of ``UNWIND … MERGE`` of pre-built rows into a fresh graph (writes only)."""
    async with fresh_graph() as store:
        started = time.perf_counter()
        await store.write_rows(bulk.node_upsert("Volunteer"), rows, batch_size=BATCH)
        return len(rows) / (time.perf_counter() - started)


async def timed_sync(
    store: GraphStore, source: BenchSource, progress: Callable[[RunReport], None] | None = None
) -> tuple[RunReport, float]:
    engine = SyncEngine(store, batch_size=BATCH)
    started = time.perf_counter()
    report = await engine.sync(source, source.stream, progress)
    seconds = time.perf_counter() - started
    if report.status != "ok":
        raise RuntimeError(f"{source.name}: {report.errors}")
    return report, seconds


def _outcome(report: RunReport) -> str:
    counts = {
        "new": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
    }
    return ", ".join(f"{n:,} {what}" for what, n in counts.items() if n) or "nothing"


@dataclass
class _Round:
    rows: int
    engine_s: float
    raw_rate: float

    @property
    def engine_rate(self) -> float:
        return self.rows / self.engine_s

    @property
    def ratio(self) -> float:
        return self.engine_rate / self.raw_rate


async def _rounds(
    label: str, source: BenchSource, rounds: int, console: Console
) -> tuple[list[_Round], RunReport, tuple[RunReport, float] | None]:
    """``rounds`` pairs of (engine run, raw run), each into a fresh graph; the first
    engine run's report and, for CSV, a second unchanged run after it."""
    rows = await node_rows(source)
    done: list[_Round] = []
    first: RunReport | None = None
    again: tuple[RunReport, float] | None = None
    for n in range(rounds):
        async with fresh_graph() as store:
            report, seconds = await timed_sync(store, source)
            if first is None:
                first = report
                if label == "CSV":
                    again = await timed_sync(store, source)
        done.append(r := _Round(report.read, seconds, await raw_rate(rows)))
        console.print(
            f"  {label}, round {n + 1}: engine {r.engine_rate:,.0f} rows/s "
            f"({seconds:.1f} s), raw {r.raw_rate:,.0f} rows/s: {r.ratio:.0%}"
        )
    assert first is not None
    return done, first, again


async def rate_table(
    folder: Path, console: Console, rows: int = ROWS, rounds: int = ROUNDS
) -> tuple[Table, float]:
    """Table 1, and the median CSV run's seconds (to size the memory runs).

    This machine's speed drifts by a third from one minute to the next (a shared
    virtual machine), so a kind is measured in ``rounds`` pairs of an engine run
    and a raw run, one right after the other, and the table gives the medians: of
    each rate, and of the pairs' ratios.
    """
    console.print(f"connectors: generating {rows:,}-row inputs …")
    csv_path = generate_large(folder / "ledger.csv", rows)
    xlsx_path = generate_large(folder / "ledger.xlsx", rows)
    sqlite_path = make_sqlite(folder / "volunteers.sqlite", rows)
    table = Table(
        title=f"Connectors: {rows:,} rows through the sync engine vs raw UNWIND … MERGE "
        f"(fresh embedded graph each; batches of {BATCH:,}; medians of {rounds} rounds)",
    )
    columns = (
        "source kind",
        "engine s",
        "engine rows/s",
        "raw rows/s",
        "engine/raw",
        "each round",
        "run",
    )
    for col in columns:
        table.add_column(col, justify="left" if col in ("source kind", "run") else "right")
    csv_seconds = 0.0
    with standins_process() as url:
        kinds = [
            ("CSV", table_source("bench_csv", csv_path)),
            (".xlsx", table_source("bench_xlsx", xlsx_path)),
            ("SQL (SQLite)", sql_source(sqlite_path)),
            (f"REST (/load, pages of {REST_PAGE})", rest_source(url, rows)),
        ]
        for label, source in kinds:
            done, report, again = await _rounds(label, source, rounds, console)
            seconds = statistics.median(r.engine_s for r in done)
            if label == "CSV":
                csv_seconds = seconds
            table.add_row(
                label,
                f"{seconds:.1f}",
                f"{statistics.median(r.engine_rate for r in done):,.0f}",
                f"{statistics.median(r.raw_rate for r in done):,.0f}",
                f"{statistics.median(r.ratio for r in done):.0%}",
                " ".join(f"{r.ratio:.0%}" for r in done),
                _outcome(report),
            )
            if again is not None:
                report2, seconds2 = again
                table.add_row(
                    "CSV, 2nd run (unchanged)",
                    f"{seconds2:.1f}",
                    f"{report2.read / seconds2:,.0f}",
                    "",
                    "",
                    "",
                    _outcome(report2),
                )
    table.caption = (
        "engine/raw: the median of the rounds' ratios, each an engine run and a raw run "
        "one right after the other"
    )
    return table, csv_seconds


# -- memory (one subprocess per size) -----------------------------------------------------


def _rss_kb() -> tuple[int, int]:
    """(current, peak) resident set of this process, in kB.

    Linux's ``VmHWM`` is the peak of this process's own memory since its exec.
    ``ru_maxrss`` is not: exec carries the peak of the memory it replaces over,
    so a child started by a big parent (this bench, holding 100k pre-built rows)
    starts with the parent's peak. Elsewhere ``ru_maxrss`` is all there is.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, B on macOS
        return peak, peak
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def _memory_sync(path: Path, rows: int) -> tuple[RunReport, float]:
    step = max(rows // 10, BATCH)
    started = time.perf_counter()

    def progress(report: RunReport) -> None:
        if report.read % step == 0 or report.read == rows:
            rate = report.read / (time.perf_counter() - started)
            print(f"    {report.read:>9,} rows, {rate:,.0f} rows/s", file=sys.stderr, flush=True)

    async with fresh_graph() as store:
        return await timed_sync(store, table_source("bench_csv", path), progress)


def memory_main(rows: int, file: Path | None) -> None:
    """Sync a ``rows``-row CSV ledger into a fresh graph; print the RSS figures as JSON."""
    with tempfile.TemporaryDirectory(prefix="wb-bench-mem-") as folder:
        path = file or generate_large(Path(folder) / "ledger.csv", rows)
        baseline, _ = _rss_kb()
        report, seconds = asyncio.run(_memory_sync(path, rows))
        _, peak = _rss_kb()
    print(
        json.dumps(
            {
                "rows": report.read,
                "inserted": report.inserted,
                "seconds": seconds,
                "baseline_kb": baseline,
                "peak_kb": peak,
            }
        ),
        flush=True,
    )


def memory_run(rows: int, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.connectors", "--memory", str(rows), "--file", str(path)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def memory_table(folder: Path, console: Console, seconds_per_100k: float) -> Table:
    sizes = list(MEMORY_ROWS)
    estimate = seconds_per_100k * sizes[-1] / 100_000
    note = ""
    if estimate > MEMORY_BUDGET_S:
        note = (
            f" ({sizes[-1]:,} rows would take ~{estimate / 60:.0f} min at the engine's rate: "
            f"{FALLBACK_ROWS:,} measured instead)"
        )
        sizes[-1] = FALLBACK_ROWS
    table = Table(
        title="CSV connector peak memory through the engine (hub process only: the embedded "
        "FalkorDB server is a separate process and its memory is the graph's)" + note,
    )
    for col in ("rows", "engine s", "rows/s", "baseline MB", "peak MB", "peak − baseline MB"):
        table.add_column(col, justify="right")
    deltas: list[float] = []
    for rows in sizes:
        console.print(f"connectors: memory run of {rows:,} rows (fresh process) …")
        path = generate_large(folder / f"memory-{rows}.csv", rows)
        try:
            got = memory_run(rows, path)
        finally:
            path.unlink()
        delta = (got["peak_kb"] - got["baseline_kb"]) / 1024
        deltas.append(delta)
        table.add_row(
            f"{got['rows']:,}",
            f"{got['seconds']:.1f}",
            f"{got['rows'] / got['seconds']:,.0f}",
            f"{got['baseline_kb'] / 1024:.0f}",
            f"{got['peak_kb'] / 1024:.0f}",
            f"{delta:.1f}",
        )
    ratio = f"{deltas[-1] / deltas[0]:.2f}×" if deltas[0] > 0 else "n/a"
    table.caption = (
        f"peak − baseline at {sizes[-1]:,} rows / at {sizes[0]:,}: {ratio} (target ≤ 1.5×). "
        "Baseline: RSS after imports; peak: VmHWM (the process's own peak RSS)"
    )
    return table


# -- entry points -------------------------------------------------------------------------


def print_connector_tables(console: Console, *, rounds: int = ROUNDS, memory: bool = True) -> None:
    """Both connector tables, printed as they are ready (``make bench``)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wb-bench-connectors-") as folder:
        rates, csv_seconds = asyncio.run(rate_table(Path(folder), console, rounds=rounds))
        console.print(rates)
        if memory:
            console.print(memory_table(Path(folder), console, csv_seconds * 100_000 / ROWS))
    console.print(f"connector figures: {time.perf_counter() - started:.0f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.connectors", description=__doc__)
    parser.add_argument("--memory", type=int, metavar="ROWS", help="one memory run (JSON out)")
    parser.add_argument("--file", type=Path, help="the CSV ledger of --memory (else generated)")
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help=f"engine/raw pairs per kind ({ROUNDS})"
    )
    parser.add_argument("--rates-only", action="store_true", help="skip the memory runs")
    parser.add_argument("--serve-standins", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_standins:
        serve_standins_until_stdin_closes()
    elif args.memory is not None:
        memory_main(args.memory, args.file)
    else:
        if args.rounds < 1:
            parser.error("--rounds must be at least 1")
        print_connector_tables(Console(), rounds=args.rounds, memory=not args.rates_only)


if __name__ == "__main__":
    main()
