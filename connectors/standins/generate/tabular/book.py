"""Small helpers to write sample workbooks the way town offices lay them out.

xlsxwriter (for .xlsx) and xlwt (for legacy .xls) are development
dependencies: only the sample generators use them.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from connectors.standins.generate import civil_affairs

#: A fixed creation time, so a regenerated workbook is the same bytes.
CREATED = datetime(2026, 3, 5, 9, 0, 0)

_WIDE_DIGITS = str.maketrans("0123456789xX", "０１２３４５６７８９ｘＸ")


def full_width(text: str) -> str:
    """Digits (and x) as typed with a Chinese input method in full-width mode."""
    return text.translate(_WIDE_DIGITS)


def padded(name: str) -> str:
    """A two-character name padded to line up with three-character ones: ``张  伟``."""
    return f"{name[0]}  {name[1]}" if len(name) == 2 else name


def date_text(day: date, style: int) -> str:
    """One date, written the ways clerks write it."""
    return [
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month}.{day.day}",
        f"{day:%Y/%m/%d}",
        f"{day:%Y%m%d}",
        f"{day.year}-{day.month}-{day.day}",
    ][style % 5]


def new_workbook(path: str) -> Any:
    """An .xlsx workbook with fixed document properties."""
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": CREATED, "author": "社会事务办", "title": ""})
    return workbook


class Formats:
    """The handful of cell formats a ledger uses."""

    def __init__(self, workbook: Any) -> None:
        self.title = workbook.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.header = workbook.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.cell = workbook.add_format({"border": 1, "valign": "vcenter"})
        self.text = workbook.add_format({"border": 1, "num_format": "@"})
        self.date = workbook.add_format({"border": 1, "num_format": 'yyyy"年"m"月"d"日"'})
        self.iso_date = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        self.month = workbook.add_format({"border": 1, "num_format": 'yyyy"年"m"月"'})
        self.note = workbook.add_format({"text_wrap": True, "valign": "top"})


def as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def rng_for(name: str) -> random.Random:
    """A generator seeded by a fixed string: the same draws on every run."""
    return random.Random(f"weibao-samples:{name}")  # noqa: S311 - reproducible, not secret


@functools.cache
def _platform() -> civil_affairs.CivilAffairs:
    return civil_affairs.generate()


def platform_children() -> list[dict[str, Any]]:
    """The children of the civil-affairs samples (a town's ledger lists the same children)."""
    return _platform().children


def registered_birth(record: dict[str, Any]) -> date:
    """A platform child's birth date as the household register has it: the ID number's.

    (One platform record has a birth date that disagrees with its ID number, on
    purpose; the town's files carry the registered one.)
    """
    digits = str(record["id_number"])[6:14]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return date.fromisoformat(record["birth_date"])
