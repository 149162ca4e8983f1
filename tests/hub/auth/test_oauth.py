"""The OAuth 2.0 endpoints over HTTP (ASGI): token, revocation, JWKS, metadata."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from starlette.applications import Starlette

from graph import GraphStore
from hub.auth.clients import ClientRegistry
from hub.auth.errors import InvalidToken
from hub.auth.keys import KeyRing
from hub.auth.oauth import oauth_routes
from hub.auth.revocations import Revocations
from hub.auth.tokens import TokenService

ISSUER = "https://hub.test"
#: Fast argon2 parameters for tests; the hash format and checks are the same.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
FORM = {"grant_type": "client_credentials"}


@dataclass
class Hub:
    http: httpx.AsyncClient
    registry: ClientRegistry
    tokens: TokenService
    keys: KeyRing
    store: GraphStore

    async def client(self, *, scopes: tuple[str, ...] = ("graphql",)) -> tuple[str, str]:
        client_id = f"t-{secrets.token_hex(4)}"
        secret = await self.registry.add(
            client_id,
            name="测试机构",
            agency="education",
            regions=["370481"],
            purposes=["school_attendance"],
            types=["Child"],
            scopes=scopes,
        )
        return client_id, secret


@pytest_asyncio.fixture
async def hub(clean: GraphStore, tmp_path: Path) -> AsyncIterator[Hub]:
    keys = KeyRing.load(tmp_path / "keys")
    # As the app builds it: a function giving the store its lifespan opened.
    registry = ClientRegistry(lambda: clean, hasher=CHEAP, source="test")
    tokens = TokenService(keys, ISSUER, "weibao-hub", 600, 900, Revocations(clean, source="test"))
    app = Starlette(routes=oauth_routes(registry, tokens, keys))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as http:
        yield Hub(http, registry, tokens, keys, clean)


# -- the token endpoint --------------------------------------------------------------------
async def test_token_with_basic_auth(hub: Hub) -> None:
    client_id, secret = await hub.client()
    response = await hub.http.post("/oauth/token", data=FORM, auth=(client_id, secret))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 600, "graphql")
    claims = await hub.tokens.validate(body["access_token"])
    assert (claims.kind, claims.sub, claims.client_id, claims.scope) == (
        "client",
        client_id,
        client_id,
        ("graphql",),
    )


async def test_token_with_post_auth_and_a_scope(hub: Hub) -> None:
    client_id, secret = await hub.client()
    form = {**FORM, "client_id": client_id, "client_secret": secret, "scope": "graphql"}
    response = await hub.http.post("/oauth/token", data=form)
    assert response.status_code == 200, response.text
    claims = await hub.tokens.validate(response.json()["access_token"])
    assert claims.client_id == client_id


async def test_wrong_secret_unknown_and_disabled_clients_look_alike(hub: Hub) -> None:
    client_id, secret = await hub.client()
    disabled_id, disabled_secret = await hub.client()
    await hub.registry.revoke(disabled_id)
    answers = []
    for auth in ((client_id, "wrong"), ("t-nobody", secret), (disabled_id, disabled_secret)):
        response = await hub.http.post("/oauth/token", data=FORM, auth=auth)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Basic ")
        assert response.headers["cache-control"] == "no-store"
        answers.append(response.json())
    assert answers[0]["error"] == "invalid_client"
    assert answers[0] == answers[1] == answers[2]
    posted = {**FORM, "client_id": client_id, "client_secret": "wrong"}
    response = await hub.http.post("/oauth/token", data=posted)
    assert response.json()["error"] == "invalid_client"


async def test_rotated_secret_replaces_the_old_one(hub: Hub) -> None:
    client_id, old = await hub.client()
    new = await hub.registry.rotate_secret(client_id)
    refused = await hub.http.post("/oauth/token", data=FORM, auth=(client_id, old))
    assert refused.status_code == 401
    accepted = await hub.http.post("/oauth/token", data=FORM, auth=(client_id, new))
    assert accepted.status_code == 200


async def test_unsupported_grant(hub: Hub) -> None:
    client_id, secret = await hub.client()
    for grant in ("password", "authorization_code", ""):
        response = await hub.http.post(
            "/oauth/token", data={"grant_type": grant}, auth=(client_id, secret)
        )
        assert response.status_code == 400
        assert response.json()["error"] == "unsupported_grant_type"


async def test_scope_outside_the_clients(hub: Hub) -> None:
    client_id, secret = await hub.client()
    scopeless_id, scopeless_secret = await hub.client(scopes=())
    for auth, scope in (
        ((client_id, secret), "admin"),
        ((client_id, secret), "graphql admin"),
        ((scopeless_id, scopeless_secret), "graphql"),
    ):
        response = await hub.http.post("/oauth/token", data={**FORM, "scope": scope}, auth=auth)
        assert response.status_code == 400, scope
        assert response.json()["error"] == "invalid_scope"


async def test_malformed_requests(hub: Hub) -> None:
    client_id, secret = await hub.client()
    both = {**FORM, "client_id": client_id, "client_secret": secret}
    cases = [
        await hub.http.post("/oauth/token", data=both, auth=(client_id, secret)),
        await hub.http.post("/oauth/token", json=FORM, auth=(client_id, secret)),
        await hub.http.post(
            "/oauth/token",
            content=b"grant_type=client_credentials&grant_type=password",
            headers={"content-type": "application/x-www-form-urlencoded"},
            auth=(client_id, secret),
        ),
    ]
    for response in cases:
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"
    huge = await hub.http.post(
        "/oauth/token", data={**FORM, "pad": "x" * 20_000}, auth=(client_id, secret)
    )
    assert huge.status_code == 413
    assert (await hub.http.get("/oauth/token")).status_code == 405


# -- revocation ------------------------------------------------------------------------------
async def token_of(hub: Hub, client_id: str, secret: str) -> str:
    response = await hub.http.post("/oauth/token", data=FORM, auth=(client_id, secret))
    token: str = response.json()["access_token"]
    return token


async def test_revocation_then_validate_refuses(hub: Hub) -> None:
    client_id, secret = await hub.client()
    token = await token_of(hub, client_id, secret)
    assert await hub.tokens.validate(token)
    response = await hub.http.post(
        "/oauth/revoke",
        data={"token": token, "token_type_hint": "access_token"},
        auth=(client_id, secret),
    )
    assert response.status_code == 200, response.text
    with pytest.raises(InvalidToken, match="revoked"):
        await hub.tokens.validate(token)
    # Elsewhere (another hub process) it is refused as well, once its set is refreshed.
    other = Revocations(hub.store)
    await other.refresh()
    assert await other.is_revoked(hub.tokens.decode(token).jti)


async def test_a_client_revokes_only_its_own_tokens(hub: Hub) -> None:
    owner_id, owner_secret = await hub.client()
    other_id, other_secret = await hub.client()
    token = await token_of(hub, owner_id, owner_secret)
    response = await hub.http.post(
        "/oauth/revoke", data={"token": token}, auth=(other_id, other_secret)
    )
    assert response.status_code == 200  # the same answer: it does not tell whose a token is
    assert await hub.tokens.validate(token)
    user_token = hub.tokens.issue_user("user-1", "someone", "auditor").token
    response = await hub.http.post(
        "/oauth/revoke", data={"token": user_token}, auth=(owner_id, owner_secret)
    )
    assert response.status_code == 200
    assert await hub.tokens.validate(user_token)


async def test_revocation_of_garbage_is_fine_and_needs_a_client(hub: Hub) -> None:
    client_id, secret = await hub.client()
    ok = await hub.http.post("/oauth/revoke", data={"token": "garbage"}, auth=(client_id, secret))
    assert ok.status_code == 200
    token = await token_of(hub, client_id, secret)
    anonymous = await hub.http.post("/oauth/revoke", data={"token": token})
    assert anonymous.status_code in (400, 401)
    assert anonymous.json()["error"] == "invalid_client"
    wrong = await hub.http.post("/oauth/revoke", data={"token": token}, auth=(client_id, "x"))
    assert wrong.status_code == 401
    assert await hub.tokens.validate(token)
    missing = await hub.http.post("/oauth/revoke", data={"tok": token}, auth=(client_id, secret))
    assert missing.json()["error"] == "invalid_request"


# -- discovery -------------------------------------------------------------------------------
async def test_jwks_has_the_public_keys_only(hub: Hub) -> None:
    hub.keys.rotate()
    response = await hub.http.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert [k["kid"] for k in keys] == [k.kid for k in hub.keys.keys]
    for key in keys:
        assert set(key) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
        assert (key["kty"], key["alg"], key["use"]) == ("EC", "ES256", "sig")


async def test_metadata(hub: Hub) -> None:
    response = await hub.http.get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == ISSUER
    assert metadata["token_endpoint"] == f"{ISSUER}/oauth/token"
    assert metadata["revocation_endpoint"] == f"{ISSUER}/oauth/revoke"
    assert metadata["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert metadata["grant_types_supported"] == ["client_credentials"]
    methods = ["client_secret_basic", "client_secret_post"]
    assert metadata["token_endpoint_auth_methods_supported"] == methods
    checked = AuthorizationServerMetadata(metadata)
    for key in AuthorizationServerMetadata.REGISTRY_KEYS:
        if key != "response_types_supported":  # none: there is no authorization endpoint
            getattr(checked, f"validate_{key}")()


async def test_plain_http_issuer_off_loopback_is_refused(
    hub: Hub, clean: GraphStore, tmp_path: Path
) -> None:
    tokens = TokenService(
        hub.keys, "http://hub.example", "weibao-hub", 600, 900, Revocations(clean)
    )
    app = Starlette(routes=oauth_routes(hub.registry, tokens, hub.keys))
    client_id, secret = await hub.client()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.example") as http:
        response = await http.post("/oauth/token", data=FORM, auth=(client_id, secret))
    assert response.status_code == 400
    assert response.json()["error"] == "insecure_transport"


async def test_the_demo_partner_client_gets_a_token(demo_store: GraphStore, tmp_path: Path) -> None:
    from hub.demo.accounts import DEMO_CLIENT_ID, demo_secret

    keys = KeyRing.load(tmp_path / "keys")
    registry = ClientRegistry(demo_store)  # reads only: the demo graph is shared
    tokens = TokenService(keys, ISSUER, "weibao-hub", 600, 900, Revocations(demo_store))
    app = Starlette(routes=oauth_routes(registry, tokens, keys))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as http:
        response = await http.post(
            "/oauth/token", data=FORM, auth=(DEMO_CLIENT_ID, demo_secret(2024, DEMO_CLIENT_ID))
        )
    assert response.status_code == 200, response.text
    claims = await tokens.validate(response.json()["access_token"])
    assert claims.client_id == DEMO_CLIENT_ID
    record = await registry.get(DEMO_CLIENT_ID)
    assert record is not None
    assert record.agreement().grants_field("Child", "idNumber")
