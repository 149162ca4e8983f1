"""Access tokens: the RFC 9068 shape, every refusal, revocation, rotation, no round trips."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from graph import CountingStore, GraphStore, GraphUnavailable, Statement
from graph.store import Params, Row
from hub.auth.errors import InvalidToken
from hub.auth.keys import KeyRing
from hub.auth.revocations import Revocations
from hub.auth.tokens import APP_CLIENT_ID, TokenService

ISSUER = "https://hub.test"
AUDIENCE = "weibao-hub"


class Clock:
    """A settable clock (wall or monotonic)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def ring(keys_dir: Path) -> KeyRing:
    return KeyRing.load(keys_dir)


@pytest.fixture
def clock() -> Clock:
    return Clock(time.time())


@pytest.fixture
def service(ring: KeyRing, clock: Clock) -> TokenService:
    return TokenService(ring, ISSUER, AUDIENCE, 600, 900, clock=clock)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
    )


def good_claims(now: float) -> dict[str, Any]:
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(now),
        "exp": int(now) + 600,
        "jti": "forged",
        "sub": "edu-bureau",
        "client_id": "edu-bureau",
        "scope": "graphql",
        "wb_kind": "client",
    }


def signed(key: ECKey, kid: str, claims: dict[str, Any], typ: str = "at+jwt") -> str:
    return jwt.encode({"alg": "ES256", "typ": typ, "kid": kid}, claims, key, algorithms=["ES256"])


def refused(service: TokenService, token: str, reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        service.decode(token)


# -- issuing ---------------------------------------------------------------------------------
async def test_client_token_has_the_rfc_9068_shape(service: TokenService, ring: KeyRing) -> None:
    issued = service.issue_client("edu-bureau", ["graphql"])
    header, payload = parts(issued.token)
    assert header == {"alg": "ES256", "typ": "at+jwt", "kid": ring.active.kid}
    assert (payload["iss"], payload["aud"]) == (ISSUER, AUDIENCE)
    assert payload["sub"] == payload["client_id"] == "edu-bureau"
    assert (payload["scope"], payload["wb_kind"]) == ("graphql", "client")
    assert payload["exp"] - payload["iat"] == 600 == issued.expires_in
    assert (payload["jti"], payload["exp"]) == (issued.jti, issued.expires_at)
    claims = await service.validate(issued.token)
    assert (claims.kind, claims.sub, claims.client_id, claims.scope) == (
        "client",
        "edu-bureau",
        "edu-bureau",
        ("graphql",),
    )
    assert claims.jti == issued.jti


async def test_user_token_names_the_account(service: TokenService) -> None:
    issued = service.issue_user("user-admin", "admin", "center_admin")
    claims = await service.validate(issued.token)
    assert (claims.kind, claims.sub, claims.client_id) == ("user", "user-admin", APP_CLIENT_ID)
    assert (claims.username, claims.role) == ("admin", "center_admin")
    assert claims.exp - claims.iat == 900 == issued.expires_in
    assert service.issue_user("user-admin", "admin", "center_admin").jti != issued.jti


# -- refusals --------------------------------------------------------------------------------
def test_expired_beyond_the_leeway(service: TokenService, clock: Clock) -> None:
    token = service.issue_client("edu-bureau", ["graphql"]).token
    clock.now += 600 + 25
    assert service.decode(token).client_id == "edu-bureau"  # within 30 s of leeway
    clock.now += 10
    refused(service, token, "expired")


def test_expired_on_first_sight(service: TokenService, clock: Clock) -> None:
    token = service.issue_client("edu-bureau", ["graphql"]).token
    clock.now += 700
    refused(service, token, "expired")


def test_not_yet_valid(ring: KeyRing, service: TokenService, clock: Clock) -> None:
    future = TokenService(ring, ISSUER, AUDIENCE, 600, 900, clock=Clock(clock.now + 120))
    refused(service, future.issue_client("edu-bureau", ["graphql"]).token, "not yet valid")


def test_other_audience_and_issuer(ring: KeyRing, service: TokenService) -> None:
    other_aud = TokenService(ring, ISSUER, "another-api", 600, 900)
    refused(service, other_aud.issue_client("c", ["graphql"]).token, "another audience")
    other_iss = TokenService(ring, "https://evil.test", AUDIENCE, 600, 900)
    refused(service, other_iss.issue_client("c", ["graphql"]).token, "another issuer")


def test_unknown_key_even_under_a_known_kid(service: TokenService, ring: KeyRing) -> None:
    stranger = ECKey.generate_key("P-256", private=True)
    claims = good_claims(time.time())
    refused(service, signed(stranger, "some-other-kid", claims), "unknown signing key")
    refused(service, signed(stranger, ring.active.kid, claims), "bad token signature")
    no_kid = jwt.encode({"alg": "ES256", "typ": "at+jwt"}, claims, ring.active.key)
    refused(service, no_kid, "unknown signing key")


def test_alg_none(service: TokenService, ring: KeyRing) -> None:
    header = {"alg": "none", "typ": "at+jwt", "kid": ring.active.kid}
    payload = good_claims(time.time())
    for signature in ("", "c2ln"):
        token = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}."
        refused(service, token + signature, "algorithm not accepted")


def test_hs256_keyed_with_the_public_key(service: TokenService, ring: KeyRing) -> None:
    header = {"alg": "HS256", "typ": "at+jwt", "kid": ring.active.kid}
    payload = good_claims(time.time())
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    public_forms = [
        ring.active.key.as_pem(private=False),
        json.dumps(ring.public_jwks()["keys"][0]).encode(),
    ]
    for secret in public_forms:
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        refused(service, f"{signing_input}.{b64(mac)}", "algorithm not accepted")


def test_tampered_payload(service: TokenService) -> None:
    token = service.issue_client("edu-bureau", ["graphql"]).token
    header, _, signature = token.split(".")
    _, claims = parts(token)
    for change in ({"sub": "admin"}, {"wb_kind": "user"}, {"scope": "graphql admin"}):
        forged = b64(json.dumps({**claims, **change}).encode())
        refused(service, f"{header}.{forged}.{signature}", "bad token signature")


def test_wrong_type(service: TokenService, ring: KeyRing) -> None:
    claims = good_claims(time.time())
    refused(service, signed(ring.active.key, ring.active.kid, claims, typ="JWT"), "not an access")
    assert service.decode(signed(ring.active.key, ring.active.kid, claims, "application/at+jwt"))


def test_missing_or_bad_claims(service: TokenService, ring: KeyRing) -> None:
    claims = good_claims(time.time())
    for name in ("jti", "exp", "sub", "client_id"):
        partial = {k: v for k, v in claims.items() if k != name}
        refused(service, signed(ring.active.key, ring.active.kid, partial), "lacks required")
    odd = {**claims, "wb_kind": "admin"}
    refused(service, signed(ring.active.key, ring.active.kid, odd), "invalid token claims")


@pytest.mark.parametrize(
    "garbage",
    ["", "abc", "a.b.c", "..", "a.b", "é.é.é", "eyJhbGciOiJFUzI1NiJ9..", "x" * 5000 + ".e30.e30"],
)
def test_garbage(service: TokenService, garbage: str) -> None:
    refused(service, garbage, "malformed|algorithm|unknown")


def test_truncated(service: TokenService) -> None:
    token = service.issue_client("edu-bureau", ["graphql"]).token
    for cut in (token[:-10], token.rsplit(".", 1)[0], token.rsplit(".", 1)[0] + ".", token[:20]):
        with pytest.raises(InvalidToken):
            service.decode(cut)


# -- rotation --------------------------------------------------------------------------------
def test_rotation_without_downtime(service: TokenService, ring: KeyRing) -> None:
    old = service.issue_client("edu-bureau", ["graphql"])
    old_kid = ring.active.kid
    ring.rotate()
    assert service.decode(old.token).jti == old.jti  # signed before the rotation, still valid
    new = service.issue_client("edu-bureau", ["graphql"])
    assert parts(new.token)[0]["kid"] == ring.active.kid != old_kid
    ring.retire(old_kid)
    refused(service, old.token, "unknown signing key")
    assert service.decode(new.token).jti == new.jti


def test_a_running_hub_sees_the_cli_rotate_and_retire(keys_dir: Path, clock: Clock) -> None:
    ticks = Clock(0.0)
    hub = TokenService(KeyRing.load(keys_dir), ISSUER, AUDIENCE, 600, 900, monotonic=ticks)
    old = hub.issue_client("edu-bureau", ["graphql"])
    assert hub.decode(old.token)

    cli_ring = KeyRing.load(keys_dir)  # `weibao keys rotate` in another process
    old_kid = cli_ring.active.kid
    cli_ring.rotate()
    minted = TokenService(cli_ring, ISSUER, AUDIENCE, 600, 900).issue_user("u-1", "u", "auditor")
    assert hub.decode(minted.token).sub == "u-1"  # an unknown kid makes it look at once
    assert parts(hub.issue_client("c", ["graphql"]).token)[0]["kid"] == cli_ring.active.kid

    cli_ring.retire(old_kid)
    ticks.now += 0.5
    assert hub.decode(old.token)  # checked at most once per second
    ticks.now += 0.6
    refused(hub, old.token, "unknown signing key")


# -- revocation ------------------------------------------------------------------------------
@pytest.fixture
def revocations(clean: GraphStore) -> Revocations:
    return Revocations(clean, source="test")


async def test_revoked_tokens_fail_here_at_once_and_elsewhere_soon(
    ring: KeyRing, clean: GraphStore, revocations: Revocations
) -> None:
    service = TokenService(ring, ISSUER, AUDIENCE, 600, 900, revocations)
    issued = service.issue_client("edu-bureau", ["graphql"])
    other = service.issue_client("edu-bureau", ["graphql"])
    ticks = Clock(0.0)
    elsewhere = TokenService(
        ring, ISSUER, AUDIENCE, 600, 900, Revocations(clean, refresh_s=3, monotonic=ticks)
    )
    assert await elsewhere.validate(issued.token)

    await revocations.revoke(issued.jti, issued.expires_at)
    with pytest.raises(InvalidToken, match="revoked"):
        await service.validate(issued.token)
    assert await service.validate(other.token)

    ticks.now += 1
    assert await elsewhere.validate(issued.token)  # its set is at most 3 s old
    ticks.now += 2.5
    with pytest.raises(InvalidToken, match="revoked"):
        await elsewhere.validate(issued.token)

    again = Revocations(clean)
    await again.refresh()
    assert await again.is_revoked(issued.jti)
    assert not await again.is_revoked(other.jti)


async def test_validation_makes_no_round_trip_between_refreshes(
    service: TokenService, ring: KeyRing, clean: GraphStore
) -> None:
    counting = CountingStore(clean)
    ticks = Clock(0.0)
    checked = TokenService(
        ring, ISSUER, AUDIENCE, 600, 900, Revocations(counting, refresh_s=3, monotonic=ticks)
    )
    tokens = [service.issue_client(f"c{i}", ["graphql"]).token for i in range(20)]
    for token in tokens * 5:
        await checked.validate(token)
    assert counting.round_trips == 1
    ticks.now += 3
    await checked.validate(tokens[0])
    assert counting.round_trips == 2


class Flaky(CountingStore):
    broken = False

    async def read(self, stmt: Statement, params: Params | None = None) -> list[Row]:
        if self.broken:
            raise GraphUnavailable("down")
        return await super().read(stmt, params)


@pytest.fixture
def flaky(clean: GraphStore) -> Flaky:
    return Flaky(clean)


async def test_revocations_use_a_stale_set_for_a_while_then_fail_closed(flaky: Flaky) -> None:
    ticks = Clock(0.0)
    revocations = Revocations(flaky, refresh_s=3, max_stale_s=60, monotonic=ticks, source="test")
    await revocations.revoke("jti-1", int(time.time()) + 600)
    assert await revocations.is_revoked("jti-1")
    flaky.broken = True
    ticks.now += 30
    assert await revocations.is_revoked("jti-1")  # the graph is down: the set read 30 s ago
    ticks.now += 31
    with pytest.raises(GraphUnavailable):
        await revocations.is_revoked("jti-1")
    flaky.broken = False
    assert await revocations.is_revoked("jti-1")


async def test_expired_revocations_are_pruned(clean: GraphStore) -> None:
    revocations = Revocations(clean, source="test")
    now = int(time.time())
    await revocations.revoke("gone", now - 10)
    await revocations.revoke("live", now + 600)
    assert await revocations.prune() == 1
    assert await revocations.prune() == 0
    fresh = Revocations(clean)
    await fresh.refresh()
    assert await fresh.is_revoked("live")
    assert not await fresh.is_revoked("gone")
