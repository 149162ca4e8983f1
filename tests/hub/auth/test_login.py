"""The login policy on the real graph, and its routes over ASGI with real cookie sessions."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pyotp
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.middleware import Middleware

from graph import GraphStore
from hub.auth.csrf import CsrfMiddleware
from hub.auth.errors import Forbidden, InvalidCredentials, LoginThrottled
from hub.auth.login import (
    INVALID,
    SESSION_COOKIE,
    Authenticator,
    LoginPolicy,
    login_routes,
    safe_next,
    session_middleware,
    session_secret,
)
from hub.auth.passwords import PASSWORDS, Passwords
from hub.auth.users import UserDirectory, UserRecord
from hub.settings import Settings

CHEAP = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
T0 = 1_790_000_020.0  # 2026-09-21 22:13:40 UTC+8, 10 s into a TOTP step
IP = "203.0.113.7"
POLICY = LoginPolicy(
    max_failed_logins=4,
    lockout_s=600,
    backoff_base_s=1.0,
    require_totp=True,
    totp_roles=frozenset({"center_admin", "auditor"}),
    ip_free_failures=50,
)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(clean: GraphStore, clock: Clock) -> UserDirectory:
    return UserDirectory(clean, passwords=CHEAP, clock=clock, source="test")


@pytest.fixture
def auth(users: UserDirectory, clock: Clock) -> Authenticator:
    return Authenticator(users, POLICY, clock=clock)


async def director(users: UserDirectory, name: str = "t-director") -> str:
    _, password = await users.add(name, "director", "儿童主任", ["370481001001"])
    return password


# -- the policy -------------------------------------------------------------------------


async def test_a_good_login_returns_the_account(auth: Authenticator, users: UserDirectory) -> None:
    password = await director(users)
    record = await auth.authenticate(" t-director ", password, None, IP)
    assert record.username == "t-director"
    assert record.id == "user-t-director"


async def test_every_failure_says_the_same(auth: Authenticator, users: UserDirectory) -> None:
    password = await director(users, "t-one")
    await director(users, "t-two")
    await users.disable("t-two")
    _, admin_password = await users.add("t-admin", "center_admin", "管理员", ["370481"])
    await users.enrol_totp("t-admin")
    attempts = [
        ("t-one", "wrong password 1", None),  # bad password
        ("t-nobody", password, None),  # unknown user
        ("t-two", password, None),  # disabled (another's password: also wrong)
        ("t-admin", admin_password, "000000"),  # bad one-time code
        ("", "", None),
    ]
    for username, secret, code in attempts:
        with pytest.raises(InvalidCredentials) as refused:
            await auth.authenticate(username, secret, code, IP)
        assert refused.value.message == INVALID


async def test_a_disabled_account_is_refused_with_its_right_password(
    auth: Authenticator, users: UserDirectory
) -> None:
    password = await director(users)
    await users.disable("t-director")
    with pytest.raises(InvalidCredentials) as refused:
        await auth.authenticate("t-director", password, None, IP)
    assert refused.value.message == INVALID


async def test_backoff_after_the_second_failure_doubles(
    auth: Authenticator, users: UserDirectory, clock: Clock
) -> None:
    password = await director(users)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate("t-director", "wrong password 1", None, IP)
    with pytest.raises(LoginThrottled) as waited:  # even the right password waits
        await auth.authenticate("t-director", password, None, IP)
    assert waited.value.retry_after == 1
    assert waited.value.status_code == 429
    assert "try again in 1 s" in waited.value.message
    clock.now += 1
    with pytest.raises(InvalidCredentials):
        await auth.authenticate("t-director", "wrong password 1", None, IP)
    with pytest.raises(LoginThrottled) as waited:
        await auth.authenticate("t-director", password, None, IP)
    assert waited.value.retry_after == 2
    clock.now += 2
    await auth.authenticate("t-director", password, None, IP)
    record = await users.get_by_username("t-director")
    assert record is not None
    assert (record.failed_logins, record.locked_until) == (0, None)


async def test_lockout_after_max_failures_until_it_ends(
    auth: Authenticator, users: UserDirectory, clock: Clock
) -> None:
    password = await director(users)
    for _ in range(POLICY.max_failed_logins):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate("t-director", "wrong password 1", None, IP)
        clock.now += 10  # past any backoff
    messages = set()
    for attempt in (password, "wrong password 1"):
        with pytest.raises(LoginThrottled) as locked:
            await auth.authenticate("t-director", attempt, None, IP)
        messages.add(locked.value.message)
        assert locked.value.retry_after == 600 - 10
    # The same answer whether the password was right: it is not even checked.
    (message,) = messages
    assert "locked until 2026-09-21 22:24 (UTC+8)" in message
    record = await users.get_by_username("t-director")
    assert record is not None
    assert record.failed_logins == POLICY.max_failed_logins
    clock.now += 590
    assert (await auth.authenticate("t-director", password, None, IP)).username == "t-director"


async def test_unknown_names_are_throttled_like_accounts(auth: Authenticator) -> None:
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate("t-ghost", "wrong password 1", None, IP)
    with pytest.raises(LoginThrottled) as waited:
        await auth.authenticate("t-ghost", "wrong password 1", None, IP)
    assert waited.value.retry_after == 1


async def test_one_address_failing_across_names_is_slowed(
    users: UserDirectory, clock: Clock
) -> None:
    auth = Authenticator(users, LoginPolicy(ip_free_failures=3), clock=clock)
    password = await director(users)
    for n in range(3):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate(f"t-guess-{n}", "wrong password 1", None, IP)
    with pytest.raises(LoginThrottled) as waited:
        await auth.authenticate("t-director", password, None, IP)
    assert waited.value.retry_after == 1
    # Other addresses are not affected.
    await auth.authenticate("t-director", password, None, "198.51.100.1")
    clock.now += 1
    await auth.authenticate("t-director", password, None, IP)


async def test_an_enrolled_account_needs_a_fresh_valid_code(
    auth: Authenticator, users: UserDirectory, clock: Clock
) -> None:
    password = await director(users)
    secret, _ = await users.enrol_totp("t-director")
    code = pyotp.TOTP(secret).at(int(clock.now))
    for missing_or_wrong in (None, "123456" if code != "123456" else "654321"):
        with pytest.raises(InvalidCredentials):
            await auth.authenticate("t-director", password, missing_or_wrong, IP)
    clock.now += 1  # the backoff after two failures
    await auth.authenticate("t-director", password, code, IP)
    with pytest.raises(InvalidCredentials):  # replayed
        await auth.authenticate("t-director", password, code, IP)
    record = await users.get_by_username("t-director")
    assert record is not None
    assert record.failed_logins == 1


async def test_a_totp_role_without_a_second_factor_is_told_to_enrol_one(
    users: UserDirectory, clock: Clock
) -> None:
    _, password = await users.add("t-admin", "center_admin", "管理员", ["370481"])
    auth = Authenticator(users, POLICY, clock=clock)
    with pytest.raises(Forbidden, match="weibao users totp t-admin"):
        await auth.authenticate("t-admin", password, None, IP)
    with pytest.raises(InvalidCredentials):  # a wrong password learns nothing of it
        await auth.authenticate("t-admin", "wrong password 1", None, IP)
    relaxed = LoginPolicy(require_totp=False, totp_roles=POLICY.totp_roles)
    assert await Authenticator(users, relaxed, clock=clock).authenticate(
        "t-admin", password, None, IP
    )
    # A role outside totp_roles may sign in without one.
    other = await director(users)
    await auth.authenticate("t-director", other, None, IP)


async def test_a_hash_with_old_parameters_is_upgraded_at_login(
    clean: GraphStore, users: UserDirectory, clock: Clock
) -> None:
    password = await director(users)
    before = await users.get_by_username("t-director")
    assert before is not None
    assert before.password_hash
    assert "m=1024" in before.password_hash
    current = UserDirectory(clean, passwords=PASSWORDS, clock=clock)
    await Authenticator(current, POLICY, clock=clock).authenticate("t-director", password, None, IP)
    after = await users.get_by_username("t-director")
    assert after is not None
    assert after.password_hash
    assert "m=65536" in after.password_hash
    assert PASSWORDS.verify(after.password_hash, password).ok
    # The same password: sessions stay valid.
    assert after.password_changed_at == before.password_changed_at


def test_the_policy_caps_the_backoff() -> None:
    policy = LoginPolicy(max_failed_logins=20, lockout_s=900, backoff_base_s=1.0)
    assert [policy.wait_after(n) for n in range(6)] == [0, 0, 1, 2, 4, 8]
    assert policy.wait_after(15) == 300
    assert policy.wait_after(20) == 900
    assert policy.waits_ms()[:4] == [0, 0, 1000, 2000]


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/graphql?x=1", "/graphql?x=1"),
        ("/", "/"),
        ("//evil.example", None),
        ("/\\evil.example", None),
        ("https://evil.example/", None),
        ("javascript:alert(1)", None),
        ("/ok\r\nSet-Cookie: x", None),
        ("relative", None),
        ("", None),
        (None, None),
    ],
)
def test_next_must_be_a_local_path(target: str | None, safe: str | None) -> None:
    assert safe_next(target) == safe


def test_the_dev_session_secret_is_generated_once_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = session_secret(settings)
    assert len(first) == 128
    key = tmp_path / "keys" / "session.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert session_secret(settings) == first
    configured = Settings(data_dir=tmp_path, auth={"session_secret": "c" * 40})
    assert session_secret(configured) == "c" * 40


# -- the routes -------------------------------------------------------------------------

Issued = list[str]


def make_app(settings: Settings, auth: Authenticator, issued: Issued) -> Starlette:
    def issue(record: UserRecord) -> tuple[str, int]:
        issued.append(record.username)
        return f"token-of-{record.username}", 900

    routes = login_routes(auth, auth.directory, issue, secure_cookies=not settings.is_dev)
    return Starlette(
        routes=routes, middleware=[session_middleware(settings), Middleware(CsrfMiddleware)]
    )


ClientFor = Callable[[bool], httpx.AsyncClient]


@pytest.fixture
async def client_for(
    auth: Authenticator, tmp_path: Path
) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """``client_for(secure)``: a client of the login routes, over https when secure."""
    opened: list[httpx.AsyncClient] = []

    def make(secure: bool = False, issued: Issued | None = None) -> httpx.AsyncClient:
        if secure:
            settings = Settings(
                environment="production", data_dir=tmp_path, auth={"session_secret": "s" * 40}
            )
        else:
            settings = Settings(data_dir=tmp_path)
        app = make_app(settings, auth, [] if issued is None else issued)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(IP, 40000)),
            base_url="https://hub.test" if secure else "http://hub.test",
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def cookie_flags(response: httpx.Response) -> set[str]:
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)]
    return {part.strip().lower() for part in cookie.split(";")[1:]}


async def test_the_login_page_is_an_accessible_form_with_a_csrf_token(
    client_for: Callable[..., httpx.AsyncClient],
) -> None:
    client = client_for()
    page = await client.get("/login", params={"next": "/graphql"})
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    for field in ("username", "password", "totp"):
        assert f'<label for="{field}">' in page.text
        assert f'id="{field}"' in page.text
    assert 'name="next" value="/graphql"' in page.text
    assert len(csrf_of(page)) >= 40
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    flags = cookie_flags(page)
    assert {"httponly", "samesite=lax"} <= flags
    assert "secure" not in flags


async def test_a_form_login_starts_a_new_secure_session_and_redirects(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for(True)
    page = await client.get("/login")
    before = client.cookies[SESSION_COOKIE]
    pre_login_token = csrf_of(page)
    response = await client.post(
        "/login",
        data={
            "csrf_token": pre_login_token,
            "username": "t-director",
            "password": password,
            "next": "/portal/page?x=1",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/page?x=1"
    assert {"httponly", "samesite=lax", "secure"} <= cookie_flags(response)
    assert client.cookies[SESSION_COOKIE] != before
    session = (await client.get("/auth/session")).json()
    assert session["user"] == {
        "username": "t-director",
        "role": "director",
        "displayName": "儿童主任",
    }
    assert session["csrfToken"] != pre_login_token  # rotated with the session


async def test_a_failed_form_login_shows_one_message(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    await director(users)
    client = client_for()
    bodies = []
    for username in ("t-director", "t-nobody"):
        token = csrf_of(await client.get("/login"))
        response = await client.post(
            "/login",
            data={"csrf_token": token, "username": username, "password": "wrong password 1"},
        )
        assert response.status_code == 401
        assert html.escape(INVALID) in response.text
        assert 'role="alert"' in response.text
        assert f'value="{username}"' in response.text
        bodies.append(response.text.replace(username, "NAME").replace(csrf_of(response), "T"))
    assert bodies[0] == bodies[1]
    assert (await client.get("/auth/session")).json()["user"] is None


async def test_the_login_form_needs_its_csrf_token(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    await client.get("/login")
    for token in (None, "forged-token"):
        data = {"username": "t-director", "password": password}
        if token:
            data["csrf_token"] = token
        response = await client.post("/login", data=data)
        assert response.status_code == 403
        assert "form expired" in response.text
    assert (await client.get("/auth/session")).json()["user"] is None


async def test_open_redirects_are_refused(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    token = csrf_of(await client.get("/login", params={"next": "//evil.example"}))
    response = await client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": "t-director",
            "password": password,
            "next": "//evil.example",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_json_login_answers_the_user_and_a_csrf_token(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    response = await client.post(
        "/auth/login", json={"username": "t-director", "password": password}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "t-director"
    assert body["csrfToken"] == (await client.get("/auth/session")).json()["csrfToken"]
    assert {"httponly", "samesite=lax"} <= cookie_flags(response)
    # Text or form bodies are refused: a cross-site page could send those.
    anonymous = client_for()
    body_text = b'{"username": "t-director", "password": "x"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        refused = await anonymous.post(
            "/auth/login", content=body_text, headers={"content-type": content_type}
        )
        assert refused.status_code == 400
        assert "application/json" in refused.json()["errors"][0]["message"]


async def test_json_failures_throttle_with_retry_after(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    for _ in range(2):
        failed = await client.post(
            "/auth/login", json={"username": "t-director", "password": "wrong password 1"}
        )
        assert failed.status_code == 401
        assert failed.json()["errors"][0] == {
            "message": INVALID,
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    throttled = await client.post(
        "/auth/login", json={"username": "t-director", "password": password}
    )
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "1"
    assert throttled.json()["errors"][0]["extensions"]["code"] == "THROTTLED"


async def test_the_token_endpoint_gives_program_apps_a_bearer_token(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    issued: Issued = []
    client = client_for(False, issued)
    response = await client.post(
        "/auth/token", json={"username": "t-director", "password": password}
    )
    assert response.status_code == 200
    assert response.json() == {
        "access_token": "token-of-t-director",
        "token_type": "Bearer",
        "expires_in": 900,
    }
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
    assert issued == ["t-director"]
    wrong = await client.post(
        "/auth/token", json={"username": "t-director", "password": "wrong password 1"}
    )
    assert wrong.status_code == 401
    assert issued == ["t-director"]


async def test_logout_needs_the_csrf_token_and_ends_the_session(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    login = await client.post("/auth/login", json={"username": "t-director", "password": password})
    token = login.json()["csrfToken"]
    refused = await client.post("/logout", headers={"accept": "application/json"})
    assert refused.status_code == 403
    assert (await client.get("/auth/session")).json()["user"] is not None
    done = await client.post("/logout", headers={"x-csrf-token": token})
    assert done.status_code == 204
    assert (await client.get("/auth/session")).json()["user"] is None


async def test_a_form_logout_redirects_to_the_login_page(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory
) -> None:
    password = await director(users)
    client = client_for()
    token = csrf_of(await client.get("/login"))
    await client.post(
        "/login", data={"csrf_token": token, "username": "t-director", "password": password}
    )
    session = (await client.get("/auth/session")).json()
    response = await client.post("/logout", data={"csrf_token": session["csrfToken"]})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert (await client.get("/auth/session")).json()["user"] is None


async def test_a_password_reset_or_disabling_ends_sessions(
    client_for: Callable[..., httpx.AsyncClient], users: UserDirectory, clock: Clock
) -> None:
    password = await director(users)
    client = client_for()
    await client.post("/auth/login", json={"username": "t-director", "password": password})
    assert (await client.get("/auth/session")).json()["user"] is not None
    clock.now += 1
    await users.reset_password("t-director")
    assert (await client.get("/auth/session")).json()["user"] is None

    other = await director(users, "t-other")
    await client.post("/auth/login", json={"username": "t-other", "password": other})
    assert (await client.get("/auth/session")).json()["user"] is not None
    await users.disable("t-other")
    assert (await client.get("/auth/session")).json()["user"] is None
