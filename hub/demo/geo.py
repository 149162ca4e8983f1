"""Synthetic but plausible coordinates: town centres, village points, homes.

The divisions file has no coordinates, so each county gets a frame (a centre
and a bounding box) and places are laid out inside it: sub-districts near the
centre, towns on a ring around it, villages around their town, homes around
their village. Tengzhou's frame is the real city's; other Shandong counties
get a frame derived from their code. Geofence checks run in Python (not in
Cypher, see the FalkorDB notes), with :func:`distance_m`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG_LAT = 111_195.0


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class Frame:
    """A county's centre and the box every one of its coordinates stays in."""

    centre: Point
    lat_min: float
    lat_max: float
    lng_min: float
    lng_max: float

    def clamp(self, point: Point) -> Point:
        return Point(
            min(max(point.lat, self.lat_min), self.lat_max),
            min(max(point.lng, self.lng_min), self.lng_max),
        )

    def contains(self, point: Point) -> bool:
        return (
            self.lat_min <= point.lat <= self.lat_max and self.lng_min <= point.lng <= self.lng_max
        )


#: Tengzhou: the real city centre and a box around the city's territory.
TENGZHOU_FRAME = Frame(Point(35.11, 117.19), 34.9, 35.4, 116.9, 117.6)
# Shandong's rough extent, for counties other than Tengzhou.
_SHANDONG_BOX = (34.6, 37.9, 115.0, 122.2)


def county_frame(code: str) -> Frame:
    """Tengzhou's real frame, or a frame inside Shandong placed by the county code."""
    if code == "370481":
        return TENGZHOU_FRAME
    rng = random.Random(f"frame:{code}")  # noqa: S311 - a reproducible layout, not a secret
    lat_min, lat_max, lng_min, lng_max = _SHANDONG_BOX
    lat = rng.uniform(lat_min + 0.25, lat_max - 0.25)
    lng = rng.uniform(lng_min + 0.3, lng_max - 0.3)
    return Frame(Point(lat, lng), lat - 0.25, lat + 0.25, lng - 0.3, lng + 0.3)


def offset(point: Point, north_m: float, east_m: float) -> Point:
    """``point`` moved by metres north and east (flat-earth, fine at these distances)."""
    lat = point.lat + north_m / _M_PER_DEG_LAT
    lng = point.lng + east_m / (_M_PER_DEG_LAT * math.cos(math.radians(point.lat)))
    return Point(lat, lng)


def near(rng: random.Random, point: Point, sigma_m: float, frame: Frame) -> Point:
    """A point scattered around ``point`` (normal, ``sigma_m`` per axis), kept in the frame."""
    return frame.clamp(offset(point, rng.gauss(0, sigma_m), rng.gauss(0, sigma_m)))


def away(rng: random.Random, point: Point, min_m: float, max_m: float, frame: Frame) -> Point:
    """A point between ``min_m`` and ``max_m`` from ``point``, inside the frame.

    Tries directions until the clamped point is still far enough, so callers
    can rely on the distance (dubious-visit generation needs that).
    """
    for _ in range(64):
        bearing = rng.uniform(0, 2 * math.pi)
        dist = rng.uniform(min_m, max_m)
        moved = frame.clamp(offset(point, dist * math.cos(bearing), dist * math.sin(bearing)))
        if distance_m(point, moved) >= min_m:
            return moved
    return frame.clamp(frame.centre)  # pragma: no cover - the frame is far wider than max_m


def town_centre(rng: random.Random, frame: Frame, index: int, count: int, urban: bool) -> Point:
    """Sub-districts within ~4 km of the centre; towns on a 9–20 km ring by index."""
    if urban:
        return near(rng, frame.centre, 2500, frame)
    bearing = 2 * math.pi * index / max(count, 1) + rng.uniform(-0.2, 0.2)
    dist = rng.uniform(9000, 20000)
    return frame.clamp(offset(frame.centre, dist * math.cos(bearing), dist * math.sin(bearing)))


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlng = math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def rounded(point: Point, places: int = 6) -> Point:
    """Coordinates rounded as stored (6 places is ~0.1 m)."""
    return Point(round(point.lat, places), round(point.lng, places))
