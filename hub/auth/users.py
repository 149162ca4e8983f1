"""People's accounts: the :class:`UserRecord` and the :class:`UserDirectory` over the graph.

The directory is the only code that reads or writes User nodes. Look-ups by
id are cached for a few seconds because the authentication backend asks for
the user of every cookie or bearer request; a change made elsewhere (``weibao
users disable`` in another process) therefore takes effect within
``cache_ttl_s``. Changes made through the directory itself drop its cached
copy at once. Look-ups by user name (the login) always read the graph, so
the lockout state is current.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import GraphStore, Statement
from graph.queries import users as q
from hub.auth import totp
from hub.auth.errors import AuthError
from hub.auth.passwords import PASSWORDS, Passwords, check_policy, generate_password
from schema.access import PERSON_ROLES, Role

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
REGION_RE = re.compile(r"\d{2,12}")
PURPOSE_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_DISPLAY_NAME = 100
# Beyond this many cached users the expired ones are dropped (then all, if needed).
_CACHE_LIMIT = 10_000


class AccountError(AuthError):
    """An account command with bad input (the message says what is wrong)."""

    status_code = 400


class UnknownUser(AccountError):
    """No account has that user name (said to administrators only, never at login)."""

    status_code = 404


class UserExists(AccountError):
    """An account with that user name exists already."""

    status_code = 409


@dataclass(frozen=True)
class UserRecord:
    """A person's account as the graph holds it. Instants are epoch milliseconds."""

    id: str
    username: str
    role: Role
    display_name: str
    regions: tuple[str, ...]
    purposes: tuple[str, ...] = ()
    person_id: str | None = None
    disabled: bool = False
    password_hash: str | None = field(default=None, repr=False)
    totp_secret: str | None = field(default=None, repr=False)
    failed_logins: int = 0
    locked_until: int | None = None
    created_at: int | None = None
    password_changed_at: int | None = None

    @property
    def totp_enrolled(self) -> bool:
        return bool(self.totp_secret)

    def locked(self, now_ms: int) -> bool:
        """Whether logins are refused at ``now_ms`` (backoff or lockout)."""
        return self.locked_until is not None and self.locked_until > now_ms

    def accepts_session(self, issued_at_ms: int) -> bool:
        """Whether a session (or user token) issued at ``issued_at_ms`` is still good.

        A disabled account accepts none; a password reset ends every session
        issued before it (``passwordChangedAt``).
        """
        if self.disabled:
            return False
        return self.password_changed_at is None or issued_at_ms >= self.password_changed_at

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> UserRecord:
        def opt_int(key: str) -> int | None:
            value = node.get(key)
            return None if value is None else int(value)

        return cls(
            id=str(node["id"]),
            username=str(node["username"]),
            role=Role(str(node["role"])),
            display_name=str(node.get("displayName") or node["username"]),
            regions=tuple(str(c) for c in node.get("regionCodes") or ()),
            purposes=tuple(str(p) for p in node.get("purposes") or ()),
            person_id=None if node.get("personId") is None else str(node["personId"]),
            disabled=bool(node.get("disabled", False)),
            password_hash=node.get("passwordHash") or None,
            totp_secret=node.get("totpSecret") or None,
            failed_logins=int(node.get("failedLogins") or 0),
            locked_until=opt_int("lockedUntil"),
            created_at=opt_int("createdAt"),
            password_changed_at=opt_int("passwordChangedAt"),
        )


@dataclass(frozen=True)
class LoginState:
    """An account's consecutive failed logins and until when it refuses attempts."""

    failed_logins: int
    locked_until: int | None


def user_node_id(username: str) -> str:
    """The node id of an account (as the demo accounts have it)."""
    return f"user-{username}"


class UserDirectory:
    """Reads and changes people's accounts.

    ``store`` is the graph, or a function giving it: the app builds its routes
    before its lifespan opens the graph, so it passes its ``current_store``.
    ``source``, when given, is written on created accounts as their
    provenance (the tests pass ``"test"`` so their clean-up finds them).
    """

    def __init__(
        self,
        store: GraphStore | Callable[[], GraphStore],
        *,
        passwords: Passwords = PASSWORDS,
        clock: Callable[[], float] = time.time,
        cache_ttl_s: float = 5.0,
        source: str | None = None,
    ) -> None:
        if isinstance(store, GraphStore):
            graph = store
            self._get_store: Callable[[], GraphStore] = lambda: graph
        else:
            self._get_store = store
        self.passwords = passwords
        self._clock = clock
        self._ttl = cache_ttl_s
        self._source = source
        self._cache: dict[str, tuple[float, UserRecord]] = {}

    @property
    def store(self) -> GraphStore:
        """The graph the accounts live in."""
        return self._get_store()

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    # -- look-ups -------------------------------------------------------------------
    async def get_by_username(self, username: str) -> UserRecord | None:
        """The account named ``username``, read from the graph (never cached)."""
        rows = await self.store.read(q.USER_BY_USERNAME, {"username": username})
        return UserRecord.from_node(rows[0]["user"]) if rows else None

    async def get_by_id(self, user_id: str) -> UserRecord | None:
        """The account with node id ``user_id``; at most ``cache_ttl_s`` old."""
        now = self._clock()
        hit = self._cache.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        rows = await self.store.read(q.USER_BY_ID, {"id": user_id})
        if not rows:
            self._cache.pop(user_id, None)
            return None
        record = UserRecord.from_node(rows[0]["user"])
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
        self._cache[user_id] = (now + self._ttl, record)
        return record

    async def list(self) -> list[UserRecord]:
        """Every account, by user name."""
        rows = await self.store.read(q.USERS_ALL)
        return [UserRecord.from_node(row["user"]) for row in rows]

    def forget(self, user_id: str) -> None:
        """Drop the cached copy of an account (after changing it)."""
        self._cache.pop(user_id, None)

    # -- administration -------------------------------------------------------------
    async def add(
        self,
        username: str,
        role: str,
        display_name: str,
        regions: Iterable[str],
        person_id: str | None = None,
        purposes: Iterable[str] = (),
    ) -> tuple[UserRecord, str]:
        """Create an account with a generated password; returns it with the password."""
        username = _valid_username(username)
        role_ = _valid_role(role)
        name = _valid_display_name(display_name)
        codes = _valid_regions(regions)
        wanted = _valid_purposes(purposes)
        person = None if person_id is None else person_id.strip() or None
        if person_id is not None and person is None:
            raise AccountError("--person-id must not be empty")
        if await self.get_by_username(username) is not None:
            raise UserExists(f"user {username!r} exists already")
        password = generate_password()
        password_hash = await asyncio.to_thread(self.passwords.hash, password)
        now = self.now_ms()
        props: dict[str, Any] = {
            "username": username,
            "role": role_.value,
            "displayName": name,
            "regionCodes": list(codes),
            "purposes": list(wanted),
            "disabled": False,
            "passwordHash": password_hash,
            "failedLogins": 0,
            "createdAt": now,
            "passwordChangedAt": now,
        }
        if person is not None:
            props["personId"] = person
        if self._source is not None:
            props["source"] = self._source
        node_id = user_node_id(username)
        _, summary = await self.store.write(q.CREATE_USER, {"id": node_id, "props": props})
        if summary.nodes_created != 1:
            raise UserExists(f"user {username!r} exists already")
        return UserRecord.from_node({"id": node_id, **props}), password

    async def disable(self, username: str) -> None:
        """Refuse the account's logins, sessions and tokens from now on."""
        await self._change(q.SET_DISABLED, username, {"disabled": True})

    async def enable(self, username: str) -> None:
        """Let a disabled account sign in again."""
        await self._change(q.SET_DISABLED, username, {"disabled": False})

    async def reset_password(self, username: str, new: str | None = None) -> str:
        """Set a new password (generated unless given); ends older sessions, lifts a lockout."""
        if new is not None:
            check_policy(new, username)
        password = new if new is not None else generate_password()
        password_hash = await asyncio.to_thread(self.passwords.hash, password)
        await self._change(
            q.SET_PASSWORD, username, {"hash": password_hash, "changedAt": self.now_ms()}
        )
        return password

    async def enrol_totp(self, username: str) -> tuple[str, str]:
        """A new TOTP secret for the account (replacing any); returns it and its URI."""
        secret = totp.new_secret()
        await self._change(q.SET_TOTP_SECRET, username, {"secret": secret})
        return secret, totp.provisioning_uri(secret, username)

    # -- login state ----------------------------------------------------------------
    async def record_failure(
        self, username: str, waits_ms: Sequence[int], now_ms: int | None = None
    ) -> LoginState | None:
        """Count a failed login; ``waits_ms[n]`` is the wait after n failures in a row.

        The last entry of ``waits_ms`` holds for any larger n. Returns the new
        state, or None when there is no such account.
        """
        rows, _ = await self.store.write(
            q.RECORD_FAILURE,
            {
                "username": username,
                "waitsMs": [int(w) for w in waits_ms] or [0],
                "now": self.now_ms() if now_ms is None else now_ms,
            },
        )
        if not rows:
            return None
        self.forget(str(rows[0]["id"]))
        locked = rows[0]["lockedUntil"]
        return LoginState(int(rows[0]["failedLogins"]), None if locked is None else int(locked))

    async def record_success(self, username: str) -> None:
        """Reset the failure count and any lock after a good login."""
        rows, _ = await self.store.write(q.RECORD_SUCCESS, {"username": username})
        for row in rows:
            self.forget(str(row["id"]))

    async def upgrade_hash(self, record: UserRecord, password: str) -> None:
        """Store a hash with the current parameters of a password just verified."""
        new_hash = await asyncio.to_thread(self.passwords.hash, password)
        await self.store.write(
            q.REHASH_PASSWORD, {"id": record.id, "old": record.password_hash, "hash": new_hash}
        )
        self.forget(record.id)

    async def _change(self, stmt: Statement, username: str, params: Mapping[str, Any]) -> None:
        rows, _ = await self.store.write(stmt, {"username": username, **params})
        if not rows:
            raise UnknownUser(f"no user {username!r}")
        self.forget(str(rows[0]["id"]))


def _valid_username(username: str) -> str:
    name = username.strip()
    if not USERNAME_RE.fullmatch(name):
        raise AccountError(
            f"user name {username!r}: use 2–64 characters of a–z, 0–9, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _valid_role(role: str) -> Role:
    allowed = [r.value for r in PERSON_ROLES]
    if role not in allowed:
        raise AccountError(f"role {role!r}: must be one of {', '.join(allowed)}")
    return Role(role)


def _valid_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"the display name must have 1–{MAX_DISPLAY_NAME} characters")
    return name


def _valid_regions(regions: Iterable[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip() for c in regions))
    if not codes:
        raise AccountError("give at least one region (a division code, e.g. 370481)")
    bad = [c for c in codes if not REGION_RE.fullmatch(c)]
    if bad:
        raise AccountError(f"region {bad[0]!r}: a division code has 2–12 digits")
    return codes


def _valid_purposes(purposes: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(p.strip() for p in purposes))
    bad = [p for p in wanted if not PURPOSE_RE.fullmatch(p)]
    if bad:
        raise AccountError(f"purpose {bad[0]!r}: use lower-case words joined by '_'")
    return wanted
