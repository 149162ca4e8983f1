"""The ``weibao`` command line."""

from __future__ import annotations

import logging
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from graph import GraphError, GraphStore, compact, migrate, open_graph, queries
from hub.app import create_app, graph_config
from hub.commands import assessment as assessment_cmd
from hub.commands import audit as audit_cmd
from hub.commands import clients as clients_cmd
from hub.commands import keys as keys_cmd
from hub.commands import reviews as reviews_cmd
from hub.commands import screening as screening_cmd
from hub.commands import sync as sync_cmd
from hub.commands import token as token_cmd
from hub.commands import users as users_cmd
from hub.commands.common import DataDirOpt, HostOpt, PortOpt, console, load_settings, run
from hub.settings import Settings

app = typer.Typer(
    name="weibao",
    help="weibao-hub: the data hub of the minor-protection program (未保).",
    no_args_is_help=True,
    add_completion=False,
)


class ScaleChoice(StrEnum):
    CITY = "city"
    PROVINCE = "province"


def _serve(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    console.print(f"serving on http://{settings.host}:{settings.port}  (GraphQL at /graphql)")
    try:
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            lifespan="on",
        )
    except GraphError as exc:  # pragma: no cover - uvicorn reports lifespan failures itself
        console.print(f"[red]graph error:[/red] {exc}")
        raise typer.Exit(1) from exc


@app.command()
def serve(host: HostOpt = None, port: PortOpt = None, data_dir: DataDirOpt = None) -> None:
    """Serve what the graph holds (GraphQL, portal, health)."""
    _serve(load_settings(host, port, data_dir))


@app.command("migrate")
def migrate_cmd(data_dir: DataDirOpt = None) -> None:
    """Apply pending schema migrations (constraints, indexes) and exit."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> list[str]:
        async with open_graph(graph_config(settings)) as store:
            return await migrate(store)

    applied = run(go())
    assert isinstance(applied, list)
    for name in applied:
        console.print(f"applied {name}")
    if not applied:
        console.print("nothing to apply")


@app.command()
def demo(
    host: HostOpt = None,
    port: PortOpt = None,
    data_dir: DataDirOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data")] = 2024,
    scale: Annotated[
        ScaleChoice, typer.Option(help="city (Tengzhou) or province (Shandong)")
    ] = ScaleChoice.CITY,
    load_only: Annotated[bool, typer.Option("--load-only", help="Load and exit")] = False,
) -> None:
    """Load the demo data set (into a fresh or empty graph) and serve it."""
    settings = load_settings(host, port, data_dir)
    run(_load_demo(settings, seed, scale))
    if not load_only:
        _serve(settings)


async def _load_demo(settings: Settings, seed: int, scale: ScaleChoice) -> None:
    marker = f"seed={seed};scale={scale.value}"
    async with open_graph(graph_config(settings)) as store:
        await migrate(store)
        loaded = await store.read(queries.meta.GET_META, {"id": "demo"})
        if loaded:
            if loaded[0]["value"] != marker:
                console.print(
                    f"[red]the graph holds another demo data set ({loaded[0]['value']}); "
                    "use another --data-dir[/red]"
                )
                raise typer.Exit(2)
            console.print(f"demo data set already loaded ({marker})")
        else:
            await _load_fresh(store, seed, scale, marker)
        if settings.is_dev:
            await _print_credentials(store, seed)


async def _load_fresh(store: GraphStore, seed: int, scale: ScaleChoice, marker: str) -> None:
    from hub.demo import build_demo, load_demo

    count = await store.read(queries.meta.NODE_COUNT)
    migrations = len(await store.read(queries.meta.APPLIED_MIGRATIONS))
    if int(count[0]["nodes"]) > migrations:
        console.print(
            "[red]the graph is not empty and holds no demo data set; use another --data-dir[/red]"
        )
        raise typer.Exit(2)
    started = time.perf_counter()
    data = build_demo(seed=seed, scale="city" if scale is ScaleChoice.CITY else "province")
    built = time.perf_counter()
    with console.status("loading the demo data set…") as status:

        def progress(what: str, done: int) -> None:
            status.update(f"loading {what} ({done:,})…")

        report = await load_demo(store, data, progress=progress)
    loaded_at = time.perf_counter()
    await store.write(queries.meta.SET_META, {"id": "demo", "value": marker})
    await compact(store)
    finished = time.perf_counter()
    console.print(
        f"demo data set loaded: {report.nodes:,} nodes, "
        f"{report.relationships:,} relationships; "
        f"build {built - started:.1f}s, load {loaded_at - built:.1f}s, "
        f"compact {finished - loaded_at:.1f}s, total {finished - started:.1f}s"
    )


async def _print_credentials(store: GraphStore, seed: int) -> None:
    """The demo logins and partner client, in development only (they are derived from the seed)."""
    from hub.demo.accounts import demo_secret

    table = Table(title="demo accounts (development only)")
    for column in ("kind", "name", "role", "secret"):
        table.add_column(column)
    for user in await store.read(queries.accounts.USERS):
        name = str(user["username"])
        table.add_row("user", name, str(user["role"]), demo_secret(seed, name))
    for client in await store.read(queries.accounts.CLIENTS):
        name = str(client["clientId"])
        table.add_row("client", name, str(client["name"]), demo_secret(seed, name))
    console.print(table)
    console.print(
        "Sign in at /login (people), or get tokens: POST /oauth/token with the client's id "
        "and secret (partners), POST /auth/token (program apps), or "
        "`weibao token --user NAME` / `--client ID` in development. Stored hashed; printed "
        "in development only."
    )


app.add_typer(clients_cmd.app, name="clients", help="Partner agencies' OAuth clients")
app.add_typer(users_cmd.app, name="users", help="People's accounts")
app.add_typer(keys_cmd.app, name="keys", help="Token signing keys")
app.add_typer(audit_cmd.app, name="audit", help="The audit trail of reads of children's data")
app.add_typer(reviews_cmd.app, name="reviews", help="Uncertain identity matches to decide")
app.add_typer(screening_cmd.app, name="screening", help="Active screening of children in distress")
app.add_typer(assessment_cmd.app, name="assessment", help="Quarterly assessments and allowances")
app.command("token")(token_cmd.token)
app.command("sync")(sync_cmd.sync)


def main() -> None:
    """Entry point of the ``weibao`` console script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
