"""Synthetic identity numbers that pass the real validators.

Connectors and masking code check resident ID numbers (GB 11643-1999) and
unified social credit codes (GB 32100-2015); demo data that fails those checks
would be rejected or exercise the wrong path, so the numbers here are made
with the real check characters. None of them belongs to a real person or body.
"""

from __future__ import annotations

import random
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_check(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("a resident ID number starts with 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(number: str) -> bool:
    """True when ``number`` is 18 characters with a valid birth date and check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return resident_id_check(number[:17]) == number[17]


class ResidentIds:
    """Issues unique resident ID numbers for one region.

    The sequence digits are odd for men and even for women, as in real numbers,
    which masking and validation code may rely on.
    """

    def __init__(self, region_code: str, rng: random.Random) -> None:
        if len(region_code) != 6 or not region_code.isdigit():
            raise ValueError("a resident ID region code has 6 digits")
        self._region = region_code
        self._rng = rng
        self._issued: set[str] = set()

    def issue(self, birth: date, male: bool) -> str:
        prefix = f"{self._region}{birth:%Y%m%d}"
        for _ in range(1000):
            seq = self._rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{prefix}{seq:03d}"
            number = first17 + resident_id_check(first17)
            if number not in self._issued:
                self._issued.add(number)
                return number
        raise RuntimeError(f"no resident ID left for {prefix}")  # pragma: no cover


# GB 32100-2015 unified social credit code.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 organisation code (characters 9–17 of the credit code).
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check(first17: str) -> str:
    """The GB 32100-2015 check character of a credit code's first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when ``code`` is 18 characters with valid GB 11714 and GB 32100 check characters."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    org = code[8:17]
    if org[8] != _org_code_check(org[:8]):
        return False
    return credit_code_check(code[:17]) == code[17]


def credit_code(rng: random.Random, authority: str, kind: str, region_code: str) -> str:
    """A valid-looking unified social credit code.

    ``authority`` and ``kind`` are the registering authority and body type
    (``"5"``, ``"2"`` for a social-service body registered with civil affairs;
    ``"3"``, ``"1"`` for a law firm registered with justice administration).
    """
    body = "".join(rng.choice(_ORG_CHARS[:10] if i < 2 else _ORG_CHARS) for i in range(8))
    org = body + _org_code_check(body)
    first17 = f"{authority}{kind}{region_code}{org}"
    return first17 + credit_code_check(first17)


# Mobile number prefixes in use by the three carriers.
_MOBILE_PREFIXES = (  # noqa: SIM905 - a compact list
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 "
    "166 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
).split()


class Phones:
    """Issues unique mobile numbers (11 digits, carrier prefixes)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def mobile(self) -> str:
        while True:
            number = self._rng.choice(_MOBILE_PREFIXES) + f"{self._rng.randrange(10**8):08d}"
            if number not in self._issued:
                self._issued.add(number)
                return number

    def landline(self, area_code: str) -> str:
        """A fixed-line number in an area code (e.g. ``0632-5512345``)."""
        return f"{area_code}-{self._rng.randrange(2, 9)}{self._rng.randrange(10**6):06d}"
