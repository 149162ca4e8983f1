"""The second factor: TOTP (RFC 6238; 30 s steps, 6 digits, one step of clock drift).

A code is good once. After a user's code for step *s* was accepted, any
code of step *s* or earlier is refused for that user (RFC 6238 §5.2), so a
code seen over someone's shoulder cannot be replayed within its window.

That memory is kept in the process: enough for one hub process, which is
how the hub runs (one hub per data directory). Several hub processes behind
one load balancer would each accept a code once; a shared store (a graph
property per user) would be needed then.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

import pyotp

STEP_S = 30
DIGITS = 6
#: Steps of clock drift accepted either side of now.
WINDOW = 1
ISSUER = "weibao-hub"

# Forget users whose last code is older than the window once the map is this big.
_PRUNE_AT = 1024


def new_secret() -> str:
    """A random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` URI an authenticator app scans (as a QR code) or imports."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(
        name=username, issuer_name=issuer
    )


class TotpVerifier:
    """Checks one-time codes and remembers, per user, the last step accepted."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._last_step: dict[str, int] = {}

    def verify(self, user_key: str, secret: str, code: str) -> bool:
        """True for a current code (±1 step) newer than the user's last accepted one."""
        code = code.strip().replace(" ", "")
        if len(code) != DIGITS or not code.isdigit():
            return False
        totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S)
        now_step = int(self._clock()) // STEP_S
        last = self._last_step.get(user_key, -1)
        # Check every step of the window (no early exit): the time taken does
        # not tell which step matched.
        matched = [
            step
            for step in range(now_step - WINDOW, now_step + WINDOW + 1)
            if hmac.compare_digest(totp.generate_otp(step), code)
        ]
        fresh = [step for step in matched if step > last]
        if not fresh:
            return False
        self._remember(user_key, max(fresh), now_step)
        return True

    def _remember(self, user_key: str, step: int, now_step: int) -> None:
        self._last_step[user_key] = step
        if len(self._last_step) > _PRUNE_AT:
            oldest = now_step - WINDOW
            self._last_step = {k: s for k, s in self._last_step.items() if s >= oldest}
