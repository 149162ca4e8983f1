"""The evidence checks of a visit: one genuine visit, then one change per case."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from schema.care.evidence import (
    EvidenceRules,
    Fix,
    OtherVisit,
    PhotoFacts,
    Validity,
    assess,
    code_list,
    distance_m,
    reason_texts,
)

HOME = (35.0800, 117.1500)  # a village near Tengzhou
START = 1_740_794_400_000  # 2025-03-01 10:00 China Standard Time
MIN = 60_000
END = START + 20 * MIN
SHA_A = "a" * 64
SHA_B = "b" * 64


def north(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """The point ``metres`` due north of ``point``."""
    return point[0] + math.degrees(metres / 6_371_008.8), point[1]


def fix_at(point: tuple[float, float], **changes: Any) -> Fix:
    base = Fix(lat=point[0], lng=point[1], accuracy_m=15.0, device_time_ms=END + 5_000)
    return dataclasses.replace(base, **changes)


def photo(sha: str = SHA_A, **changes: Any) -> PhotoFacts:
    spot = north(HOME, 60)
    base = PhotoFacts(
        sha256=sha, phash=0x1234, taken_at_ms=START + 5 * MIN, lat=spot[0], lng=spot[1]
    )
    return dataclasses.replace(base, **changes)


def moved(metres: float) -> dict[str, Any]:
    """The visit recorded ``metres`` north of the home, its photo taken there too."""
    spot = north(HOME, metres)
    return {"fix": fix_at(spot), "photos": [photo(lat=spot[0], lng=spot[1])]}


def other(id_: str, metres: float, start: int, end: int) -> OtherVisit:
    spot = north(HOME, metres)
    return OtherVisit(id=id_, started_at_ms=start, ended_at_ms=end, lat=spot[0], lng=spot[1])


def genuine(**changes: Any) -> dict[str, Any]:
    """The arguments of a visit with nothing wrong, with ``changes`` applied."""
    facts: dict[str, Any] = {
        "started_at_ms": START,
        "ended_at_ms": END,
        "fix": fix_at(north(HOME, 50)),
        "home": HOME,
        "server_time_ms": END,
        "photos": [photo()],
        "reused": {},
        # 5 km in an hour before, 3 km in half an hour after: a moped's pace.
        "previous": other("v-prev", 5_000, START - 3 * 60 * MIN, START - 60 * MIN),
        "following": other("v-next", 3_000, END + 30 * MIN, END + 50 * MIN),
    }
    facts.update(changes)
    return facts


def test_distance_is_haversine() -> None:
    assert distance_m(*HOME, *HOME) == 0
    assert distance_m(*HOME, *north(HOME, 1_000)) == pytest.approx(1_000, abs=0.01)
    # Tengzhou to Jinan, about 170 km as the crow flies.
    assert distance_m(35.0844, 117.1507, 36.6512, 117.1201) == pytest.approx(174_230, rel=0.01)


def test_a_genuine_visit_scores_full_marks() -> None:
    validity = assess(**genuine())
    assert validity == Validity(score=100, flagged=False, reasons=())
    assert code_list(validity) == []
    assert reason_texts(validity) == []


CASES: list[tuple[str, dict[str, Any], list[str], bool]] = [
    # (case, changes to the genuine visit, expected reason codes, flagged)
    ("far: 3.2 km", moved(3_200), ["far-from-home"], True),
    ("far: just past 3 km", moved(3_001), ["far-from-home"], True),
    ("far: just short of 3 km", moved(2_990), ["far-from-home"], False),
    ("far: 1 km", moved(1_000), ["far-from-home"], False),
    ("geofence: just inside", moved(499), [], False),
    ("geofence: just outside", moved(501), ["far-from-home"], False),
    ("no GPS fix", {"fix": None}, ["no-location"], True),
    ("home unknown", {"home": None}, ["home-unknown"], False),
    ("accuracy at the limit", {"fix": fix_at(north(HOME, 50), accuracy_m=100.0)}, [], False),
    (
        "poor accuracy",
        {"fix": fix_at(north(HOME, 50), accuracy_m=101.0)},
        ["poor-accuracy"],
        False,
    ),
    ("accuracy unknown", {"fix": fix_at(north(HOME, 50), accuracy_m=None)}, [], False),
    ("clock skew at the limit", {"server_time_ms": END + 5_000 - 600_000}, [], False),
    ("clock ahead", {"server_time_ms": END + 5_000 - 601_000}, ["clock-skew"], False),
    ("clock behind", {"server_time_ms": END + 5_000 + 601_000}, ["clock-skew"], False),
    ("imported: no clock check", {"server_time_ms": None, "fix": fix_at(HOME)}, [], False),
    ("no device time", {"fix": fix_at(HOME, device_time_ms=None)}, [], False),
    ("on site 5 min", {"ended_at_ms": START + 300_000}, [], False),
    ("on site 4 min 59 s", {"ended_at_ms": START + 299_000}, ["too-short"], False),
    ("ends as it starts", {"ended_at_ms": START}, ["too-short"], False),
    ("no photo", {"photos": []}, ["no-photo"], False),
    ("photo: no EXIF time", {"photos": [photo(taken_at_ms=None)]}, ["photo-no-time"], False),
    (
        "photo: no EXIF GPS",
        {"photos": [photo(lat=None, lng=None)]},
        ["photo-no-location"],
        False,
    ),
    (
        "photo: both stripped",
        {"photos": [photo(taken_at_ms=None, lat=None, lng=None)]},
        ["photo-no-time", "photo-no-location"],
        False,
    ),
    ("photo: 30 min early", {"photos": [photo(taken_at_ms=START - 1_800_000)]}, [], False),
    (
        "photo: 30 min 1 s early",
        {"photos": [photo(taken_at_ms=START - 1_801_000)]},
        ["photo-time-mismatch"],
        False,
    ),
    ("photo: 30 min late", {"photos": [photo(taken_at_ms=END + 1_800_000)]}, [], False),
    (
        "photo: a day late",
        {"photos": [photo(taken_at_ms=END + 86_400_000)]},
        ["photo-time-mismatch"],
        False,
    ),
    (
        "photo: elsewhere",
        {"photos": [photo(lat=north(HOME, 700)[0])]},
        ["photo-location-mismatch"],
        False,
    ),
    ("photo: close enough", {"photos": [photo(lat=north(HOME, 500)[0])]}, [], False),
    ("photo reused", {"reused": {SHA_A: "v-old"}}, ["photo-reused"], True),
    (
        "one of two photos reused",
        {"photos": [photo(SHA_A), photo(SHA_B)], "reused": {SHA_B: "v-old"}},
        ["photo-reused"],
        True,
    ),
    ("reuse of a photo not in this visit", {"reused": {SHA_B: "v-old"}}, [], False),
    (
        "travel: 50 km in 10 min from the previous visit",
        {"previous": other("v-prev", 50_000, START - 30 * MIN, START - 10 * MIN)},
        ["impossible-travel"],
        True,
    ),
    (
        "travel: 130 km/h to the next visit",
        {"following": other("v-next", 65_000, END + 30 * MIN, END + 50 * MIN)},
        ["impossible-travel"],
        True,
    ),
    (
        "travel: 110 km/h to the next visit",
        {"following": other("v-next", 55_000, END + 30 * MIN, END + 50 * MIN)},
        [],
        False,
    ),
    (
        "travel: overlapping visits 2 km apart",
        {"following": other("v-next", 2_000, END - 5 * MIN, END + 10 * MIN)},
        ["impossible-travel"],
        True,
    ),
    (
        "travel: back to back, next door (GPS jitter is no travel)",
        {"previous": other("v-prev", 300, START - 10 * MIN, START)},
        [],
        False,
    ),
    (
        "travel: both legs impossible, one reason",
        {
            "previous": other("v-prev", 50_000, START - 30 * MIN, START - 10 * MIN),
            "following": other("v-next", 50_000, END, END + 10 * MIN),
        },
        ["impossible-travel"],
        True,
    ),
    ("no neighbouring visits", {"previous": None, "following": None}, [], False),
    (
        "small faults add up below the threshold",
        {
            "fix": fix_at(north(HOME, 2_000), accuracy_m=150.0),
            "ended_at_ms": START + 60_000,
            "photos": [],
        },
        ["poor-accuracy", "far-from-home", "too-short", "no-photo"],
        True,
    ),
]


@pytest.mark.parametrize(
    ("changes", "codes", "flagged"),
    [pytest.param(c, codes, f, id=name) for name, c, codes, f in CASES],
)
def test_reasons(changes: dict[str, Any], codes: list[str], flagged: bool) -> None:
    validity = assess(**genuine(**changes))
    assert code_list(validity) == codes
    assert validity.flagged is flagged
    assert validity.score == max(0, 100 - sum(r.penalty for r in validity.reasons))
    assert 0 <= validity.score <= 100
    if codes:
        assert validity.score < 100


def test_far_from_home_message_is_concrete_and_penalty_grows() -> None:
    validity = assess(**genuine(**moved(3_200)))
    assert reason_texts(validity) == [
        "far-from-home: recorded 3.2 km from the child's registered home (limit 0.5 km)"
    ]
    assert validity.reasons[0].severe
    penalties = [
        assess(**genuine(**moved(m))).reasons[0].penalty for m in (600, 1_000, 2_000, 2_900)
    ]
    assert penalties == sorted(penalties)
    assert penalties[0] < penalties[-1]


def test_messages_name_the_facts() -> None:
    texts = reason_texts(
        assess(
            **genuine(
                fix=fix_at(north(HOME, 50), accuracy_m=250.0),
                server_time_ms=END + 5_000 - 3_600_000,
                ended_at_ms=START + 130_000,
                photos=[photo(), photo(SHA_B, taken_at_ms=START - 2 * 3_600_000)],
                reused={SHA_B: "v-42"},
                previous=other("v-prev", 50_050, START - 30 * MIN, START - 10 * MIN),
            )
        )
    )
    assert texts == [
        "poor-accuracy: GPS accuracy was 250 m (limit 100 m)",
        "clock-skew: the phone's clock was 1 h ahead of the server's (limit 10 min)",
        "too-short: on site for 2 min 10 s (at least 5 min expected)",
        "photo-time-mismatch: 1 of 2 photos were taken up to 2 h outside the visit (slack 30 min)",
        "photo-reused: 1 of 2 photos were already used by another visit: bbbbbbbbbbbb (visit v-42)",
        "impossible-travel: 50.0 km in 10 min after visit v-prev: 300 km/h (limit 120 km/h)",
    ]


def test_no_fix_skips_checks_that_need_one() -> None:
    validity = assess(
        **genuine(
            fix=None,
            photos=[photo(lat=north(HOME, 9_000)[0])],
            previous=other("v-prev", 90_000, START - 2 * MIN, START - MIN),
        )
    )
    assert code_list(validity) == ["no-location"]
    assert validity.flagged


def test_rules_are_configurable() -> None:
    strict = EvidenceRules(geofence_m=100, far_severe_m=200, flag_below=95, min_on_site_s=0)
    validity = assess(**genuine(fix=fix_at(north(HOME, 150))), rules=strict)
    assert code_list(validity) == ["far-from-home"]
    assert validity.flagged  # 100 - 10 < 95
    assert assess(**genuine(fix=fix_at(north(HOME, 250))), rules=strict).reasons[0].severe
    lenient = EvidenceRules(max_speed_kmh=400)
    fast = other("v-prev", 50_000, START - 30 * MIN, START - 10 * MIN)
    assert not assess(**genuine(previous=fast), rules=lenient).flagged


def test_the_score_never_goes_below_zero() -> None:
    validity = assess(
        **genuine(
            fix=None,
            home=None,
            ended_at_ms=START,
            photos=[photo(taken_at_ms=None, lat=None, lng=None)],
            reused={SHA_A: "v-old"},
        )
    )
    assert validity.score == 0
    assert validity.flagged


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ended_at_ms": START - 1}, "before it starts"),
        ({"fix": fix_at((91.0, 117.0))}, "impossible coordinates"),
        ({"fix": fix_at((math.nan, 117.0))}, "impossible coordinates"),
        ({"home": (35.0, 181.0)}, "impossible coordinates"),
    ],
)
def test_unusable_facts_raise(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assess(**genuine(**changes))


@pytest.mark.parametrize(
    "rules",
    [
        {"geofence_m": -1},
        {"far_severe_m": 400},
        {"max_speed_kmh": 0},
        {"phash_distance": 65},
        {"min_on_site_s": math.nan},
    ],
)
def test_unusable_rules_raise(rules: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="evidence rule"):
        EvidenceRules(**rules)
