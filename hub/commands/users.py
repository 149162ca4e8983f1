"""`weibao users`: people's accounts (add, list, disable, enable, reset-password, totp).

Generated passwords and TOTP secrets are printed once, on standard output,
and stored only as an argon2id hash (the password) or for checking codes
(the TOTP secret). Exit codes: 1 for an unknown user, 2 for bad input.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from hub.auth.users import AccountError, UnknownUser, UserDirectory
from hub.commands.common import DataDirOpt, console, graph_of, load_settings, run
from schema.access import PERSON_ROLES

T = TypeVar("T")

app = typer.Typer(name="users", no_args_is_help=True, add_completion=False)

out = Console(highlight=False, soft_wrap=True)

ROLES = ", ".join(r.value for r in PERSON_ROLES)
NameArg = Annotated[str, typer.Argument(help="User name")]


def _with_directory(data_dir: Path | None, action: Callable[[UserDirectory], Awaitable[T]]) -> T:
    """Run ``action`` on the account directory of the configured graph; map errors to exits."""
    settings = load_settings(data_dir=data_dir)

    async def go() -> T:
        async with graph_of(settings) as store:
            return await action(UserDirectory(store))

    try:
        return run(go())
    except UnknownUser as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    except AccountError as exc:  # bad input, existing user, weak password
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc


def _print_totp(secret: str, uri: str) -> None:
    out.print(f"TOTP secret: {secret}")
    out.print(f"provisioning URI: {uri}")
    console.print("(add it to an authenticator app: scan the URI as a QR code or type the secret)")


@app.command()
def add(
    username: NameArg,
    role: Annotated[str, typer.Option("--role", help=f"One of: {ROLES}")],
    region: Annotated[
        list[str], typer.Option("--region", help="Division code of the area served (repeatable)")
    ],
    name: Annotated[str, typer.Option("--name", help="Display name")],
    person_id: Annotated[
        str | None, typer.Option("--person-id", help="Director's or supervisor's node id")
    ] = None,
    purpose: Annotated[
        list[str] | None,
        typer.Option("--purpose", help="A purpose the account may state (repeatable)"),
    ] = None,
    totp: Annotated[bool, typer.Option("--totp", help="Enrol a TOTP second factor")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Create an account; prints its generated password once."""

    async def action(users: UserDirectory) -> tuple[str, tuple[str, str] | None]:
        record, password = await users.add(
            username, role, name, region, person_id=person_id, purposes=purpose or ()
        )
        enrolled = await users.enrol_totp(record.username) if totp else None
        return password, enrolled

    password, enrolled = _with_directory(data_dir, action)
    console.print(f"created user {username.strip()} ({role})")
    out.print(f"password: {password}")
    if enrolled:
        _print_totp(*enrolled)
    console.print("(shown once: hand it over safely; it is stored only as a hash)")


@app.command("list")
def list_users(data_dir: DataDirOpt = None) -> None:
    """The accounts: user name, role, regions, disabled, locked, TOTP."""

    async def action(users: UserDirectory) -> list[tuple[str, ...]]:
        now = users.now_ms()
        return [
            (
                r.username,
                r.role.value,
                " ".join(r.regions),
                "yes" if r.disabled else "no",
                "yes" if r.locked(now) else "no",
                "yes" if r.totp_enrolled else "no",
            )
            for r in await users.list()
        ]

    rows = _with_directory(data_dir, action)
    table = Table(title=f"accounts ({len(rows)})")
    for column in ("username", "role", "regions", "disabled", "locked", "totp"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    out.print(table)


@app.command()
def disable(username: NameArg, data_dir: DataDirOpt = None) -> None:
    """Refuse the account's logins, sessions and tokens (within seconds)."""
    _with_directory(data_dir, lambda users: users.disable(username))
    console.print(f"disabled {username}")


@app.command()
def enable(username: NameArg, data_dir: DataDirOpt = None) -> None:
    """Let a disabled account sign in again."""
    _with_directory(data_dir, lambda users: users.enable(username))
    console.print(f"enabled {username}")


@app.command("reset-password")
def reset_password(username: NameArg, data_dir: DataDirOpt = None) -> None:
    """Set a new generated password (printed once); ends the account's sessions."""
    password = _with_directory(data_dir, lambda users: users.reset_password(username))
    out.print(f"password: {password}")
    console.print(f"new password set for {username}; its older sessions are ended")


@app.command("totp")
def totp_cmd(username: NameArg, data_dir: DataDirOpt = None) -> None:
    """Enrol (or re-enrol, replacing the old one) a TOTP second factor."""
    secret, uri = _with_directory(data_dir, lambda users: users.enrol_totp(username))
    _print_totp(secret, uri)
