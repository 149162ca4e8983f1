"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, validate, upgrade, mask.

An 18-character number is ``RRRRRR YYYYMMDD SSS C``: the region where it was
issued, the birth date, a sequence (odd for men, even for women) and a check
character (ISO 7064 MOD 11-2). Numbers issued before 1999 have 15 digits
(``RRRRRR YYMMDD SSS``, year 19YY, no check character); they are upgraded to
18 the way the public-security system does it.

Real exports are messy: full-width digits typed with a Chinese input method,
a lower-case ``x``, spaces and hyphens for readability, numbers that a
spreadsheet turned into ``3.70481E+17``. :func:`parse` says precisely what is
wrong, because its reasons end up on reject reports read by clerks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "IdError",
    "IdNumber",
    "check_character",
    "mask",
    "normalise",
    "parse",
    "upgrade15",
    "validate",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# GB/T 2260 province-level codes (the first two digits of a region code).
_PROVINCE_TEXT = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82"
)
_PROVINCES = frozenset(_PROVINCE_TEXT.split())

# Separators people type for readability, and look-alikes of X (× is the
# multiplication sign some input methods offer for "x").
_DROP = re.compile(r"[\s\-‐‑‒–—―_]+")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")

Gender = Literal["male", "female"]


@dataclass(frozen=True)
class IdNumber:
    """A valid resident ID number and what it says about its holder."""

    value: str  # 18 characters, upper-case X
    birth_date: date
    gender: Gender
    region: str  # the 6-digit region code where the number was issued
    upgraded: bool = False  # given with 15 digits and upgraded to 18

    @property
    def note(self) -> str | None:
        """Not a failure, but worth recording with the record's provenance."""
        return "15-digit number upgraded" if self.upgraded else None


@dataclass(frozen=True)
class IdError:
    """Why a value is not a valid resident ID number (shown to the clerks who fix it)."""

    reason: str


def normalise(raw: object) -> str:
    """The canonical text of a typed number: half-width, upper-case ``X``, no separators.

    ``"３７０４８１ 20100503-123x "`` → ``"37048120100503123X"``. Anything not a
    string (an int from a spreadsheet cell) is turned into text first; ``None`` becomes ``""``.
    """
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    text = text.replace("×", "X")
    return _DROP.sub("", text).upper()


def check_character(first17: str) -> str:
    """The check character of 17 digits (``"10X98765432"[Σ digit·weight mod 11]``)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("the check character is computed over 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def upgrade15(id15: str) -> str:
    """An old 15-digit number as 18: ``19`` inserted before the year, check character added."""
    if len(id15) != 15 or not id15.isascii() or not id15.isdigit():
        raise ValueError("a 15-digit resident ID number has 15 digits")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + check_character(first17)


def validate(id18: str, *, today: date | None = None) -> bool:
    """True when ``id18`` is a valid 18-character number as stored (normalise first)."""
    return len(id18) == 18 and isinstance(_parse18(id18, today or date.today()), IdNumber)


def parse(raw: object, *, today: date | None = None) -> IdNumber | IdError:
    """Normalise and check a typed number; a 15-digit one is upgraded (not a failure).

    The reasons name the first problem found: ``"missing"``, ``"wrong length: 17
    characters (expected 18, or 15 for an old number)"``, ``"bad character 'O' at
    position 9"``, ``"unknown province code 99"``, ``"impossible birth date
    20100230"``, ``"birth date 2031-01-01 is in the future"``, ``"bad checksum:
    expected 3, got 5"``.
    """
    value = normalise(raw)
    if not value:
        return IdError("missing")
    if _SCIENTIFIC.match(value):
        return IdError(f"number in scientific notation ({value}): digits were lost")
    reference = today or date.today()
    if len(value) == 15:
        if bad := _bad_character(value, allow_x=False):
            return bad
        upgraded = _parse18(upgrade15(value), reference)
        if isinstance(upgraded, IdNumber):
            return IdNumber(
                upgraded.value, upgraded.birth_date, upgraded.gender, upgraded.region, True
            )
        return upgraded
    if len(value) != 18:
        return IdError(
            f"wrong length: {len(value)} characters (expected 18, or 15 for an old number)"
        )
    return _parse18(value, reference)


def mask(id_number: str) -> str:
    """``370481201005031234`` → ``370481********1234``: region and last four kept."""
    value = normalise(id_number)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def _bad_character(value: str, *, allow_x: bool) -> IdError | None:
    for position, char in enumerate(value, start=1):
        last = position == len(value)
        if not ("0" <= char <= "9" or (allow_x and last and char == "X")):
            return IdError(f"bad character {char!r} at position {position}")
    return None


def _parse18(value: str, today: date) -> IdNumber | IdError:
    if bad := _bad_character(value, allow_x=True):
        return bad
    if value[:2] not in _PROVINCES:
        return IdError(f"unknown province code {value[:2]}")
    digits = value[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return IdError(f"impossible birth date {digits}")
    if birth > today:
        return IdError(f"birth date {birth.isoformat()} is in the future")
    if birth.year < 1900:
        return IdError(f"birth date {birth.isoformat()} is before 1900")
    expected = check_character(value[:17])
    if value[17] != expected:
        return IdError(f"bad checksum: expected {expected}, got {value[17]}")
    gender: Gender = "male" if int(value[16]) % 2 else "female"
    return IdNumber(value, birth, gender, value[:6])
