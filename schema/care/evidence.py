"""Evidence checks of a visit: how far its GPS, clock, duration and photos can be trusted.

Allowances depend on visits, so each visit gets a validity score (0–100) and
the concrete reasons that lowered it. A visit is *flagged* for a supervisor's
review when its score falls below :attr:`EvidenceRules.flag_below` or any
reason is *severe* (no location, far from home beyond ``far_severe_m``, a
reused photo, impossible travel): those cannot be outweighed by good evidence
elsewhere.

Everything here is pure: the caller (``recordVisit``) gathers the facts (the
child's home, the director's neighbouring visits, which photo hashes another
visit already used) and stores the verdict.

Penalties are counted once per reason code, not once per photo: a phone that
strips EXIF from every photo (some messaging apps do) should cost a little, not
sink a genuine visit with many photos.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Mean Earth radius (IUGG), metres: the haversine error is below 0.5 % anyway.
EARTH_RADIUS_M = 6_371_008.8

# Penalties, in score points out of 100. Severe reasons flag the visit whatever the score.
P_NO_LOCATION = 60
P_FAR_MIN = 10  # just beyond the geofence
P_FAR_MAX = 40  # just short of far_severe_m; the penalty grows linearly in between
P_FAR_SEVERE = 50
P_POOR_ACCURACY = 10
P_CLOCK_SKEW = 15
P_TOO_SHORT = 15
P_PHOTO_TIME = 15
P_PHOTO_PLACE = 15
P_PHOTO_REUSED = 50
P_IMPOSSIBLE_TRAVEL = 50
P_NO_PHOTO = 10
P_PHOTO_NO_TIME = 5
P_PHOTO_NO_PLACE = 5
P_HOME_UNKNOWN = 5


@dataclass(frozen=True)
class EvidenceRules:
    """The thresholds of the checks; every one is configurable."""

    geofence_m: float = 500  # beyond: far-from-home (penalty grows with distance)
    far_severe_m: float = 3000  # from here on: far-from-home is severe (always flagged)
    max_accuracy_m: float = 100  # a worse GPS accuracy: poor-accuracy
    max_clock_skew_s: float = 600  # |device time - server time| beyond: clock-skew
    min_on_site_s: float = 300  # shorter: too-short
    photo_time_slack_s: float = 1800  # EXIF time outside [start - slack, end + slack]
    photo_distance_m: float = 500  # EXIF GPS farther from the visit's fix
    max_speed_kmh: float = 120  # between consecutive visits of the same director
    # Hamming distance <= this: the same photo (photo-reused). Up to 3, the hash bands
    # (schema.media.photos.bands) are sure to find every candidate.
    phash_distance: int = 3
    flag_below: int = 60  # a score below: flagged

    def __post_init__(self) -> None:
        for name in (
            "geofence_m",
            "max_accuracy_m",
            "max_clock_skew_s",
            "min_on_site_s",
            "photo_time_slack_s",
            "photo_distance_m",
        ):
            if not getattr(self, name) >= 0:  # also refuses NaN
                raise ValueError(f"evidence rule {name} must be >= 0")
        if not self.far_severe_m > self.geofence_m:
            raise ValueError("evidence rule far_severe_m must be greater than geofence_m")
        if not self.max_speed_kmh > 0:
            raise ValueError("evidence rule max_speed_kmh must be > 0")
        if not 0 <= self.phash_distance <= 64:
            raise ValueError("evidence rule phash_distance must be within 0..64")
        if not 0 <= self.flag_below <= 101:
            raise ValueError("evidence rule flag_below must be within 0..101")


@dataclass(frozen=True)
class Reason:
    """One finding that lowered the score; ``message`` is concrete English."""

    code: str
    message: str
    penalty: int
    severe: bool


@dataclass(frozen=True)
class Validity:
    """The verdict: a score 0..100, whether it goes to a supervisor, and why."""

    score: int
    flagged: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Fix:
    """The phone's GPS fix at the visit."""

    lat: float
    lng: float
    accuracy_m: float | None
    device_time_ms: int | None


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo says about itself (see ``schema.media.photos.inspect``)."""

    sha256: str
    phash: int
    taken_at_ms: int | None
    lat: float | None
    lng: float | None


@dataclass(frozen=True)
class OtherVisit:
    """A neighbouring visit of the same director, for the travel check."""

    id: str
    started_at_ms: int
    ended_at_ms: int
    lat: float
    lng: float


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def assess(
    *,
    started_at_ms: int,
    ended_at_ms: int,
    fix: Fix | None,
    home: tuple[float, float] | None,
    server_time_ms: int | None,
    photos: Sequence[PhotoFacts],
    reused: Mapping[str, str],
    previous: OtherVisit | None,
    following: OtherVisit | None,
    rules: EvidenceRules = EvidenceRules(),  # frozen: a shared default is safe
    remote: bool = False,
) -> Validity:
    """Score a visit's evidence.

    ``reused`` maps a photo's sha256 to the id of another visit that already
    used the same or a near-identical photo. ``server_time_ms=None`` means the
    visit was imported, not recorded live: the clock check is skipped.
    Raises ``ValueError`` for facts that cannot describe a visit (ended before
    it started, coordinates off the globe).
    """
    if ended_at_ms < started_at_ms:
        raise ValueError(
            f"the visit ends ({ended_at_ms}) before it starts ({started_at_ms}): "
            "endedAt must not be earlier than startedAt"
        )
    if fix is not None:
        _check_coordinates("the visit's GPS fix", fix.lat, fix.lng)
    if home is not None:
        _check_coordinates("the child's home", *home)
    for other in (previous, following):
        if other is not None:
            _check_coordinates(f"visit {other.id}", other.lat, other.lng)

    reasons: list[Reason] = []
    if remote:
        # A phone or video call: no place to be at, no photo to take; the clock and
        # the duration still say whether the contact happened as recorded.
        reasons += _clock(fix, server_time_ms, rules)
    else:
        reasons += _location(fix, home, rules)
        reasons += _clock(fix, server_time_ms, rules)
        reasons += _duration(started_at_ms, ended_at_ms, rules)
        reasons += _photos(photos, reused, fix, started_at_ms, ended_at_ms, rules)
        if fix is not None:
            reasons += _travel(fix, started_at_ms, ended_at_ms, previous, following, rules)

    score = max(0, 100 - sum(r.penalty for r in reasons))
    flagged = score < rules.flag_below or any(r.severe for r in reasons)
    return Validity(score=score, flagged=flagged, reasons=tuple(reasons))


def code_list(v: Validity) -> list[str]:
    """The reason codes, in the order found."""
    return [r.code for r in v.reasons]


def reason_texts(v: Validity) -> list[str]:
    """``"code: message"`` per reason, as stored on the visit node."""
    return [f"{r.code}: {r.message}" for r in v.reasons]


# -- the checks ------------------------------------------------------------------------


def _location(
    fix: Fix | None, home: tuple[float, float] | None, rules: EvidenceRules
) -> list[Reason]:
    if fix is None:
        return [Reason("no-location", "recorded without a GPS fix", P_NO_LOCATION, severe=True)]
    found: list[Reason] = []
    if fix.accuracy_m is not None and fix.accuracy_m > rules.max_accuracy_m:
        found.append(
            Reason(
                "poor-accuracy",
                f"GPS accuracy was {_metres(fix.accuracy_m)} "
                f"(limit {_metres(rules.max_accuracy_m)})",
                P_POOR_ACCURACY,
                severe=False,
            )
        )
    if home is None:
        found.append(
            Reason(
                "home-unknown",
                "the child's home has no coordinates: the visit's place cannot be checked",
                P_HOME_UNKNOWN,
                severe=False,
            )
        )
        return found
    away = distance_m(fix.lat, fix.lng, home[0], home[1])
    if away > rules.geofence_m:
        severe = away >= rules.far_severe_m
        if severe:
            penalty = P_FAR_SEVERE
        else:
            share = (away - rules.geofence_m) / (rules.far_severe_m - rules.geofence_m)
            penalty = P_FAR_MIN + round((P_FAR_MAX - P_FAR_MIN) * share)
        found.append(
            Reason(
                "far-from-home",
                f"recorded {away / 1000:.1f} km from the child's registered home "
                f"(limit {rules.geofence_m / 1000:g} km)",
                penalty,
                severe=severe,
            )
        )
    return found


def _clock(fix: Fix | None, server_time_ms: int | None, rules: EvidenceRules) -> list[Reason]:
    if server_time_ms is None or fix is None or fix.device_time_ms is None:
        return []
    skew_s = (fix.device_time_ms - server_time_ms) / 1000
    if abs(skew_s) <= rules.max_clock_skew_s:
        return []
    direction = "ahead of" if skew_s > 0 else "behind"
    return [
        Reason(
            "clock-skew",
            f"the phone's clock was {_duration_text(abs(skew_s))} {direction} the server's "
            f"(limit {_duration_text(rules.max_clock_skew_s)})",
            P_CLOCK_SKEW,
            severe=False,
        )
    ]


def _duration(started_at_ms: int, ended_at_ms: int, rules: EvidenceRules) -> list[Reason]:
    on_site_s = (ended_at_ms - started_at_ms) / 1000
    if on_site_s >= rules.min_on_site_s:
        return []
    return [
        Reason(
            "too-short",
            f"on site for {_duration_text(on_site_s)} "
            f"(at least {_duration_text(rules.min_on_site_s)} expected)",
            P_TOO_SHORT,
            severe=False,
        )
    ]


def _photos(
    photos: Sequence[PhotoFacts],
    reused: Mapping[str, str],
    fix: Fix | None,
    started_at_ms: int,
    ended_at_ms: int,
    rules: EvidenceRules,
) -> list[Reason]:
    if not photos:
        return [Reason("no-photo", "no photo was taken", P_NO_PHOTO, severe=False)]
    found: list[Reason] = []
    slack_ms = rules.photo_time_slack_s * 1000
    off_time: list[float] = []  # seconds outside the window, per mismatching photo
    off_place: list[float] = []
    no_time = no_place = 0
    for photo in photos:
        if photo.taken_at_ms is None:
            no_time += 1
        elif photo.taken_at_ms < started_at_ms - slack_ms:
            off_time.append((started_at_ms - photo.taken_at_ms) / 1000)
        elif photo.taken_at_ms > ended_at_ms + slack_ms:
            off_time.append((photo.taken_at_ms - ended_at_ms) / 1000)
        if photo.lat is None or photo.lng is None:
            no_place += 1
        elif fix is not None:
            away = distance_m(photo.lat, photo.lng, fix.lat, fix.lng)
            if away > rules.photo_distance_m:
                off_place.append(away)
    total = len(photos)
    if off_time:
        subject = _of(len(off_time), total, "was", "were")
        worst, slack = _duration_text(max(off_time)), _duration_text(rules.photo_time_slack_s)
        message = f"{subject} taken up to {worst} outside the visit (slack {slack})"
        found.append(Reason("photo-time-mismatch", message, P_PHOTO_TIME, severe=False))
    if off_place:
        subject = _of(len(off_place), total, "was", "were")
        worst, limit = _metres(max(off_place)), _metres(rules.photo_distance_m)
        message = f"{subject} taken up to {worst} from where the visit was recorded (limit {limit})"
        found.append(Reason("photo-location-mismatch", message, P_PHOTO_PLACE, severe=False))
    reuses = [(p.sha256, reused[p.sha256]) for p in photos if p.sha256 in reused]
    if reuses:
        listed = ", ".join(f"{sha[:12]} (visit {other})" for sha, other in reuses)
        found.append(
            Reason(
                "photo-reused",
                f"{_of(len(reuses), total, 'was', 'were')} already used by another visit: {listed}",
                P_PHOTO_REUSED,
                severe=True,
            )
        )
    if no_time:
        found.append(
            Reason(
                "photo-no-time",
                f"{_of(no_time, total, 'has', 'have')} no EXIF capture time",
                P_PHOTO_NO_TIME,
                severe=False,
            )
        )
    if no_place:
        found.append(
            Reason(
                "photo-no-location",
                f"{_of(no_place, total, 'has', 'have')} no EXIF GPS coordinates",
                P_PHOTO_NO_PLACE,
                severe=False,
            )
        )
    return found


def _travel(
    fix: Fix,
    started_at_ms: int,
    ended_at_ms: int,
    previous: OtherVisit | None,
    following: OtherVisit | None,
    rules: EvidenceRules,
) -> list[Reason]:
    legs: list[tuple[OtherVisit, int, str]] = []  # (other visit, gap ms, "after"/"before")
    if previous is not None:
        legs.append((previous, started_at_ms - previous.ended_at_ms, "after"))
    if following is not None:
        legs.append((following, following.started_at_ms - ended_at_ms, "before"))
    found: list[Reason] = []
    for other, gap_ms, relation in legs:
        away = distance_m(fix.lat, fix.lng, other.lat, other.lng)
        # Within the geofence counts as the same place: GPS jitter between two
        # back-to-back visits (siblings, neighbours) is no travel at all.
        if away <= rules.geofence_m:
            continue
        if gap_ms <= 0:
            message = (
                f"overlaps visit {other.id} recorded {_metres(away)} away "
                f"(the same director cannot be in both places)"
            )
        else:
            speed_kmh = (away / 1000) / (gap_ms / 3_600_000)
            if speed_kmh <= rules.max_speed_kmh:
                continue
            message = (
                f"{_metres(away)} in {_duration_text(gap_ms / 1000)} {relation} visit "
                f"{other.id}: {speed_kmh:.0f} km/h (limit {rules.max_speed_kmh:g} km/h)"
            )
        found.append(Reason("impossible-travel", message, P_IMPOSSIBLE_TRAVEL, severe=True))
    if len(found) > 1:  # one reason per code: both legs in one message
        joined = "; ".join(r.message for r in found)
        found = [Reason("impossible-travel", joined, P_IMPOSSIBLE_TRAVEL, severe=True)]
    return found


# -- helpers ---------------------------------------------------------------------------


def _check_coordinates(what: str, lat: float, lng: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):  # also refuses NaN
        raise ValueError(f"{what} has impossible coordinates ({lat}, {lng})")


def _metres(m: float) -> str:
    """'850 m' below a kilometre, else '3.2 km'."""
    if m < 1000:
        return f"{m:.0f} m"
    return f"{m / 1000:.1f} km"


def _duration_text(seconds: float) -> str:
    """'45 s', '4 min 10 s', '2 h 5 min', '3 d 4 h'."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        minutes, rest = divmod(s, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    if s < 86_400:
        hours, rest = divmod(s, 3600)
        minutes = rest // 60
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, rest = divmod(s, 86_400)
    hours = rest // 3600
    return f"{days} d {hours} h" if hours else f"{days} d"


def _of(count: int, total: int, singular: str, plural: str) -> str:
    """'the photo was', '2 of 3 photos were', 'all 3 photos were' (with the verb given)."""
    if total == 1:
        return f"the photo {singular}"
    if count == total:
        return f"all {total} photos {plural}"
    return f"{count} of {total} photos {plural}"
