"""Identity and access end to end: a real ``weibao serve`` on the demo data, real HTTP,
real tokens and cookies, and the CLI attached to the running hub."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from hub.auth.keys import KeyRing
from hub.demo.accounts import demo_secret
from tests.support.hub_process import Hub

SEED = 2024
CHILDREN = "{ children(first: 3) { edges { node { name idNumber address } } } }"
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture(scope="module")
def hub(demo_copy: Callable[[], Path]) -> Iterator[Hub]:
    running = Hub(demo_copy(), "serve")
    running.wait_ready()
    yield running
    running.stop()


def post(hub: Hub, query: str, *, token: str | None = None, **headers: str) -> httpx.Response:
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return httpx.post(f"{hub.url}/graphql", json={"query": query}, headers=headers, timeout=30)


def client_token(hub: Hub, client_id: str = "edu-bureau") -> str:
    response = httpx.post(
        f"{hub.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, demo_secret(SEED, client_id)),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    return str(body["access_token"])


def user_token(hub: Hub, username: str) -> str:
    response = httpx.post(
        f"{hub.url}/auth/token",
        json={"username": username, "password": demo_secret(SEED, username)},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_anonymous_gets_no_personal_data(hub: Hub) -> None:
    response = post(hub, CHILDREN)
    body = response.json()
    assert body.get("data") is None or body["data"].get("children") is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not FULL_ID.search(response.text)


def test_a_partner_reads_what_its_agreement_grants_for_a_stated_purpose(hub: Hub) -> None:
    token = client_token(hub)
    granted = post(hub, CHILDREN, token=token, **{"weibao-purpose": "school_attendance"})
    assert granted.status_code == 200, granted.text
    nodes = [e["node"] for e in granted.json()["data"]["children"]["edges"]]
    assert len(nodes) == 3
    assert all(n["name"] and FULL_ID.fullmatch(n["idNumber"]) for n in nodes)
    assert all(n["address"] is None for n in nodes)  # not in the agreement
    # Two purposes in the agreement: without a stated one, no personal data.
    unstated = post(hub, CHILDREN, token=token).json()["data"]["children"]["edges"]
    assert all(e["node"]["name"] is None and e["node"]["idNumber"] is None for e in unstated)
    other = post(hub, CHILDREN, token=token, **{"weibao-purpose": "marketing"})
    assert other.status_code == 403
    # Types outside the agreement are closed.
    visits = post(hub, "{ visits(first: 1) { totalCount } }", token=token).json()
    assert visits["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_reads_land_in_the_audit_trail_for_auditors(hub: Hub) -> None:
    token = client_token(hub)
    post(hub, CHILDREN, token=token, **{"weibao-purpose": "dropout_follow_up"})
    auditor = user_token(hub, "auditor")
    query = (
        '{ accessEvents(last: 5, filter: {principal: {eq: "client:edu-bureau"}}) '
        "{ nodes { seq principal purpose fields records hash prevHash } } }"
    )
    deadline = time.monotonic() + 5
    while True:
        events = post(hub, query, token=auditor).json()["data"]["accessEvents"]["nodes"]
        if any(e["purpose"] == "dropout_follow_up" for e in events) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    event = next(e for e in events if e["purpose"] == "dropout_follow_up")
    assert "Child.idNumber" in event["fields"]
    assert len([r for r in event["records"] if r.startswith("Child:")]) == 3
    assert re.fullmatch(r"[0-9a-f]{64}", event["hash"])
    # The trail is not for other roles.
    admin = user_token(hub, "admin")
    refused = post(hub, query, token=admin).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_cli_attaches_to_the_running_hub(hub: Hub) -> None:
    def weibao(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hub", *args, "--data-dir", str(hub.data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    minted = weibao("token", "--user", "admin", "--port", str(hub.port))
    assert minted.returncode == 0, minted.stderr
    body = post(hub, CHILDREN, token=minted.stdout.strip()).json()
    assert all(FULL_ID.fullmatch(e["node"]["idNumber"]) for e in body["data"]["children"]["edges"])
    verified = weibao("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact" in verified.stdout + verified.stderr


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _forged(hub: Hub) -> dict[str, str]:
    """Tokens that must all be refused, made with the hub's own key where it matters."""
    keys = KeyRing.load(hub.data_dir / "keys")
    active = keys.active
    now = int(time.time())
    claims = {
        "iss": hub.url,
        "aud": "weibao-hub",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "forged",
        "sub": "user-admin",
        "client_id": "weibao-app",
        "scope": "graphql",
        "wb_kind": "user",
    }
    header = {"alg": "ES256", "typ": "at+jwt", "kid": active.kid}

    def sign(payload: dict[str, Any], key: ECKey = active.key, **extra: str) -> str:
        return jwt.encode({**header, **extra}, payload, key)

    good = sign(claims)
    head, body, signature = good.split(".")
    tampered = ".".join([head, _b64({**claims, "sub": "user-auditor"}), signature])
    return {
        "expired": sign({**claims, "iat": now - 900, "nbf": now - 900, "exp": now - 600}),
        "other audience": sign({**claims, "aud": "another-api"}),
        "other issuer": sign({**claims, "iss": "https://evil.example"}),
        "unknown key": sign(claims, ECKey.generate_key("P-256")),
        "unknown kid": sign(claims, kid="no-such-key"),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'at+jwt', 'kid': active.kid})}.{body}.",
        "tampered": tampered,
        "garbage": "not.a.token",
    }


def test_bad_tokens_are_refused_with_401(hub: Hub) -> None:
    for what, token in _forged(hub).items():
        response = post(hub, CHILDREN, token=token)
        assert response.status_code == 401, (what, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer"), what
        assert "errors" in response.json()
    # The control: the same claims, well signed, pass.
    keys = KeyRing.load(hub.data_dir / "keys")
    assert (
        post(hub, "{ towns(first: 1) { totalCount } }", token=user_token(hub, "admin")).status_code
        == 200
    )
    assert keys.active.kid


def test_a_person_logs_in_with_a_cookie_and_csrf(hub: Hub) -> None:
    with httpx.Client(base_url=hub.url, timeout=30) as browser:
        username = "supervisor-370481001"
        login = browser.post(
            "/auth/login", json={"username": username, "password": demo_secret(SEED, username)}
        )
        assert login.status_code == 200, login.text
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        csrf = login.json()["csrfToken"]
        query = {"query": "{ children(first: 50) { nodes { villageCode idNumber } } }"}
        refused = browser.post("/graphql", json=query)
        assert refused.status_code == 403
        answered = browser.post("/graphql", json=query, headers={"x-csrf-token": csrf})
        assert answered.status_code == 200, answered.text
        nodes = answered.json()["data"]["children"]["nodes"]
        assert nodes
        assert {n["villageCode"][:9] for n in nodes} == {"370481001"}
        assert all(re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", n["idNumber"]) for n in nodes)
        bad = browser.post(
            "/auth/login",
            json={"username": username, "password": "wrong password!"},
            headers={"x-csrf-token": csrf},
        )
        assert bad.status_code == 401
        # Signing out voids the session everywhere, even a copy of its cookie.
        copy = dict(browser.cookies)
        assert browser.post("/logout", headers={"x-csrf-token": csrf}).status_code == 204
        with httpx.Client(base_url=hub.url, timeout=30, cookies=copy) as thief:
            stolen = thief.post("/graphql", json=query, headers={"x-csrf-token": csrf})
            assert stolen.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
