"""Cell values: text clean-up, dates, months, numbers and ID numbers.

Government exports mix full-width and half-width characters, pad two-character
names with spaces to line them up (``张  三``), keep numbers as text and ID
numbers as numbers, and write one date half a dozen ways. Each converter takes
what calamine or the csv module gives (``str``, ``int``, ``float``, ``bool``,
``date``, ``datetime``, ``time``, ``timedelta``; ``""`` or ``None`` for an empty
cell) and returns a clean value, ``None`` for an empty cell, or raises
:class:`CellError` with a reason for the clerk who fixes the sheet.

Text fields are only made half-width for digits, Latin letters and spaces:
full NFKC would also turn Chinese punctuation (，：（）) and characters like ①
into ASCII look-alikes, which changes free text. Headers, dates, numbers and
ID numbers are structured, so they get full NFKC.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

Cell = str | int | float | bool | date | datetime | time | timedelta | None


class CellError(ValueError):
    """A cell that cannot be read as its field's type (internal: becomes a reject reason)."""


# Full-width digits and Latin letters, the ideographic space and other odd
# spaces → ASCII; zero-width characters (pasted from web pages) → dropped.
_WIDE: dict[int, int | None] = {
    **{cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
    0x00A0: 0x20,
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0xFEFF: None,
}
# Whether a text has anything to translate: cheaper to ask than to translate (non-ASCII).
_WIDE_ANY = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _WIDE) + "]")
_SPACES = re.compile(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces between two Chinese characters only align names in a column.
_HAN_GAP = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_ANY_SPACE = re.compile(r"[\s\u200b-\u200d\ufeff]+")


def clean_text(text: str) -> str:
    """Half-width digits, letters and spaces; runs of spaces and line breaks made one space.

    ``" 张\u3000 三 "`` → ``"张三"``; ``"荆河街道\\n荆庄社区"`` → ``"荆河街道荆庄社区"``;
    ``"ＡＢ１２"`` → ``"AB12"``; ``"Room 3"`` stays.
    """
    if not text.isascii() and _WIDE_ANY.search(text):
        text = text.translate(_WIDE)
    text = text.strip()
    # Most cells have no space and no control character: skip the regexes.
    if " " in text or not text.isprintable():
        text = _SPACES.sub(" ", text).strip()
        if " " in text and not text.isascii():
            text = _HAN_GAP.sub("", text)
    return text


def header_key(value: object) -> str:
    """A header as compared: NFKC, no spaces or line breaks, no ``*`` marks, case-folded."""
    text = unicodedata.normalize("NFKC", str(value))
    return _ANY_SPACE.sub("", text).strip("*※").casefold()


_LINE_BREAK = re.compile(r"[ \t\u3000]*[\r\n]+[ \t\u3000]*")


def header_text(value: Cell) -> str:
    """A header as shown in messages: one line, half-width, as typed otherwise.

    A line break in a header cell only wraps it (``保障金额\n（元/月）``): dropped.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(_LINE_BREAK.sub("", str(value)))


_BLANKS = " \t\r\n\x0b\x0c\u3000\xa0\u200b\u200c\u200d\ufeff"
# What clerks write in a cell for "none": dashes and slashes in any column;
# 无 and 不详 too where a date, number or ID is expected (in a text column
# they are an answer: 残疾情况 无).
_DASHES = frozenset({"/", "\\", "-", "--", "—", "——", "－", "／"})
_PLACEHOLDERS = _DASHES | {"无", "暂无", "不详", "null", "NULL"}


def is_empty(value: Cell) -> bool:
    """``None``, ``""`` and cells holding only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(_BLANKS)
    return False


def _is_none(value: Cell) -> bool:
    """Empty, or a placeholder for "none" (``/``, ``—``, ``无``) in a typed column."""
    if isinstance(value, str):
        text = value.strip(_BLANKS)
        return not text or unicodedata.normalize("NFKC", text) in _PLACEHOLDERS
    return value is None


def text_value(value: Cell) -> str | None:
    """Any cell as text: numbers without a trailing ``.0``, dates in ISO 8601."""
    if value is None:
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text if text and text not in _DASHES else None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 10**_EXACT_DIGITS:
            return str(int(value))
        return repr(value)  # 3.704812010050312e+17, not digits made up by the float
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --- dates -------------------------------------------------------------------

_TIME = r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = re.compile(
    r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"|[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?)" + _TIME
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_YM = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月?|[-./]\s*(\d{1,2}))")
_COMPACT_YM = re.compile(r"(\d{4})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)
# An Excel serial with five digits (1927-05-18 .. 2099-12-31): a smaller
# number in a date column is a year or a typo, not a date.
_SERIAL_MIN, _SERIAL_MAX = 10000, 73050


def _from_serial(serial: float, raw: object) -> date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise CellError(f"{raw!r} is not a date")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _ymd(year: str, month: str, day: str, raw: object) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"{raw!r} is not a valid date") from None


def date_value(value: Cell) -> date | None:
    """``2023年5月1日``, ``2023.5.1``, ``2023/05/01``, ``2023-5-1``, ``20230501``, Excel serials."""
    if type(value) is str:
        return _date_of_text(value)
    if _is_none(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{text_value(value)!r} is not a date")
    if isinstance(value, int | float):
        if isinstance(value, int) or value.is_integer():
            digits = str(int(value))
            if len(digits) == 8:
                return _ymd(digits[:4], digits[4:6], digits[6:], value)
        return _from_serial(float(value), text_value(value))
    return _date_of_text(value)


# A column of dates repeats them (birth dates, visit days): each text is read once.
# 16k entries (~3 MB) hold every day of 44 years.
@functools.lru_cache(maxsize=1 << 14)
def _date_of_text(value: str) -> date | None:
    if _is_none(value):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if match := _YMD.fullmatch(text):
        year, m1, d1, m2, d2 = match.groups()
        return _ymd(year, m1 or m2, d1 or d2, value.strip())
    if match := _COMPACT.fullmatch(text):
        year, month, day = match.groups()
        return _ymd(year, month, day, value.strip())
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text), value.strip())
    raise CellError(f"{value.strip()!r} is not a date")


def month_value(value: Cell) -> str | None:
    """A calendar month as ``YYYY-MM``: ``2026年3月``, ``2026-03``, ``2026.3``, ``202603``, dates.

    A month typed as ``2026.1`` into a spreadsheet becomes the number 2026.1,
    which could be January or October (``2026.10``): it is refused.
    """
    if _is_none(value):
        return None
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and 1900 < value < 2100 and not value.is_integer():
        text = repr(value)
        month = text.split(".", 1)[1]
        if month == "1":
            raise CellError(f"{text} stored as a number: January or October?")
        return _month(text[:4], month, text)
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value)) if float(value).is_integer() else ""
        if len(digits) == 6:
            return _month(digits[:4], digits[4:], value)
        day = date_value(value)
        assert day is not None
        return f"{day.year:04d}-{day.month:02d}"
    if not isinstance(value, str):
        raise CellError(f"{text_value(value)!r} is not a month")
    text = unicodedata.normalize("NFKC", value).strip()
    if match := _YM.fullmatch(text):
        year, m1, m2 = match.groups()
        return _month(year, m1 or m2, value.strip())
    if match := _COMPACT_YM.fullmatch(text):
        year, month = match.groups()
        return _month(year, month, value.strip())
    try:
        day = date_value(value)
    except CellError:
        raise CellError(f"{value.strip()!r} is not a month") from None
    assert day is not None
    return f"{day.year:04d}-{day.month:02d}"


def _month(year: str, month: str, raw: object) -> str:
    if not 1 <= int(month) <= 12:
        raise CellError(f"{raw!r} is not a valid month")
    return f"{int(year):04d}-{int(month):02d}"


# --- numbers -------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")


def number_value(value: Cell) -> int | float | None:
    """An int when whole (``"1,200"``, ``"３５"``, ``35.0`` → 35), else a float; ``元`` allowed."""
    if type(value) is str and value.isascii():
        # Plain ASCII digits (maybe 1,200), as most cells are: what the clean-up below
        # gives them, without the Unicode and space handling they do not need.
        plain = _THOUSANDS.sub("", value) if "," in value else value
        if _NUMBER.fullmatch(plain):
            number = float(plain)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if _is_none(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{text_value(value)!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"{value!r} is not a number")
        return int(value) if value.is_integer() else value
    text = _ANY_SPACE.sub("", unicodedata.normalize("NFKC", value))
    text = _THOUSANDS.sub("", text).removesuffix("元")
    if not _NUMBER.fullmatch(text):
        raise CellError(f"{value.strip()!r} is not a number")
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


# --- identifiers -----------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?E\+?\d+")
# Ways people keep a spreadsheet from turning a long number into a float:
# a leading apostrophe or tab, or a formula ="370481…".
_TEXT_MARKS = re.compile(r"^(?:'|`|=\"|\")|\"$")
# Excel keeps 15 significant digits: a longer number typed into a number cell
# has lost its last digits, and an 18-digit ID number always has.
_EXACT_DIGITS = 15


def id_value(value: Cell) -> str | None:
    """An identifier as text: no spaces, half-width, upper-case ``X`` (not checked here).

    An identifier stored as a number longer than 15 digits, or written in
    scientific notation (``3.70481201001011e+17``), has lost its last digits:
    refused, so a wrong person is never matched.
    """
    if type(value) is str and value.isascii() and value.isalnum():
        # Plain ASCII letters and digits, as most cells are: nothing to clean up.
        if value in _PLACEHOLDERS:
            return None
        text = value.upper()
        if _SCIENTIFIC.fullmatch(text):
            raise CellError(f"ID number lost precision (stored as a number): {value!r}")
        return text
    if _is_none(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{text_value(value)!r} is not an identifier")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"ID number lost precision (stored as a number): {value!r}")
        if abs(value) >= 10**_EXACT_DIGITS:
            raise CellError(f"ID number lost precision (stored as a number): {value!r}")
        return str(int(value))
    text = _ANY_SPACE.sub("", unicodedata.normalize("NFKC", value))
    text = _TEXT_MARKS.sub("", text).upper()
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(f"ID number lost precision (stored as a number): {value.strip()!r}")
    return text or None
