"""The signing keys of access tokens: a JWK set file, rotation without downtime.

One file, ``<keys_dir>/jwks.json`` (directory 0700, file 0600, replaced
atomically), holds every key the hub has made, as a JWK set whose entries carry
two private members: ``wb_state`` and ``wb_created`` (epoch seconds). A key is

* ``active``: it signs new tokens (exactly one key is active);
* ``verifying``: replaced by a rotation, it still verifies the tokens it signed
  until they expire, so a rotation never logs anybody out;
* ``retired``: gone from the JWKS and from verification; the file keeps only
  its public half, so a kid is never reused and ``weibao keys list`` shows it.

Keys are P-256 and sign with ES256 only: the most widely supported asymmetric
JWS algorithm (every partner's JWT library verifies it), with no deprecation
warning in joserfc (``EdDSA`` has one since RFC 9864, and its successor
``Ed25519`` is still unknown to many libraries).

The CLI (``weibao keys rotate``) changes the file while the hub runs, in another
process: :meth:`KeyRing.reload_if_changed` notices by the file's stat, which
costs a microsecond, so the validator can call it freely.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey

from hub.auth.errors import AuthError

log = logging.getLogger(__name__)

#: The one JWS algorithm the hub signs with, and so the only one it accepts.
ALGORITHM = "ES256"
CURVE = "P-256"
JWKS_FILE = "jwks.json"
_LOCK_FILE = ".jwks.lock"
_PUBLIC_MEMBERS = ("kty", "crv", "x", "y")
#: What tells one version of the file from another: inode, mtime (ns), size.
_Stat = tuple[int, int, int]


class KeyRingError(AuthError):
    """A key operation that cannot be done (unknown kid, retiring the active key, bad file)."""

    status_code = 500


class KeyState(StrEnum):
    ACTIVE = "active"
    VERIFYING = "verifying"
    RETIRED = "retired"


@dataclass(frozen=True)
class SigningKey:
    """One key of the ring; ``key`` is private unless the key is retired."""

    kid: str
    created_at: int  # epoch seconds
    state: KeyState
    key: ECKey

    def public_jwk(self) -> dict[str, Any]:
        """The public half as published in the JWKS."""
        full = self.key.as_dict(private=False)
        jwk = {name: full[name] for name in _PUBLIC_MEMBERS}
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def stored(self) -> dict[str, Any]:
        """The entry in the file: private material unless retired, plus our metadata."""
        private = self.state is not KeyState.RETIRED
        full = self.key.as_dict(private=private)
        members = (*_PUBLIC_MEMBERS, "d") if private else _PUBLIC_MEMBERS
        entry = {name: full[name] for name in members}
        return {
            **entry,
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
            "wb_state": self.state.value,
            "wb_created": self.created_at,
        }


def _new_key(now: float) -> SigningKey:
    # A readable, sortable kid: the day it was made and a random suffix.
    day = time.strftime("%Y%m%d", time.gmtime(now))
    kid = f"{day}-{secrets.token_hex(4)}"
    key = ECKey.generate_key(CURVE, parameters={"kid": kid}, private=True)
    return SigningKey(kid=kid, created_at=int(now), state=KeyState.ACTIVE, key=key)


def _parse(data: object) -> tuple[SigningKey, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeyRingError("the signing key file is not a JWK set")
    keys: list[SigningKey] = []
    for entry in data["keys"]:
        try:
            state = KeyState(entry["wb_state"])
            if entry.get("alg") != ALGORITHM or entry.get("crv") != CURVE:
                raise ValueError("not an ES256 P-256 key")
            material = {name: entry[name] for name in (*_PUBLIC_MEMBERS, "d") if name in entry}
            key = ECKey.import_key({**material, "kid": entry["kid"]})
            if state is not KeyState.RETIRED and not key.is_private:
                raise ValueError("a key in use lacks its private part")
            keys.append(SigningKey(str(entry["kid"]), int(entry["wb_created"]), state, key))
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyRingError(f"the signing key file has a bad entry: {exc}") from exc
    if sum(k.state is KeyState.ACTIVE for k in keys) != 1:
        raise KeyRingError("the signing key file must have exactly one active key")
    return tuple(keys)


class KeyRing:
    """The signing keys, as last read from (or written to) ``keys_dir``."""

    def __init__(self, keys_dir: Path, keys: tuple[SigningKey, ...], signature: _Stat) -> None:
        self._dir = keys_dir
        self._path = keys_dir / JWKS_FILE
        self._set(keys, signature)

    # -- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, keys_dir: Path) -> KeyRing:
        """Read the ring from ``keys_dir``, creating the directory and a first key if none."""
        _ensure_dir(keys_dir)
        path = keys_dir / JWKS_FILE
        if not path.exists():
            with _locked(keys_dir):
                if not path.exists():  # another process may have made it meanwhile
                    _write(path, (_new_key(time.time()),))
                    log.info("created the first token signing key in %s", keys_dir)
        keys, signature = _read(path)
        return cls(keys_dir, keys, signature)

    def reload_if_changed(self) -> bool:
        """Re-read the file if another process changed it; True if it did."""
        try:
            signature = _signature(self._path)
        except FileNotFoundError:
            log.error("the signing key file %s has gone; keeping the keys in memory", self._path)
            return False
        if signature == self._signature:
            return False
        try:
            keys, signature = _read(self._path)
        except KeyRingError:
            log.exception("the signing key file changed but cannot be read; keeping the old keys")
            return False
        self._set(keys, signature)
        log.info("signing keys reloaded: active key %s", self.active.kid)
        return True

    # -- reading -------------------------------------------------------------------
    @property
    def keys(self) -> tuple[SigningKey, ...]:
        """Every key, retired ones included, oldest first."""
        return self._keys

    @property
    def active(self) -> SigningKey:
        """The key that signs new tokens."""
        return self._active

    def verification_key(self, kid: str) -> ECKey | None:
        """The key that verifies tokens of ``kid``, unless unknown or retired."""
        return self._verifying.get(kid)

    def public_jwks(self) -> dict[str, Any]:
        """The JWK set of ``/.well-known/jwks.json``: public halves of the keys not retired."""
        return {"keys": [k.public_jwk() for k in self._keys if k.state is not KeyState.RETIRED]}

    # -- changing ------------------------------------------------------------------
    def rotate(self) -> SigningKey:
        """Make a new active key; the previous one keeps verifying its tokens."""
        with _locked(self._dir):
            keys, _ = _read(self._path)  # the file may be newer than our copy
            demoted = tuple(
                _with_state(k, KeyState.VERIFYING) if k.state is KeyState.ACTIVE else k
                for k in keys
            )
            fresh = _new_key(time.time())
            self._commit((*demoted, fresh))
        return fresh

    def retire(self, kid: str) -> SigningKey:
        """Stop verifying tokens signed by ``kid`` and drop it from the JWKS."""
        with _locked(self._dir):
            keys, _ = _read(self._path)
            found = next((k for k in keys if k.kid == kid), None)
            if found is None:
                raise KeyRingError(f"no signing key {kid!r}")
            if found.state is KeyState.ACTIVE:
                raise KeyRingError(f"{kid} is the active key: rotate first, then retire it")
            retired = _with_state(found, KeyState.RETIRED)
            self._commit(tuple(retired if k.kid == kid else k for k in keys))
        return retired

    # -- internals -----------------------------------------------------------------
    def _commit(self, keys: tuple[SigningKey, ...]) -> None:
        _write(self._path, keys)
        self._set(keys, _signature(self._path))

    def _set(self, keys: tuple[SigningKey, ...], signature: _Stat) -> None:
        self._keys = keys
        self._active = next(k for k in keys if k.state is KeyState.ACTIVE)
        self._verifying = {k.kid: k.key for k in keys if k.state is not KeyState.RETIRED}
        self._signature = signature


def _with_state(key: SigningKey, state: KeyState) -> SigningKey:
    material = key.key
    if state is KeyState.RETIRED:
        material = ECKey.import_key(key.public_jwk())
    return SigningKey(key.kid, key.created_at, state, material)


def _signature(path: Path) -> _Stat:
    # The inode changes at every atomic replace, so two writes within one mtime
    # tick are still told apart.
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _read(path: Path) -> tuple[tuple[SigningKey, ...], _Stat]:
    with path.open("rb") as handle:
        signature = os.fstat(handle.fileno())
        raw = handle.read()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise KeyRingError("the signing key file is not valid JSON") from exc
    return _parse(data), (signature.st_ino, signature.st_mtime_ns, signature.st_size)


def _write(path: Path, keys: tuple[SigningKey, ...]) -> None:
    """Write the ring atomically: a 0600 temporary file, fsync, rename, fsync the directory."""
    body = json.dumps({"keys": [k.stored() for k in keys]}, indent=2).encode()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _ensure_dir(keys_dir: Path) -> None:
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = stat.S_IMODE(keys_dir.stat().st_mode)
    if mode & 0o077:
        log.warning("tightening %s from %o to 0700: it holds private keys", keys_dir, mode)
        keys_dir.chmod(0o700)
    path = keys_dir / JWKS_FILE
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        log.warning("tightening %s to 0600: it holds private keys", path)
        path.chmod(0o600)


@contextlib.contextmanager
def _locked(keys_dir: Path) -> Iterator[None]:
    """Serialise changes of the ring between processes (two CLI runs, a hub's first start)."""
    fd = os.open(keys_dir / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
