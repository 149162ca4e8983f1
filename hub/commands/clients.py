"""`weibao clients`: partner agencies' OAuth clients and their data-sharing agreements.

``add`` and ``rotate-secret`` print the client secret once, alone on stdout (so
a script can capture it); it is stored only as an argon2id hash. ``revoke``
disables a client: new tokens are refused and its outstanding tokens stop
working within seconds (see :mod:`hub.auth.clients`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.model import NODES
from hub.auth.clients import (
    CLIENT_ID_PATTERN,
    KNOWN_SCOPES,
    ClientExists,
    ClientNotFound,
    ClientRecord,
    ClientRegistry,
)
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run

app = typer.Typer(name="clients", no_args_is_help=True, add_completion=False)

#: Labels of the hub's own bookkeeping: no agreement may open them to a partner.
INTERNAL_LABELS = frozenset(
    {"User", "Client", "RevokedToken", "AccessGrant", "AccessEvent", "Meta", "Migration"}
)
_REGION = re.compile(r"\d{2,12}")
_PURPOSE = re.compile(r"[a-z][a-z0-9_]{1,63}")

ClientIdArg = Annotated[
    str, typer.Argument(metavar="CLIENT_ID", help="The client id, e.g. edu-bureau")
]


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def validate_agreement(
    client_id: str,
    regions: list[str],
    purposes: list[str],
    types: list[str],
    fields: list[str],
    scopes: list[str],
) -> None:
    """Raise typer.BadParameter (exit 2) naming the first invalid value."""
    if not CLIENT_ID_PATTERN.fullmatch(client_id):
        raise typer.BadParameter(
            "2-63 characters: lower-case letters, digits, '.', '_', '-'", param_hint="CLIENT_ID"
        )
    for code in regions:
        if not _REGION.fullmatch(code):
            raise typer.BadParameter(
                f"{code!r} is not a division code (2-12 digits)", param_hint="--region"
            )
    for purpose in purposes:
        if not _PURPOSE.fullmatch(purpose):
            raise typer.BadParameter(
                f"{purpose!r}: lower-case letters, digits and '_'", param_hint="--purpose"
            )
    for label in types:
        if label not in NODES or label in INTERNAL_LABELS:
            raise typer.BadParameter(f"{label!r} is not a label of the graph", param_hint="--type")
    for field in fields:
        label, _, prop = field.partition(".")
        if label not in types:
            raise typer.BadParameter(
                f"{field!r}: {label!r} is not one of the --type labels", param_hint="--field"
            )
        if prop != "*" and prop not in NODES[label].properties:
            raise typer.BadParameter(
                f"{field!r}: {label} has no property {prop!r}", param_hint="--field"
            )
    for scope in scopes:
        if scope not in KNOWN_SCOPES:
            raise typer.BadParameter(
                f"{scope!r}; known: {', '.join(KNOWN_SCOPES)}", param_hint="--scope"
            )


@app.command()
def add(
    client_id: ClientIdArg,
    name: Annotated[str, typer.Option(help="The agency's name, e.g. 滕州市教育和体育局")],
    agency: Annotated[str, typer.Option(help="Kind of agency, e.g. education")],
    region: Annotated[
        list[str], typer.Option(help="Division code whose subtree it may read (repeatable)")
    ],
    purpose: Annotated[list[str], typer.Option(help="A purpose of its requests (repeatable)")],
    type_: Annotated[
        list[str], typer.Option("--type", help="A graph label it may read (repeatable)")
    ],
    field: Annotated[
        list[str] | None,
        typer.Option(help="A personal field it may see, Label.prop or Label.* (repeatable)"),
    ] = None,
    scope: Annotated[
        list[str] | None, typer.Option(help="OAuth scope (repeatable); default: graphql")
    ] = None,
    trusted_only: Annotated[
        bool, typer.Option("--trusted-only", help="Only the trusted GraphQL documents")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Register a partner client; prints its secret, once."""
    fields, scopes = field or [], scope or ["graphql"]
    validate_agreement(client_id, region, purpose, type_, fields, scopes)
    settings = load_settings(data_dir=data_dir)

    async def go() -> str:
        async with graph_of(settings) as store:
            return await ClientRegistry(store).add(
                client_id,
                name=name,
                agency=agency,
                regions=region,
                purposes=purpose,
                types=type_,
                fields=fields,
                scopes=scopes,
                trusted_only=trusted_only,
            )

    try:
        secret = run(go())
    except ClientExists as exc:
        raise _fail(exc.message) from exc
    console.print(f"client {client_id} added; its secret (shown once, stored hashed):")
    typer.echo(secret)


@app.command("list")
def list_(data_dir: DataDirOpt = None) -> None:
    """The partner clients and their agreements (never their secrets)."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> list[ClientRecord]:
        async with graph_of(settings) as store:
            return await ClientRegistry(store).list()

    records = run(go())
    table = Table(title="partner clients")
    for column in ("client", "name", "agency", "regions", "purposes", "types", "fields"):
        table.add_column(column, overflow="fold")
    for column in ("scopes", "state", "secret set"):
        table.add_column(column)
    for r in records:
        table.add_row(
            r.client_id,
            r.name,
            r.agency,
            " ".join(r.regions),
            " ".join(r.purposes),
            " ".join(r.types),
            " ".join(r.fields),
            " ".join(r.scopes) + (" (trusted only)" if r.trusted_only else ""),
            "disabled" if r.disabled else "enabled",
            _day(r.secret_rotated_at or r.created_at),
        )
    Console().print(table)


def _day(epoch_ms: int | None) -> str:
    if epoch_ms is None:
        return "-"
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


@app.command()
def revoke(client_id: ClientIdArg, data_dir: DataDirOpt = None) -> None:
    """Disable a client: no new tokens; its tokens stop working within seconds."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> None:
        async with graph_of(settings) as store:
            await ClientRegistry(store).revoke(client_id)

    try:
        run(go())
    except ClientNotFound as exc:
        raise _fail(exc.message) from exc
    console.print(f"client {client_id} disabled")


@app.command()
def enable(client_id: ClientIdArg, data_dir: DataDirOpt = None) -> None:
    """Enable a client that was revoked."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> None:
        async with graph_of(settings) as store:
            await ClientRegistry(store).enable(client_id)

    try:
        run(go())
    except ClientNotFound as exc:
        raise _fail(exc.message) from exc
    console.print(f"client {client_id} enabled")


@app.command("rotate-secret")
def rotate_secret(client_id: ClientIdArg, data_dir: DataDirOpt = None) -> None:
    """Give a client a new secret (printed once); the old one stops working."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> str:
        async with graph_of(settings) as store:
            return await ClientRegistry(store).rotate_secret(client_id)

    try:
        secret = run(go())
    except ClientNotFound as exc:
        raise _fail(exc.message) from exc
    console.print(f"new secret of {client_id} (shown once; the old one no longer works):")
    typer.echo(secret)
