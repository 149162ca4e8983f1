"""The demo data set: one part per county, built eagerly for the city, lazily for the province.

A part is self-contained (every relationship joins two nodes of the same
part), so a loader can write one part's nodes and then its relationships and
move on. The city data set (Tengzhou, ~106k nodes, ~210k relationships) is
built once and kept; the province (151 counties, 53 times Tengzhou's villages)
is generated one county at a time each time it is iterated, so memory stays
that of the largest county.

In the province, counties other than Tengzhou get a quarter of Tengzhou's
density of children in care (and so of visits, guardians, services…): at full
density Shandong is 5.6 M nodes and 11 M relationships, ~30 min to load and
5.4 GB of server memory here. Tengzhou itself is generated in full, identical
to the city data set, so the demo accounts see the same data at either scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, get_args

from hub.demo.county import build_county
from hub.demo.divisions import TENGZHOU_CODE, CountyDivision, shandong, tengzhou
from hub.demo.rows import DemoPart, NodeRow, RelKey, RelRow

Scale = Literal["city", "province"]
SCALES: tuple[str, ...] = get_args(Scale)
#: Density of children in care, relative to Tengzhou, of the province's other counties.
PROVINCE_CARE_DENSITY = 0.25


def care_density(county_code: str) -> float:
    """Full density for Tengzhou, :data:`PROVINCE_CARE_DENSITY` elsewhere."""
    return 1.0 if county_code == TENGZHOU_CODE else PROVINCE_CARE_DENSITY


class DemoDataSet:
    """Rows per label and per relationship triple, grouped by county, in load order."""

    def __init__(self, seed: int, scale: Scale, counties: tuple[CountyDivision, ...]) -> None:
        self.seed = seed
        self.scale = scale
        self.counties = counties
        self._parts: tuple[DemoPart, ...] | None = None
        if scale == "city":
            self._parts = tuple(build_county(seed, c, care_density(c.code)) for c in counties)

    @property
    def eager(self) -> bool:
        """True when every row is held in memory (the city scale)."""
        return self._parts is not None

    def parts(self) -> Iterator[DemoPart]:
        """The parts in load order; generated afresh on each call unless eager."""
        if self._parts is not None:
            yield from self._parts
            return
        for county in self.counties:
            yield build_county(self.seed, county, care_density(county.code))

    def part(self, county_code: str) -> DemoPart:
        """The part of one county (generated on demand unless eager)."""
        for county in self.counties:
            if county.code == county_code:
                if self._parts is not None:
                    return next(p for p in self._parts if p.county_code == county_code)
                return build_county(self.seed, county, care_density(county.code))
        raise KeyError(county_code)

    def nodes(self, label: str) -> Iterator[NodeRow]:
        """Every node row of ``label``, across parts."""
        for part in self.parts():
            yield from part.nodes.get(label, ())

    def rels(self, key: RelKey) -> Iterator[RelRow]:
        """Every relationship row of the triple ``key``, across parts."""
        for part in self.parts():
            yield from part.rels.get(key, ())


def build_demo(seed: int = 2024, scale: Scale = "city") -> DemoDataSet:
    """The deterministic demo data set: Tengzhou (``city``) or all of Shandong (``province``).

    Same seed, same rows, on any machine and day: every random draw comes from
    a ``random.Random`` seeded by ``seed`` and a county code, and every instant
    is placed relative to the fixed "now" of :mod:`hub.demo.clock`.
    """
    if scale == "city":
        return DemoDataSet(seed, scale, (tengzhou(),))
    if scale == "province":
        return DemoDataSet(seed, scale, shandong())
    raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
