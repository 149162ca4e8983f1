"""`weibao sync`: run the configured connectors (or all of them on the shipped samples)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from connectors import (
    ConnectorError,
    RunReport,
    Source,
    SyncEngine,
    build_source,
    engine_for,
    load_sources,
)
from connectors.config import SourceConfig
from connectors.systems import SYSTEMS, SampleEnv
from graph import GraphStore
from graph.queries import sync as sync_queries
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run
from hub.commands.screening import screen_all, summary

out = Console()


@contextlib.contextmanager
def sample_sources() -> Iterator[dict[str, SourceConfig]]:
    """Every system pointed at its shipped samples, with the stand-ins serving the platforms."""
    from connectors.standins import serve_standins

    samples = Path(__file__).resolve().parents[2] / "connectors" / "samples"
    with serve_standins() as standins:
        env = SampleEnv(
            samples=samples, rest_base_url=standins.base_url, rest_tokens=standins.secrets
        )
        configs = {
            name: SourceConfig(
                name=name,
                system=name,
                precedence=spec.precedence,
                every_s=None,
                settings=spec.sample_settings(env),
                field_precedence=spec.field_precedence,
            )
            for name, spec in sorted(SYSTEMS.items())
        }
        yield configs


def sync(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources to run (default: all configured)")
    ] = None,
    samples: Annotated[
        bool, typer.Option("--samples", help="Run every connector on the shipped samples")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per stream (the run's counts)")
    ] = False,
    show_rejects: Annotated[
        bool, typer.Option("--rejects", help="List the rejected records of each run")
    ] = False,
    list_systems: Annotated[
        bool, typer.Option("--list", help="List the systems a source can be")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Sources file [WEIBAO_SOURCES_FILE]")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="Records per graph batch")
    ] = 1000,
    no_screening: Annotated[
        bool, typer.Option("--no-screening", help="Do not screen the children afterwards")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Bring the program's systems into the graph: incremental, idempotent, with provenance."""
    if list_systems:
        table = Table("system", "what")
        for name, spec in sorted(SYSTEMS.items()):
            table.add_row(name, spec.title)
        out.print(table)
        return
    settings = load_settings(data_dir=data_dir)
    failed = False

    async def go(configs: dict[str, SourceConfig]) -> list[RunReport]:
        nonlocal failed
        chosen = sources or list(configs)
        missing = [s for s in chosen if s not in configs]
        if missing:
            raise ConnectorError(
                f"no source named {', '.join(missing)} (have {', '.join(configs)})"
            )
        reports: list[RunReport] = []
        async with graph_of(settings) as store:
            engine = engine_for(store, configs, batch_size=batch_size)
            for name in chosen:
                source = build_source(configs[name])
                for stream in source.streams():
                    report = await _run_stream(engine, source, stream, quiet=as_json)
                    failed = failed or report.status != "ok"
                    reports.append(report)
                    if as_json:
                        out.print_json(json.dumps(report.as_json(), ensure_ascii=False))
                    if show_rejects and report.rejected:
                        await _print_rejects(store, report)
            # What the streams loaded may call for verification tasks (疑似困境儿童排查).
            # Also after a run that loaded nothing: an earlier one may have been cut off
            # before its screening (which opens nothing twice).
            if not no_screening:
                console.print(summary(await screen_all(store)))
        return reports

    try:
        if samples:
            with sample_sources() as configs:
                reports = run(go(configs))
        else:
            path = config or settings.sources_file
            reports = run(go(load_sources(path)))
    except ConnectorError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2 if "no source" in str(exc) or "sources" in str(exc) else 1) from exc
    if not as_json:
        out.print(_summary(reports))
    if failed:
        raise typer.Exit(1)


async def _run_stream(
    engine: SyncEngine, source: object, stream: object, *, quiet: bool
) -> RunReport:
    from connectors.core.stream import Stream

    assert isinstance(stream, Stream)
    src: Source = source  # type: ignore[assignment]
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=quiet) as progress:
        task = progress.add_task(f"{src.name}/{stream.name}: starting", total=None)

        def update(report: RunReport) -> None:
            progress.update(
                task,
                description=f"{src.name}/{stream.name}: {report.read:,} read, "
                f"{report.inserted:,} new, {report.updated:,} changed, "
                f"{report.rejected:,} rejected",
            )

        # A failing stream is recorded as failed and the others still run.
        report = await engine.sync(src, stream, update)
    if report.status != "ok":
        console.print(f"[red]{src.name}/{stream.name} failed:[/red] {report.errors[-1]}")
    return report


async def _print_rejects(store: GraphStore, report: RunReport, limit: int = 50) -> None:
    rows = await store.read(sync_queries.REJECTS_OF_RUN, {"runId": report.run_id, "limit": limit})
    table = Table("where", "why", title=f"rejected by {report.source}/{report.stream}")
    for r in rows:
        table.add_row(str(r["location"]), str(r["reason"]))
    console.print(table)


def _summary(reports: list[RunReport]) -> Table:
    table = Table(title="sync")
    for col in (
        "source",
        "stream",
        "status",
        "read",
        "new",
        "changed",
        "same",
        "rejected",
        "cursor",
    ):
        table.add_column(
            col,
            justify="right" if col in ("read", "new", "changed", "same", "rejected") else "left",
        )
    for r in reports:
        table.add_row(
            r.source,
            r.stream,
            r.status,
            f"{r.read:,}",
            f"{r.inserted:,}",
            f"{r.updated:,}",
            f"{r.unchanged:,}",
            f"{r.rejected:,}",
            f"{r.skipped:,}",
            r.cursor_after or "",
        )
    return table
