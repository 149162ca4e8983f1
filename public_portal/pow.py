"""A self-hosted proof of work: the browser spends a moment of CPU, no third party sees it.

The server hands out a signed challenge ``<salt>.<bits>.<signature>``; the
browser (``static/portal.js``) finds a number ``n`` such that
``SHA-256("<challenge>:<n>")`` starts with ``bits`` zero bits (2^bits tries on
average: 16 bits take well under a second in a phone's browser) and sends it
with the form. The server checks it with one hash. A challenge is good once
and for ``ttl_s`` seconds (its salt is remembered until it expires).

Why not altcha: its widget is a web component with its own markup, strings
and styles to vet for accessibility and translation; the scheme is the same
(hash with leading zeros, signed challenge) and fits in fifty lines each side.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

#: Used salts kept at most (oldest forgotten first; an old one's challenge has expired).
MAX_REMEMBERED = 200_000


def leading_zero_bits(digest: bytes) -> int:
    """Zero bits at the start of ``digest``."""
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solves(challenge: str, nonce: str, bits: int) -> bool:
    """Whether ``nonce`` solves ``challenge`` at ``bits``."""
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(challenge: str, bits: int) -> str:
    """A nonce solving ``challenge`` (what the browser does; tests and benchmarks use it)."""
    n = 0
    while not solves(challenge, str(n), bits):
        n += 1
    return str(n)


class ProofOfWork:
    """Issues and checks challenges."""

    def __init__(
        self, secret: str | bytes, *, ttl_s: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._signer = TimestampSigner(secret, salt="weibao-portal-pow")
        self.ttl_s = ttl_s
        self.clock = clock
        self._used: OrderedDict[str, float] = OrderedDict()

    def challenge(self, bits: int) -> str:
        """A fresh challenge asking for ``bits`` zero bits."""
        return self._signer.sign(f"{secrets.token_hex(12)}.{bits}").decode()

    def bits_of(self, challenge: str) -> int | None:
        """The bits a (well-formed, unexpired) challenge asks for, else None."""
        payload = self._payload(challenge)
        return None if payload is None else payload[1]

    def verify(self, challenge: str, nonce: str, at_least_bits: int) -> bool:
        """``nonce`` solves ``challenge`` (ours, unexpired, unused, hard enough); uses it up."""
        payload = self._payload(challenge)
        if payload is None or len(nonce) > 20 or not nonce.isdigit():
            return False
        salt, bits = payload
        if bits < at_least_bits or salt in self._used or not solves(challenge, nonce, bits):
            return False
        self._remember(salt)
        return True

    def _payload(self, challenge: str) -> tuple[str, int] | None:
        if not challenge or len(challenge) > 200:
            return None
        try:
            value = self._signer.unsign(challenge, max_age=self.ttl_s).decode()
        except (BadSignature, SignatureExpired):
            return None
        salt, _, bits = value.partition(".")
        return (salt, int(bits)) if bits.isdigit() else None

    def _remember(self, salt: str) -> None:
        now = self.clock()
        while self._used:
            at = next(iter(self._used.values()))
            if at > now - self.ttl_s and len(self._used) < MAX_REMEMBERED:
                break
            self._used.popitem(last=False)
        self._used[salt] = now
