"""Partner agencies' OAuth clients: their agreements, secrets (argon2id) and state.

A client is a ``Client`` node (id ``client-<clientId>``) holding the agency's
data-sharing agreement (regions, purposes, labels, personal fields) and the
argon2id hash of its secret. The secret is generated here and shown once.

**Revoking a client** disables it. Its access tokens are JWTs that nobody keeps
a list of, so they cannot be revoked one by one; instead, the hub's
authentication checks ``registry.get(client_id).disabled`` on every request,
which makes every outstanding token of the client fail within the cache's
``ttl_s`` (5 s). The same check makes a new secret (``rotate_secret``) stop the
old one at once for new tokens; tokens already issued with the old secret live
out their (short) lifetime unless the client is disabled too.

Look-ups are cached for ``ttl_s`` so authenticating a request costs no round
trip; writes made through this registry drop their cache entry at once.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.queries import clients as q
from hub.auth.errors import AuthError, InvalidCredentials
from hub.auth.revocations import StoreRef, store_getter
from schema.access.principal import Agreement

#: Scopes a client may hold; ``graphql``: the GraphQL API.
KNOWN_SCOPES: tuple[str, ...] = ("graphql",)
#: What a client id may look like (it appears in node ids, logs and Basic auth).
CLIENT_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")
_CACHE_SIZE = 4096
#: Our secrets are 43 characters; hashing a megabyte "secret" would only burn CPU.
_MAX_SECRET = 256


class ClientNotFound(AuthError):
    """No client of that id (for administration commands; never shown to callers)."""

    status_code = 404


class ClientExists(AuthError):
    """A client of that id exists already."""

    status_code = 409


@dataclass(frozen=True)
class ClientRecord:
    """A partner client as the graph holds it."""

    client_id: str
    name: str
    agency: str
    secret_hash: str
    regions: tuple[str, ...]
    purposes: tuple[str, ...]
    scopes: tuple[str, ...]
    types: tuple[str, ...]
    fields: tuple[str, ...]
    trusted_only: bool
    disabled: bool
    created_at: int | None  # epoch ms
    secret_rotated_at: int | None  # epoch ms

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> ClientRecord:
        def strings(name: str) -> tuple[str, ...]:
            return tuple(str(v) for v in node.get(name) or ())

        def instant(name: str) -> int | None:
            value = node.get(name)
            return int(value) if value is not None else None

        return cls(
            client_id=str(node["clientId"]),
            name=str(node.get("name") or ""),
            agency=str(node.get("agency") or ""),
            secret_hash=str(node.get("secretHash") or ""),
            regions=strings("regionCodes"),
            purposes=strings("purposes"),
            scopes=strings("scopes"),
            types=strings("types"),
            fields=strings("fields"),
            trusted_only=bool(node.get("trustedOnly", False)),
            disabled=bool(node.get("disabled", False)),
            created_at=instant("createdAt"),
            secret_rotated_at=instant("secretRotatedAt"),
        )

    def agreement(self) -> Agreement:
        """The data-sharing agreement, as the access rules of :mod:`schema` read it."""
        return Agreement(
            client_id=self.client_id,
            name=self.name,
            types=frozenset(self.types),
            fields=frozenset(self.fields),
            regions=self.regions,
            purposes=self.purposes,
            scopes=self.scopes,
            trusted_only=self.trusted_only,
        )


def node_id(client_id: str) -> str:
    """The Client node's id."""
    return f"client-{client_id}"


class ClientRegistry:
    """The partner clients, read through a short cache."""

    def __init__(
        self,
        store: StoreRef,
        *,
        ttl_s: float = 5.0,
        hasher: PasswordHasher | None = None,
        source: str = "hub",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store_getter(store)
        self._ttl_s = ttl_s
        self._hasher = hasher or PasswordHasher()
        self._source = source
        self._clock = clock
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, ClientRecord | None]] = {}
        self._dummy_hash: str | None = None

    # -- reading -------------------------------------------------------------------
    async def get(self, client_id: str) -> ClientRecord | None:
        """The client, or None; at most ``ttl_s`` old."""
        now = self._monotonic()
        hit = self._cache.get(client_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        rows = await self._store().read(q.CLIENT_BY_ID, {"id": node_id(client_id)})
        record = ClientRecord.from_node(rows[0]["client"]) if rows else None
        if len(self._cache) >= _CACHE_SIZE:  # unknown ids must not grow it without bound
            self._cache.clear()
        self._cache[client_id] = (now + self._ttl_s, record)
        return record

    async def list(self) -> list[ClientRecord]:
        """Every client, by id (uncached: for administration)."""
        rows = await self._store().read(q.CLIENTS_ALL)
        return [ClientRecord.from_node(r["client"]) for r in rows]

    # -- secrets -------------------------------------------------------------------
    def check_secret(self, record: ClientRecord | None, secret: str) -> bool:
        """True if ``secret`` is the enabled client's; CPU-bound (argon2), run off the loop.

        An unknown or disabled client costs one verification too, against a
        dummy hash, so the time taken does not tell whether a client exists.
        """
        if record is None or not record.secret_hash or len(secret) > _MAX_SECRET:
            self._verify(self._dummy(), secret[:_MAX_SECRET])
            return False
        ok = self._verify(record.secret_hash, secret)
        return ok and not record.disabled

    async def verify_secret(self, client_id: str, secret: str) -> ClientRecord:
        """The client if ``secret`` is its secret and it is enabled; else InvalidCredentials."""
        record = await self.get(client_id)
        if not await asyncio.to_thread(self.check_secret, record, secret):
            raise InvalidCredentials("invalid client credentials")
        assert record is not None
        return record

    def _verify(self, hashed: str, secret: str) -> bool:
        try:
            return self._hasher.verify(hashed, secret)
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(32))
        return self._dummy_hash

    # -- changing ------------------------------------------------------------------
    async def add(
        self,
        client_id: str,
        *,
        name: str,
        agency: str,
        regions: Sequence[str],
        purposes: Sequence[str],
        types: Sequence[str],
        fields: Sequence[str] = (),
        scopes: Sequence[str] = ("graphql",),
        trusted_only: bool = False,
    ) -> str:
        """Register a client; returns its secret, which is stored only as a hash."""
        if not CLIENT_ID_PATTERN.fullmatch(client_id):
            raise ValueError(
                "a client id is 2-63 characters: lower-case letters, digits, '.', '_', '-'"
            )
        secret = secrets.token_urlsafe(32)
        hashed = await asyncio.to_thread(self._hasher.hash, secret)
        now = int(self._clock() * 1000)
        props = {
            "clientId": client_id,
            "name": name,
            "agency": agency,
            "secretHash": hashed,
            "regionCodes": list(regions),
            "purposes": list(purposes),
            "scopes": list(scopes),
            "types": list(types),
            "fields": list(fields),
            "trustedOnly": trusted_only,
            "disabled": False,
            "createdAt": now,
            "secretRotatedAt": now,
            "source": self._source,
        }
        _, summary = await self._store().write(
            q.CREATE_CLIENT, {"id": node_id(client_id), "props": props}
        )
        self._cache.pop(client_id, None)
        if summary.nodes_created != 1:
            raise ClientExists(f"client {client_id} exists already")
        return secret

    async def revoke(self, client_id: str) -> None:
        """Disable the client: new tokens are refused, and its tokens fail within ``ttl_s``."""
        await self._set_disabled(client_id, True)

    async def enable(self, client_id: str) -> None:
        """Undo :meth:`revoke`."""
        await self._set_disabled(client_id, False)

    async def rotate_secret(self, client_id: str) -> str:
        """A new secret for the client; the old one stops working. Returns the new secret."""
        secret = secrets.token_urlsafe(32)
        hashed = await asyncio.to_thread(self._hasher.hash, secret)
        rows, _ = await self._store().write(
            q.SET_CLIENT_SECRET,
            {"id": node_id(client_id), "hash": hashed, "rotatedAt": int(self._clock() * 1000)},
        )
        self._cache.pop(client_id, None)
        if not rows:
            raise ClientNotFound(f"no client {client_id}")
        return secret

    async def _set_disabled(self, client_id: str, disabled: bool) -> None:
        rows, _ = await self._store().write(
            q.SET_CLIENT_DISABLED, {"id": node_id(client_id), "disabled": disabled}
        )
        self._cache.pop(client_id, None)
        if not rows:
            raise ClientNotFound(f"no client {client_id}")
