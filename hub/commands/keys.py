"""`weibao keys`: the keys that sign access tokens (``<data dir>/keys/jwks.json``).

These commands only touch the key file, never the graph, so they work while
the hub runs: it picks a change up within a second. Rotate, wait out the
longest token lifetime (``WEIBAO_AUTH__USER_TOKEN_TTL_S``), then retire the old key.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hub.auth.keys import KeyRing, KeyRingError
from hub.commands.common import DataDirOpt, console, load_settings

app = typer.Typer(name="keys", no_args_is_help=True, add_completion=False)


def _ring(data_dir: DataDirOpt) -> KeyRing:
    settings = load_settings(data_dir=data_dir)
    try:
        return KeyRing.load(settings.keys_dir)
    except KeyRingError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc


@app.command("list")
def list_(data_dir: DataDirOpt = None) -> None:
    """The signing keys: active, verifying (old tokens), retired."""
    ring = _ring(data_dir)
    table = Table(title="token signing keys")
    for column in ("kid", "alg", "state", "created"):
        table.add_column(column, no_wrap=True)
    for key in ring.keys:
        created = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(key.created_at))
        table.add_row(key.kid, "ES256", key.state.value, created)
    Console().print(table)


@app.command()
def rotate(data_dir: DataDirOpt = None) -> None:
    """Make a new signing key; the previous one keeps verifying the tokens it signed."""
    fresh = _ring(data_dir).rotate()
    console.print(f"new active key {fresh.kid}; retire the old one once its tokens expired")
    typer.echo(fresh.kid)


@app.command()
def retire(
    kid: Annotated[str, typer.Argument(help="The key id, from `weibao keys list`")],
    data_dir: DataDirOpt = None,
) -> None:
    """Stop accepting tokens signed by a key and drop it from the JWKS."""
    try:
        _ring(data_dir).retire(kid)
    except KeyRingError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"key {kid} retired")
