"""`weibao reviews`: uncertain identity matches, decided by a person (and undone)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from connectors import SyncEngine, SyncError
from graph.queries import sync as sync_queries
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run

app = typer.Typer(name="reviews", no_args_is_help=True, add_completion=False)
out = Console()

ByOpt = Annotated[str | None, typer.Option("--by", help="Who decides (default: your login)")]


@app.command("list")
def list_reviews(
    status: Annotated[str, typer.Option(help="open, merged or apart")] = "open",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    data_dir: DataDirOpt = None,
) -> None:
    """The reviews of a status, oldest first (ids, not people's data)."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> list[dict[str, object]]:
        async with graph_of(settings) as store:
            rows = await store.read(sync_queries.OPEN_REVIEWS, {"status": status, "limit": limit})
        return [r["review"] for r in rows]

    table = Table("review", "source", "record", "kept as", "may be", "confidence", "why")
    for r in run(go()):
        table.add_row(
            str(r["id"]),
            str(r.get("sourceName")),
            str(r.get("sourceKey")),
            str(r.get("entityId")),
            str(r.get("candidateId")),
            f"{float(str(r.get('confidence') or 0)):.2f}",
            "; ".join(str(x) for x in (r.get("reasons") or [])),  # type: ignore[attr-defined]
        )
    out.print(table)


def _decide(review: str, status: str, by: str | None, data_dir: object) -> None:
    settings = load_settings(data_dir=data_dir)  # type: ignore[arg-type]

    async def go() -> None:
        async with graph_of(settings) as store:
            await SyncEngine(store).decide(review, status, by or getpass.getuser())

    try:
        run(go())
    except SyncError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"{review}: {status}; it takes effect at the source's next sync")


@app.command()
def merge(review: str, by: ByOpt = None, data_dir: DataDirOpt = None) -> None:
    """The record is that person: its values go to them at the next sync."""
    _decide(review, "merged", by, data_dir)


@app.command()
def apart(review: str, by: ByOpt = None, data_dir: DataDirOpt = None) -> None:
    """The record is not that person: never matched to them again."""
    _decide(review, "apart", by, data_dir)


@app.command()
def undo(review: str, by: ByOpt = None, data_dir: DataDirOpt = None) -> None:
    """Undo a decision: what the record gave is taken back, and it is matched afresh."""
    _decide(review, "open", by, data_dir)
