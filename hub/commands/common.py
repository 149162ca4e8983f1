"""What every ``weibao`` command shares: settings from options, running a coroutine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from graph import GraphError, GraphStore, migrate, open_graph
from hub.settings import Settings

T = TypeVar("T")

console = Console(stderr=True)

HostOpt = Annotated[str | None, typer.Option(help="Address to serve on [WEIBAO_HOST]")]
PortOpt = Annotated[int | None, typer.Option(help="Port to serve on [WEIBAO_PORT]")]
DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Data directory [WEIBAO_DATA_DIR]")
]


def load_settings(
    host: str | None = None, port: int | None = None, data_dir: Path | None = None
) -> Settings:
    """The settings, with the command's options over the environment; exit 2 if invalid."""
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a graph error exits 1 with its message."""
    try:
        return asyncio.run(coro)
    except GraphError as exc:
        console.print(f"[red]graph error:[/red] {exc}")
        raise typer.Exit(1) from exc


@asynccontextmanager
async def graph_of(settings: Settings) -> AsyncIterator[GraphStore]:
    """The configured graph, migrated, for the length of a command.

    With the embedded graph, a command run while ``weibao serve`` holds the data
    dir uses the running hub's server.
    """
    from dataclasses import replace

    from hub.app import graph_config

    async with open_graph(replace(graph_config(settings), attach=True)) as store:
        await migrate(store)
        yield store


def refuse_in_production(settings: Settings, what: str) -> None:
    """Dev conveniences (printed secrets, minted tokens) exit 2 in production."""
    if not settings.is_dev:
        console.print(f"[red]{what} is a development convenience, off in production[/red]")
        raise typer.Exit(2)
