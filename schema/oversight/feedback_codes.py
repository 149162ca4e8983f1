"""Tracking codes: a public reference and a separate access code, shown once.

The reference (``FK-`` and 10 characters, 50 random bits) names a submission;
the access code (8 characters, 40 random bits) proves the holder submitted
it. Both come from :mod:`secrets` in Crockford's base32 alphabet, which has no
I, L, O or U: what a person copies by hand reads back the same (typed ``O``
and ``I``/``L`` are read as ``0`` and ``1``, case and spaces do not matter).

Only the access code's argon2id hash is stored, never the code: a copy of
the graph does not let anyone read someone's feedback status. argon2id rather
than an HMAC with a server key: no key to keep and rotate, and with a
rate-limited look-up one verification per request (~45 ms) is affordable. A
look-up of an unknown reference verifies against a dummy hash, so it takes as
long as a wrong code and both answer the same: no oracle for which references
exist. The comparison inside argon2 is constant-time.
"""

from __future__ import annotations

import asyncio
import functools
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "FK-"
REFERENCE_CHARS = 10
ACCESS_CODE_CHARS = 8

_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_]+")
_REFERENCE = re.compile(rf"^FK[{ALPHABET}]{{{REFERENCE_CHARS}}}$")
_ACCESS_CODE = re.compile(rf"^[{ALPHABET}]{{{ACCESS_CODE_CHARS}}}$")
#: Anything longer is not a code: refused before any work.
_MAX_TYPED = 64


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference() -> str:
    """A fresh public reference, e.g. ``FK-7Q2M9XKD4T``."""
    return PREFIX + _random(REFERENCE_CHARS)


def new_access_code() -> str:
    """A fresh access code, e.g. ``K8D2M7QX``."""
    return _random(ACCESS_CODE_CHARS)


def _canonical(value: str) -> str:
    return _SEPARATORS.sub("", value[:_MAX_TYPED]).upper().translate(_TYPOS)


def normal_reference(value: str) -> str | None:
    """A typed reference in its stored form (``FK-…``), or None if it cannot be one."""
    if len(value) > _MAX_TYPED:
        return None
    text = _canonical(value)  # "FK" has no letter the typo map changes
    return f"{PREFIX}{text[2:]}" if _REFERENCE.match(text) else None


def normal_access_code(value: str) -> str | None:
    """A typed access code in its stored form, or None if it cannot be one."""
    if len(value) > _MAX_TYPED:
        return None
    code = _canonical(value)
    return code if _ACCESS_CODE.match(code) else None


@functools.cache
def hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    """The argon2id hasher of access codes at a cost (one per cost, shared)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


@functools.cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return hasher(time_cost, memory_kib).hash(new_access_code())


async def hash_code(code: str, *, time_cost: int, memory_kib: int) -> str:
    """The argon2id hash to store (computed off the event loop: argon2 releases the GIL)."""
    return await asyncio.to_thread(hasher(time_cost, memory_kib).hash, code)


def _matches(stored: str | None, code: str, time_cost: int, memory_kib: int) -> bool:
    chosen = hasher(time_cost, memory_kib)
    target = stored if stored else _dummy_hash(time_cost, memory_kib)
    try:
        # A stored hash carries its own parameters: older or demo hashes still verify.
        return chosen.verify(target, code) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


async def code_matches(stored: str | None, code: str, *, time_cost: int, memory_kib: int) -> bool:
    """Whether ``code`` is the one hashed as ``stored``; None verifies a dummy (same time)."""
    return await asyncio.to_thread(_matches, stored, code, time_cost, memory_kib)
