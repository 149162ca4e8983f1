"""The real administrative divisions the demo is built on, read from package data.

The towns and villages are real (NBS 2023 statistical division codes, see
``data/SOURCE.md``) so that the demo shows the program's actual map; only the
people and events are synthetic. Files are read through importlib.resources so
the data set builds the same from a checkout, a wheel or any working directory.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

TENGZHOU_CODE = "370481"
SHANDONG_CODE = "37"


@dataclass(frozen=True)
class VillageDivision:
    """A village (村) or community (社区) committee."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class TownDivision:
    """A town (镇/乡) or sub-district (街道) with its villages, in code order."""

    code: str
    name: str
    kind: str
    villages: tuple[VillageDivision, ...]


@dataclass(frozen=True)
class CountyDivision:
    """A county-level division with its towns, in code order."""

    code: str
    name: str
    city_code: str
    towns: tuple[TownDivision, ...]

    @property
    def village_count(self) -> int:
        return sum(len(t.villages) for t in self.towns)

    def villages(self) -> Iterator[tuple[TownDivision, VillageDivision]]:
        for town in self.towns:
            for village in town.villages:
                yield town, village


def village_kind(name: str) -> str:
    """社区 for residents' committees and communities, 村 for village committees."""
    if "社区" in name or "居委会" in name or "居民委员会" in name:
        return "社区"
    return "村"


def town_kind(name: str) -> str:
    """街道, 镇 or 乡 from the name's ending (其他 for development zones and the like)."""
    if name.endswith(("街道", "办事处")):
        return "街道"
    if name.endswith("镇"):
        return "镇"
    if name.endswith("乡"):
        return "乡"
    return "其他"


def _rows(text: Iterable[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(text))


def _counties(rows: list[dict[str, str]]) -> tuple[CountyDivision, ...]:
    villages: dict[str, list[VillageDivision]] = {}
    towns: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        if row["level"] == "village":
            villages.setdefault(row["parent_code"], []).append(
                VillageDivision(row["code"], row["name"], village_kind(row["name"]))
            )
        elif row["level"] == "town":
            towns.setdefault(row["parent_code"], []).append((row["code"], row["name"]))
    counties = []
    for row in rows:
        if row["level"] != "county":
            continue
        county_towns = tuple(
            TownDivision(
                code,
                name,
                town_kind(name),
                tuple(sorted(villages.get(code, []), key=lambda v: v.code)),
            )
            for code, name in sorted(towns.get(row["code"], []))
        )
        counties.append(CountyDivision(row["code"], row["name"], row["parent_code"], county_towns))
    return tuple(sorted(counties, key=lambda c: c.code))


def _data_file(name: str) -> resources.abc.Traversable:
    return resources.files("hub.demo") / "data" / name


@cache
def tengzhou() -> CountyDivision:
    """Tengzhou (370481): 21 towns, 1,180 villages."""
    text = _data_file("tengzhou.csv").read_text(encoding="utf-8")
    (county,) = _counties(_rows(io.StringIO(text, newline="")))
    return county


@cache
def shandong() -> tuple[CountyDivision, ...]:
    """Every county of Shandong (37), in code order."""
    with (
        _data_file("shandong.csv.gz").open("rb") as raw,
        gzip.open(raw, "rb") as unzipped,
        io.TextIOWrapper(unzipped, encoding="utf-8", newline="") as handle,
    ):
        return _counties(_rows(handle))


# Shandong's prefecture-level cities, for addresses (山东省枣庄市滕州市…).
CITY_NAMES: dict[str, str] = {
    "3701": "济南市",
    "3702": "青岛市",
    "3703": "淄博市",
    "3704": "枣庄市",
    "3705": "东营市",
    "3706": "烟台市",
    "3707": "潍坊市",
    "3708": "济宁市",
    "3709": "泰安市",
    "3710": "威海市",
    "3711": "日照市",
    "3713": "临沂市",
    "3714": "德州市",
    "3715": "聊城市",
    "3716": "滨州市",
    "3717": "菏泽市",
}

# Telephone area codes of Shandong's cities, for stations' and centres' fixed lines.
AREA_CODES: dict[str, str] = {
    "3701": "0531",
    "3702": "0532",
    "3703": "0533",
    "3704": "0632",
    "3705": "0546",
    "3706": "0535",
    "3707": "0536",
    "3708": "0537",
    "3709": "0538",
    "3710": "0631",
    "3711": "0633",
    "3713": "0539",
    "3714": "0534",
    "3715": "0635",
    "3716": "0543",
    "3717": "0530",
}
