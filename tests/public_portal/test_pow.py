"""The proof of work: what the browser computes is what the server checks, once."""

from __future__ import annotations

import hashlib

from public_portal.pow import ProofOfWork, leading_zero_bits, solve, solves


def test_leading_zero_bits() -> None:
    assert leading_zero_bits(b"\x00\x00\x01") == 23
    assert leading_zero_bits(b"\x80") == 0
    assert leading_zero_bits(b"\x0f\xff") == 4
    assert leading_zero_bits(b"\x00\x00") == 16


def test_a_solution_is_checked_with_one_hash() -> None:
    nonce = solve("challenge", 8)
    digest = hashlib.sha256(f"challenge:{nonce}".encode()).digest()
    assert digest[0] == 0
    assert solves("challenge", nonce, 8)
    assert not solves("challenge", nonce, 64)  # no nonce is that lucky here
    # The first solution: every smaller number fails.
    assert not any(solves("challenge", str(n), 8) for n in range(int(nonce)))


def test_a_challenge_is_ours_unexpired_hard_enough_and_good_once() -> None:
    pow_ = ProofOfWork("secret" * 8, ttl_s=600)
    challenge = pow_.challenge(6)
    assert pow_.bits_of(challenge) == 6
    nonce = solve(challenge, 6)
    assert not pow_.verify(challenge, nonce, 7)  # easier than asked for
    assert not pow_.verify(challenge, "x" + nonce, 6)
    assert pow_.verify(challenge, nonce, 6)
    assert not pow_.verify(challenge, nonce, 6)  # used
    forged = ProofOfWork("another" * 8, ttl_s=600).challenge(1)
    assert not pow_.verify(forged, solve(forged, 1), 1)
    tampered = challenge.replace(".6.", ".1.", 1)
    assert pow_.bits_of(tampered) is None


def test_an_expired_challenge_is_refused() -> None:
    expired = ProofOfWork("secret" * 8, ttl_s=-1)
    challenge = expired.challenge(1)
    assert not expired.verify(challenge, solve(challenge, 1), 1)
