"""argon2id hashes with random salts, rehash detection, the policy, generated passwords."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher

from hub.auth.passwords import (
    PASSWORDS,
    Passwords,
    Verification,
    WeakPassword,
    check_policy,
    generate_password,
)

CHEAP = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_hashes_are_argon2id_with_random_salts() -> None:
    first, second = CHEAP.hash("correct horse 42"), CHEAP.hash("correct horse 42")
    assert first.startswith("$argon2id$")
    assert first != second
    assert CHEAP.verify(first, "correct horse 42").ok
    assert CHEAP.verify(second, "correct horse 42").ok
    assert not CHEAP.verify(first, "correct horse 43").ok


def test_missing_or_broken_hashes_never_verify() -> None:
    assert not CHEAP.verify(None, "anything at all 1").ok
    assert not CHEAP.verify("", "anything at all 1").ok
    assert not CHEAP.verify("$argon2id$garbage", "anything at all 1").ok
    assert not CHEAP.verify(CHEAP.hash("x" * 300), "x" * 300).ok  # over the maximum


def test_a_hash_with_weaker_parameters_needs_rehash() -> None:
    weak = CHEAP.hash("correct horse 42")
    result = PASSWORDS.verify(weak, "correct horse 42")
    assert result.ok
    assert result.needs_rehash
    strong = PASSWORDS.hash("correct horse 42")
    assert PASSWORDS.verify(strong, "correct horse 42") == Verification(ok=True)


def test_the_dummy_verification_costs_about_a_real_one() -> None:
    stored = PASSWORDS.hash("correct horse 42")
    PASSWORDS.dummy_verify("warm up")

    def best_of_three(action: object) -> float:
        assert callable(action)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        return min(times)

    real = best_of_three(lambda: PASSWORDS.verify(stored, "wrong password 1"))
    dummy = best_of_three(lambda: PASSWORDS.dummy_verify("wrong password 1"))
    assert 0.5 * real < dummy < 2 * real


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Short1x", "at least 12"),
        ("alllowercaseletters", "two kinds"),
        ("123456789012345", "two kinds"),
        ("Zhangsan-2024-ok", "user name"),
        ("x" * 257 + "A", "at most 256"),
    ],
)
def test_the_policy_refuses_weak_passwords_and_says_why(password: str, why: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        check_policy(password, "zhangsan")
    assert why in refused.value.message
    assert refused.value.status_code == 400


@pytest.mark.parametrize(
    "password", ["river-stone-1957", "Correct Horse Battery", "儿童主任网格化赋能2024"]
)
def test_the_policy_accepts_mixed_passwords(password: str) -> None:
    check_policy(password, "zhangsan")


def test_generated_passwords_are_strong_and_different() -> None:
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        check_policy(password, "admin")
        groups = password.split("-")
        assert [len(g) for g in groups] == [5, 5, 5, 5]
        assert not set(password) & set("0O1lI")
