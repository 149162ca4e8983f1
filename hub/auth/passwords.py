"""Passwords: argon2id hashes, verification, the policy for new ones, generated ones.

Hashes are argon2id with a random 16-byte salt and argon2-cffi's default
parameters (RFC 9106's second recommended profile: 64 MiB, 3 passes). When
those defaults rise in a later argon2-cffi, :meth:`Passwords.verify` reports
that a stored hash ``needs_rehash`` and the login stores a new one.

A login for an unknown user name still runs one verification
(:meth:`Passwords.dummy_verify`), so its timing does not tell that the name
is unknown.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.auth.errors import AuthError

MIN_LENGTH = 12
# Hashing a megabyte "password" is a cheap way to burn our CPU: refuse it.
MAX_LENGTH = 256

# Generated passwords avoid look-alikes (0/O, 1/l/I) since they are read off a
# screen and typed by people.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_ALPHABET = _LOWER + _UPPER + _DIGITS


class WeakPassword(AuthError):
    """A new password the policy refuses; the message says why."""

    status_code = 400


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a password against a stored hash."""

    ok: bool
    needs_rehash: bool = False


class Passwords:
    """argon2id hashing with one set of parameters (tests may pass cheaper ones)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        """A new argon2id hash of ``password`` with a random salt."""
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> Verification:
        """Whether ``password`` matches; and whether the hash should be upgraded."""
        if not password_hash or len(password) > MAX_LENGTH:
            self.dummy_verify(password[:MAX_LENGTH])
            return Verification(ok=False)
        try:
            self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return Verification(ok=False)
        return Verification(ok=True, needs_rehash=self.hasher.check_needs_rehash(password_hash))

    def dummy_verify(self, password: str) -> None:
        """Spend what a real verification costs, for a user who does not exist."""
        with contextlib.suppress(VerificationError, InvalidHashError):
            self.hasher.verify(self._dummy_hash, password[:MAX_LENGTH])

    @cached_property
    def _dummy_hash(self) -> str:
        return self.hasher.hash(secrets.token_urlsafe(32))


#: The hub's hasher.
PASSWORDS = Passwords()


def _classes(password: str) -> int:
    kinds = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    # Letters without case (Chinese characters) count as a class of their own.
    caseless = any(c.isalpha() and not c.islower() and not c.isupper() for c in password)
    return sum(kinds) + caseless


def check_policy(password: str, username: str) -> None:
    """Refuse a new password that is too short, of one kind of character, or the user name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"密码至少 {MIN_LENGTH} 个字符 / "
            f"The password must have at least {MIN_LENGTH} characters"
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            f"密码最多 {MAX_LENGTH} 个字符 / The password must have at most {MAX_LENGTH} characters"
        )
    if _classes(password) < 2:
        raise WeakPassword(
            "密码须混合至少两类字符（小写、大写、数字、符号） / The password must mix at least "
            "two kinds of characters (lower case, upper case, digits, symbols)"
        )
    name = username.strip().casefold()
    if name and name in password.casefold():
        raise WeakPassword("密码不得包含用户名 / The password must not contain the user name")


def generate_password(groups: int = 4, size: int = 5) -> str:
    """A strong random password, e.g. ``Xk7pq-9mQrt-…`` (4×5 characters: about 115 bits).

    The groups make it easier to read out and type; each has upper, lower and
    digits somewhere in the whole, so it always passes :func:`check_policy`.
    """
    while True:
        chars = "".join(secrets.choice(_ALPHABET) for _ in range(groups * size))
        if (
            any(c in _LOWER for c in chars)
            and any(c in _UPPER for c in chars)
            and any(c in _DIGITS for c in chars)
        ):
            return "-".join(chars[i : i + size] for i in range(0, len(chars), size))


__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "PASSWORDS",
    "Passwords",
    "Verification",
    "WeakPassword",
    "check_policy",
    "generate_password",
]
