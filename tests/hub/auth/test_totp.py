"""TOTP codes: 30 s steps, one step of drift, each code good once per user."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp

from hub.auth.totp import TotpVerifier, new_secret, provisioning_uri

T0 = 1_790_000_020.0  # 10 s into a 30 s step (steps start at multiples of 30)


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def code_at(secret: str, when: float) -> str:
    return pyotp.TOTP(secret).at(int(when))


def test_current_and_neighbouring_steps_pass_others_do_not() -> None:
    secret = new_secret()
    verifier = TotpVerifier(Clock())
    assert verifier.verify("u1", secret, code_at(secret, T0 - 30))
    assert verifier.verify("u2", secret, code_at(secret, T0))
    assert verifier.verify("u3", secret, code_at(secret, T0 + 30))
    assert not verifier.verify("u4", secret, code_at(secret, T0 - 60))
    assert not verifier.verify("u5", secret, code_at(secret, T0 + 60))


def test_a_code_is_good_once_and_older_codes_fail_after_a_newer_one() -> None:
    secret = new_secret()
    clock = Clock()
    verifier = TotpVerifier(clock)
    code = code_at(secret, T0)
    assert verifier.verify("alice", secret, code)
    assert not verifier.verify("alice", secret, code)  # replayed within its window
    clock.now += 20  # next step: the old code is still inside the drift window
    assert not verifier.verify("alice", secret, code)
    assert not verifier.verify("alice", secret, code_at(secret, T0 - 30))
    assert verifier.verify("alice", secret, code_at(secret, clock.now))
    # Another user with the same code is not affected.
    assert verifier.verify("bob", secret, code)


def test_malformed_codes_fail() -> None:
    secret = new_secret()
    verifier = TotpVerifier(Clock())
    good = code_at(secret, T0)
    for bad in ("", "12345", "1234567", "abcdef", good[:5] + "x"):
        assert not verifier.verify("alice", secret, bad)
    assert verifier.verify("alice", secret, f" {good[:3]} {good[3:]} ")


def test_the_provisioning_uri_names_the_account_and_issuer() -> None:
    secret = new_secret()
    assert len(secret) == 32
    uri = urlsplit(provisioning_uri(secret, "admin"))
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/weibao-hub:admin")
    query = parse_qs(uri.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["weibao-hub"]
