"""`weibao clients`, `weibao keys` and `weibao token` on a fresh data directory."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import CliRunner, Result

from graph import GraphConfig, GraphStore, migrate, open_graph
from graph.queries import users as user_queries
from hub.auth.clients import ClientRecord, ClientRegistry
from hub.auth.errors import InvalidCredentials
from hub.auth.keys import KeyRing
from hub.auth.tokens import TokenService
from hub.cli import app
from hub.settings import Settings

T = TypeVar("T")
runner = CliRunner()
AGREEMENT = [
    "--name",
    "滕州市教育和体育局",
    "--agency",
    "education",
    "--region",
    "370481",
    "--purpose",
    "school_attendance",
    "--type",
    "Child",
    "--type",
    "Village",
    "--field",
    "Child.name",
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli") / "data"


def weibao(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(
        app, [*args, "--data-dir", str(data_dir)], env={"COLUMNS": "250", **(env or {})}
    )


def decode(data_dir: Path, token: str) -> TokenService:
    settings = Settings(data_dir=data_dir)
    service = TokenService(
        KeyRing.load(settings.keys_dir), settings.issuer, settings.auth.audience, 600, 900
    )
    service.decode(token)
    return service


def in_graph(data_dir: Path, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Run ``work`` on the data dir's graph (between two commands, as another process would)."""

    async def go() -> T:
        async with open_graph(GraphConfig(data_dir=data_dir)) as store:
            await migrate(store)
            return await work(store)

    return asyncio.run(go())


def test_clients_add_list_token_rotate_revoke(data_dir: Path) -> None:
    added = weibao(data_dir, "clients", "add", "t-edu", *AGREEMENT)
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip()
    assert len(secret) >= 40
    assert "\n" not in secret  # the secret alone on stdout

    async def stored(store: GraphStore) -> ClientRecord | None:
        return await ClientRegistry(store).get("t-edu")

    record = in_graph(data_dir, stored)
    assert record is not None
    assert record.secret_hash.startswith("$argon2id$")
    assert (record.regions, record.purposes) == (("370481",), ("school_attendance",))
    assert (record.types, record.fields, record.scopes) == (
        ("Child", "Village"),
        ("Child.name",),
        ("graphql",),
    )
    assert not record.trusted_only
    assert not record.disabled

    again = weibao(data_dir, "clients", "add", "t-edu", *AGREEMENT)
    assert again.exit_code == 1
    assert "exists already" in again.stderr

    listed = weibao(data_dir, "clients", "list")
    assert listed.exit_code == 0, listed.output
    assert "t-edu" in listed.stdout
    assert "enabled" in listed.stdout
    assert secret not in listed.output
    assert "argon2" not in listed.output

    minted = weibao(data_dir, "token", "--client", "t-edu")
    assert minted.exit_code == 0, minted.output
    claims = decode(data_dir, minted.stdout.strip()).decode(minted.stdout.strip())
    assert (claims.kind, claims.client_id, claims.scope) == ("client", "t-edu", ("graphql",))

    rotated = weibao(data_dir, "clients", "rotate-secret", "t-edu")
    assert rotated.exit_code == 0, rotated.output
    new_secret = rotated.stdout.strip()
    assert new_secret != secret

    async def check(store: GraphStore) -> bool:
        registry = ClientRegistry(store)
        await registry.verify_secret("t-edu", new_secret)  # raises if refused
        try:
            await registry.verify_secret("t-edu", secret)
        except InvalidCredentials:
            return True
        return False

    assert in_graph(data_dir, check), "the old secret still works"

    revoked = weibao(data_dir, "clients", "revoke", "t-edu")
    assert revoked.exit_code == 0, revoked.output
    assert "disabled" in weibao(data_dir, "clients", "list").stdout
    refused = weibao(data_dir, "token", "--client", "t-edu")
    assert refused.exit_code == 1
    assert "no enabled client" in refused.stderr
    assert weibao(data_dir, "clients", "enable", "t-edu").exit_code == 0
    assert weibao(data_dir, "token", "--client", "t-edu").exit_code == 0

    for command in ("revoke", "rotate-secret"):
        missing = weibao(data_dir, "clients", command, "t-nobody")
        assert missing.exit_code == 1
        assert "no client t-nobody" in missing.stderr


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (["--region", "37a"], "not a division code"),
        (["--region", "3"], "not a division code"),
        (["--type", "Unicorn"], "not a label"),
        (["--type", "User"], "not a label"),
        (["--field", "Child.secretSauce"], "no property"),
        (["--field", "Guardian.phone"], "not one of the --type labels"),
        (["--field", "childname"], "not one of the --type labels"),
        (["--scope", "admin"], "known: graphql"),
        (["--purpose", "Bad Purpose"], "lower-case"),
    ],
)
def test_clients_add_validates_the_agreement(
    data_dir: Path, change: list[str], complaint: str
) -> None:
    result = weibao(data_dir, "clients", "add", "t-bad", *AGREEMENT, *change)
    assert result.exit_code == 2
    assert complaint in " ".join(result.stderr.split())  # rich wraps the usage box


def test_clients_add_checks_the_client_id(data_dir: Path) -> None:
    result = weibao(data_dir, "clients", "add", "Bad Id!", *AGREEMENT)
    assert result.exit_code == 2
    assert "CLIENT_ID" in result.stderr


def test_keys_rotate_list_retire(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = KeyRing.load(data_dir / "keys").active.kid
    rotated = weibao(data_dir, "keys", "rotate")
    assert rotated.exit_code == 0, rotated.output
    new = rotated.stdout.strip()
    assert new != first
    listed = weibao(data_dir, "keys", "list")
    assert listed.exit_code == 0
    lines = {line.split()[1]: line for line in listed.stdout.splitlines() if "ES256" in line}
    assert "verifying" in lines[first]
    assert "active" in lines[new]

    refused = weibao(data_dir, "keys", "retire", new)
    assert refused.exit_code == 1
    assert "active key" in refused.stderr
    assert weibao(data_dir, "keys", "retire", first).exit_code == 0
    assert "retired" in weibao(data_dir, "keys", "list").stdout
    assert weibao(data_dir, "keys", "retire", "nope").exit_code == 1


def test_token_for_a_user(data_dir: Path) -> None:
    async def create(store: GraphStore) -> None:
        for name, disabled in (("t-tester", False), ("t-gone", True)):
            props = {"username": name, "role": "auditor", "disabled": disabled, "source": "test"}
            await store.write(user_queries.CREATE_USER, {"id": f"user-{name}", "props": props})

    in_graph(data_dir, create)
    minted = weibao(data_dir, "token", "--user", "t-tester")
    assert minted.exit_code == 0, minted.output
    token = minted.stdout.strip()
    claims = decode(data_dir, token).decode(token)
    assert (claims.kind, claims.sub, claims.username, claims.role) == (
        "user",
        "user-t-tester",
        "t-tester",
        "auditor",
    )
    for name in ("t-gone", "t-nobody"):
        refused = weibao(data_dir, "token", "--user", name)
        assert refused.exit_code == 1
        assert "no enabled user" in refused.stderr
        assert refused.stdout == ""


def test_token_wants_exactly_one_principal(data_dir: Path) -> None:
    assert weibao(data_dir, "token").exit_code == 2
    assert weibao(data_dir, "token", "--client", "a", "--user", "b").exit_code == 2


def test_token_is_refused_in_production(data_dir: Path) -> None:
    production = {"WEIBAO_ENVIRONMENT": "production", "WEIBAO_AUTH__SESSION_SECRET": "s" * 40}
    result = weibao(data_dir, "token", "--client", "t-edu", env=production)
    assert result.exit_code == 2
    assert "off in production" in result.stderr
    assert result.stdout == ""
