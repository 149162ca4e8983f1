"""The account directory on the real graph: creation, look-ups, the cache, changes, login state."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from graph import GraphStore
from graph.queries import users as q
from hub.auth.passwords import Passwords, WeakPassword
from hub.auth.users import AccountError, UnknownUser, UserDirectory, UserExists
from schema.access import Role

CHEAP = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
T0 = 1_790_000_000.0


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


async def test_add_creates_the_account_with_a_generated_password(
    users: UserDirectory, clean: GraphStore
) -> None:
    record, password = await users.add(
        "t-director", "director", " 王芳 ", ["370481001001"], person_id="director-1"
    )
    assert record.id == "user-t-director"
    assert (record.role, record.display_name, record.regions) == (
        Role.DIRECTOR,
        "王芳",
        ("370481001001",),
    )
    assert record.created_at == record.password_changed_at == int(T0 * 1000)
    stored = await users.get_by_username("t-director")
    assert stored == await users.get_by_id("user-t-director")
    assert stored is not None
    assert stored.person_id == "director-1"
    assert stored.failed_logins == 0
    assert not stored.disabled
    assert not stored.totp_enrolled
    assert stored.password_hash
    assert stored.password_hash.startswith("$argon2id$")
    assert CHEAP.verify(stored.password_hash, password).ok
    assert "argon2" not in repr(stored)  # secrets stay out of logs
    rows = await clean.read(q.USER_BY_ID, {"id": "user-t-director"})
    assert rows[0]["user"]["regionCodes"] == ["370481001001"]


async def test_add_refuses_duplicates_and_bad_input(users: UserDirectory) -> None:
    await users.add("t-admin", "center_admin", "管理员", ["370481"])
    with pytest.raises(UserExists, match="exists already"):
        await users.add("t-admin", "auditor", "审计员", ["370481"])
    bad = [
        (("T Admin", "auditor", "x", ["3704"]), "user name"),
        (("t-x", "partner", "x", ["3704"]), "must be one of center_admin"),
        (("t-x", "boss", "x", ["3704"]), "role 'boss'"),
        (("t-x", "auditor", "x", []), "at least one region"),
        (("t-x", "auditor", "x", ["3"]), "2–12 digits"),
        (("t-x", "auditor", "x", ["3704810010011"]), "2–12 digits"),
        (("t-x", "auditor", "x", ["37048a"]), "2–12 digits"),
        (("t-x", "auditor", "  ", ["3704"]), "display name"),
    ]
    for args, message in bad:
        with pytest.raises(AccountError, match=message):
            await users.add(*args)
    assert await users.get_by_username("t-x") is None


async def test_get_by_id_is_cached_for_at_most_the_ttl(
    users: UserDirectory, clean: GraphStore, clock: Clock
) -> None:
    await users.add("t-cached", "station_staff", "工作站", ["370481001"])
    first = await users.get_by_id("user-t-cached")
    assert first is not None
    assert not first.disabled
    # Another process (here another directory) disables the account.
    await UserDirectory(clean, passwords=CHEAP, clock=clock).disable("t-cached")
    clock.now += 4.9
    cached = await users.get_by_id("user-t-cached")
    assert cached is not None
    assert not cached.disabled
    clock.now += 0.2
    fresh = await users.get_by_id("user-t-cached")
    assert fresh is not None
    assert fresh.disabled
    # Changes through the directory itself show at once.
    await users.enable("t-cached")
    again = await users.get_by_id("user-t-cached")
    assert again is not None
    assert not again.disabled
    assert await users.get_by_id("user-nobody") is None


async def test_changes_of_unknown_users_are_refused(users: UserDirectory) -> None:
    for change in (
        users.disable("t-nobody"),
        users.enable("t-nobody"),
        users.reset_password("t-nobody"),
        users.enrol_totp("t-nobody"),
    ):
        with pytest.raises(UnknownUser, match="no user 't-nobody'"):
            await change


async def test_reset_password_ends_older_sessions_and_lifts_a_lockout(
    users: UserDirectory, clock: Clock
) -> None:
    _, old = await users.add("t-reset", "supervisor", "督导员", ["370481001"])
    await users.record_failure("t-reset", [0, 0, 1000, 900_000], int(T0 * 1000))
    await users.record_failure("t-reset", [0, 0, 1000, 900_000], int(T0 * 1000))
    locked = await users.get_by_username("t-reset")
    assert locked is not None
    assert locked.locked(int(T0 * 1000))
    session_iat = int(T0 * 1000) + 10
    assert locked.accepts_session(session_iat)

    clock.now += 60
    new = await users.reset_password("t-reset")
    assert new != old
    record = await users.get_by_username("t-reset")
    assert record is not None
    assert record.password_hash
    assert record.password_changed_at == int(clock.now * 1000)
    assert record.failed_logins == 0
    assert record.locked_until is None
    assert not record.accepts_session(session_iat)
    assert record.accepts_session(int(clock.now * 1000))
    assert CHEAP.verify(record.password_hash, new).ok
    assert not CHEAP.verify(record.password_hash, old).ok

    assert await users.reset_password("t-reset", "a chosen Passphrase") == "a chosen Passphrase"
    with pytest.raises(WeakPassword):
        await users.reset_password("t-reset", "short")


async def test_a_disabled_account_accepts_no_session(users: UserDirectory) -> None:
    await users.add("t-off", "auditor", "审计员", ["370481"])
    await users.disable("t-off")
    record = await users.get_by_username("t-off")
    assert record is not None
    assert record.disabled
    assert not record.accepts_session(int(T0 * 1000) + 1)


async def test_enrol_totp_stores_a_new_secret(users: UserDirectory) -> None:
    await users.add("t-totp", "commissioner", "委员", ["370481"])
    secret, uri = await users.enrol_totp("t-totp")
    assert secret in uri
    assert "t-totp" in uri
    record = await users.get_by_username("t-totp")
    assert record is not None
    assert record.totp_secret == secret
    assert record.totp_enrolled
    again, _ = await users.enrol_totp("t-totp")
    assert again != secret
    record = await users.get_by_username("t-totp")
    assert record is not None
    assert record.totp_secret == again


async def test_failures_are_counted_in_the_graph_and_reset_by_success(
    users: UserDirectory,
) -> None:
    await users.add("t-fail", "director", "儿童主任", ["370481001001"])
    waits = [0, 0, 1000, 2000, 60_000]
    now = int(T0 * 1000)
    states = [await users.record_failure("t-fail", waits, now + i) for i in range(6)]
    assert [(s.failed_logins, s.locked_until) for s in states if s] == [
        (1, None),
        (2, now + 1 + 1000),
        (3, now + 2 + 2000),
        (4, now + 3 + 60_000),
        (5, now + 4 + 60_000),  # past the table: its last entry holds
        (6, now + 5 + 60_000),
    ]
    record = await users.get_by_username("t-fail")
    assert record is not None
    assert (record.failed_logins, record.locked_until) == (6, now + 5 + 60_000)
    await users.record_success("t-fail")
    record = await users.get_by_username("t-fail")
    assert record is not None
    assert (record.failed_logins, record.locked_until) == (0, None)
    assert await users.record_failure("t-nobody", waits, now) is None


async def test_list_gives_every_account_by_name(users: UserDirectory) -> None:
    await users.add("t-list-b", "auditor", "乙", ["370481"])
    await users.add("t-list-a", "auditor", "甲", ["370481"], purposes=["audit"])
    names = [r.username for r in await users.list() if r.username.startswith("t-list-")]
    assert names == ["t-list-a", "t-list-b"]
    listed = {r.username: r for r in await users.list()}
    assert listed["t-list-a"].purposes == ("audit",)


async def test_the_graph_may_be_given_once_it_is_open(clean: GraphStore, clock: Clock) -> None:
    opened: list[GraphStore] = []

    def current_store() -> GraphStore:
        if not opened:
            raise RuntimeError("the graph is not open")
        return opened[0]

    late = UserDirectory(current_store, passwords=CHEAP, clock=clock, source="test")
    with pytest.raises(RuntimeError, match="not open"):
        await late.get_by_id("user-t-late")
    opened.append(clean)
    await late.add("t-late", "auditor", "审计员", ["370481"])
    record = await late.get_by_id("user-t-late")
    assert record is not None
    assert record.username == "t-late"
