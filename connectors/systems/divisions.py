"""Division names to codes, for sources that name places instead of coding them.

Ledgers write ``荆庄社区`` or ``西董村`` where the statistical list says
``荆庄社区居民委员会`` / ``西董村民委员会``: names are compared after dropping
the committee suffixes (and a trailing 村), within the town the source covers.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "tengzhou.csv"
_SUFFIXES = ("居民委员会", "村民委员会", "社区居委会", "居委会", "村委会", "委员会")


def short_name(name: str) -> str:
    """``荆庄社区居民委员会`` → ``荆庄社区``; ``西董村民委员会`` / ``西董村`` → ``西董``."""
    text = "".join(name.split())
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if text.endswith("村") and len(text) > 2:
        text = text[:-1]
    return text


@functools.cache
def _table() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    towns: dict[str, str] = {}
    villages: dict[tuple[str, str], str] = {}
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] == "town":
                towns[row["name"]] = row["code"]
                towns[short_name(row["name"])] = row["code"]
            elif row["level"] == "village":
                villages[(row["parent_code"], short_name(row["name"]))] = row["code"]
    return towns, villages


def town_code(name: str) -> str:
    """The code of a town of Tengzhou by its name (``荆河街道``, ``滨湖镇``)."""
    towns, _ = _table()
    code = towns.get("".join(name.split())) or towns.get(short_name(name))
    if code is None:
        raise ValueError(f"{name!r} is not a town or sub-district of 滕州市")
    return code


def village_code(town: str, name: str) -> str:
    """The code of a village of ``town`` (a code) by its name, however it is written."""
    _, villages = _table()
    code = villages.get((town, short_name(name)))
    if code is None:
        raise ValueError(f"{name!r} is not a village or community of town {town}")
    return code
