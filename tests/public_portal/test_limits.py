"""The in-memory limits on a clock the test moves: free, then proof of work, then refused."""

from __future__ import annotations

from public_portal.limits import LookupLimits, SlidingWindow, SubmissionLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_forgets_what_is_older_than_it() -> None:
    clock = Clock()
    window = SlidingWindow(60, clock=clock)
    window.add("a")
    clock.now += 30
    window.add("a")
    assert window.count("a") == 2
    assert window.retry_after("a") == 31
    clock.now += 30
    assert window.count("a") == 1
    clock.now += 30
    assert window.count("a") == 0
    assert window.count("never") == 0


def test_a_window_keeps_a_bounded_number_of_keys() -> None:
    window = SlidingWindow(60, clock=Clock(), max_keys=3)
    for key in "abcd":
        window.add(key)
    assert [window.count(k) for k in "abcd"] == [0, 1, 1, 1]


def _limits(clock: Clock, **overrides: int) -> SubmissionLimits:
    values = {
        "window_s": 3600,
        "free_per_ip": 2,
        "max_per_ip": 5,
        "free_total": 100,
        "contact_window_s": 86400,
        "max_per_contact": 3,
        "pow_bits": 10,
        "pow_max_bits": 11,
        **overrides,
    }
    return SubmissionLimits(secret=b"k" * 32, clock=clock, **values)


def test_free_then_harder_work_then_refused_then_free_again() -> None:
    clock = Clock()
    limits = _limits(clock)
    verdicts = []
    for _ in range(6):
        verdict = limits.check("1.2.3.4")
        verdicts.append((verdict.allowed, verdict.pow_bits))
        if verdict.allowed:
            limits.record("1.2.3.4")
    assert verdicts == [(True, 0), (True, 0), (True, 10), (True, 11), (True, 11), (False, 0)]
    refused = limits.check("1.2.3.4")
    assert refused.retry_after_s == 3601
    assert limits.check("5.6.7.8").pow_bits == 0  # another address is not held back
    clock.now += 3601
    assert limits.check("1.2.3.4") == limits.check("5.6.7.8")


def test_a_contact_phone_is_counted_as_digits_and_kept_hashed() -> None:
    limits = _limits(Clock(), max_per_ip=100, max_per_contact=2)
    limits.record("1.1.1.1", "138 0000 0000")
    limits.record("2.2.2.2", "13800000000")
    assert not limits.check("3.3.3.3", "138-0000-0000").allowed
    assert limits.check("3.3.3.3", "13900000000").allowed
    assert limits.check("3.3.3.3", None).allowed
    held = repr(limits.by_contact._log)
    assert "13800000000" not in held


def test_a_flood_from_many_addresses_asks_everyone_for_work() -> None:
    limits = _limits(Clock(), free_total=3)
    for i in range(3):
        assert limits.check(f"10.0.0.{i}").pow_bits == 0
        limits.record(f"10.0.0.{i}")
    assert limits.check("10.0.0.99").pow_bits == 10


def test_look_ups_are_counted_and_refused_past_the_maximum() -> None:
    clock = Clock()
    lookups = LookupLimits(window_s=600, max_per_ip=2, clock=clock)
    assert [lookups.take("ip") for _ in range(3)] == [0, 0, 601]
    clock.now += 601
    assert lookups.take("ip") == 0
