"""`weibao token`: mint an access token for a client or a user (development only).

Prints the token alone on stdout, so ``curl -H "Authorization: Bearer $(weibao
token --user admin)" …`` works. Refused in production: there, tokens come only
from ``/oauth/token`` (clients) and the login (people).
"""

from __future__ import annotations

from typing import Annotated

import typer

from graph.queries import users as user_queries
from hub.auth.clients import ClientRegistry
from hub.auth.keys import KeyRing
from hub.auth.tokens import AccessToken, TokenService
from hub.commands.common import (
    DataDirOpt,
    HostOpt,
    PortOpt,
    console,
    graph_of,
    load_settings,
    refuse_in_production,
    run,
)
from hub.settings import Settings


class _Refused(Exception):
    pass


def token_service(settings: Settings) -> TokenService:
    """The token service of the settings' key ring, issuer and lifetimes (no revocations)."""
    return TokenService(
        KeyRing.load(settings.keys_dir),
        settings.issuer,
        settings.auth.audience,
        settings.auth.client_token_ttl_s,
        settings.auth.user_token_ttl_s,
    )


def token(
    client: Annotated[
        str | None, typer.Option("--client", help="A partner client's id", show_default=False)
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="A person's user name", show_default=False)
    ] = None,
    data_dir: DataDirOpt = None,
    host: HostOpt = None,
    port: PortOpt = None,
) -> None:
    """Print a valid access token for a client or a user (development only).

    The token's issuer is the hub's address: give the same --host/--port as to
    ``weibao serve`` (or set WEIBAO_AUTH__ISSUER).
    """
    if (client is None) == (user is None):
        raise typer.BadParameter("give exactly one of --client and --user")
    settings = load_settings(host, port, data_dir)
    refuse_in_production(settings, "weibao token")
    tokens = token_service(settings)

    async def go() -> AccessToken:
        async with graph_of(settings) as store:
            if client is not None:
                record = await ClientRegistry(store).get(client)
                if record is None or record.disabled:
                    raise _Refused(f"no enabled client {client!r}")
                return tokens.issue_client(record.client_id, record.scopes)
            assert user is not None
            rows = await store.read(user_queries.USER_BY_USERNAME, {"username": user})
            account = rows[0]["user"] if rows else None
            if account is None or account.get("disabled"):
                raise _Refused(f"no enabled user {user!r}")
            return tokens.issue_user(str(account["id"]), user, str(account.get("role") or ""))

    try:
        issued = run(go())
    except _Refused as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    typer.echo(issued.token)
