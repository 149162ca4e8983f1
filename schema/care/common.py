"""Helpers the frontline-care mutations share: ids, instants, regions and plain text.

Text typed into a report or a service record is stored as plain text and
shown by many apps: it is normalised (NFC, ``\\n`` line ends) and stripped of
control and bidirectional-override characters (which can disguise what a
text says). Markup is refused, not silently removed: the writer should know
what was kept. Escaping for HTML is the job of whoever renders the text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import strawberry

from schema.context import Info
from schema.core.filters import epoch_ms
from schema.core.ids import from_global_id
from schema.errors import BadArgument

#: Bidirectional overrides and isolates (Trojan Source), and zero-width characters.
_INVISIBLE = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\ufeff"
)
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")


def key_of(global_id: strawberry.ID, type_name: str, arg: str) -> str:
    """The graph key of a global id that must be of ``type_name``."""
    kind, key = from_global_id(str(global_id))
    if kind != type_name:
        raise BadArgument(f"`{arg}` must be a {type_name}'s id")
    return key


def now_ms(info: Info) -> int:
    """The request's clock, in the graph's instant format (tests set the clock)."""
    return int(info.context.clock() * 1000)


def instant(value: dt.datetime, arg: str) -> int:
    """Epoch ms of a ``DateTime`` argument, which must carry its time zone."""
    try:
        return epoch_ms(value)
    except BadArgument:
        raise BadArgument(f"`{arg}` needs a time zone, e.g. 2026-11-28T08:00:00+08:00") from None


def plain_text(value: str, arg: str, *, minimum: int = 1, maximum: int, lines: bool = True) -> str:
    """``value`` as clean plain text of ``minimum``..``maximum`` characters, or BadArgument."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        if char in _INVISIBLE:
            continue
        if char == "\t":
            kept.append(" ")
        elif char == "\n":
            kept.append("\n" if lines else " ")
        elif unicodedata.category(char) not in ("Cc", "Cs", "Co"):
            kept.append(char)
    text = _BLANK_LINES.sub("\n\n", "".join(kept)).strip()
    if _MARKUP.search(text):
        raise BadArgument(f"`{arg}` must be plain text, without HTML or other markup")
    if len(text) < minimum:
        raise BadArgument(f"`{arg}` needs at least {minimum} characters")
    if len(text) > maximum:
        raise BadArgument(f"`{arg}` is limited to {maximum} characters")
    return text


def optional_text(value: str | None, arg: str, *, maximum: int, lines: bool = True) -> str | None:
    """:func:`plain_text`, with null or blank as None."""
    if value is None:
        return None
    text = plain_text(value, arg, minimum=0, maximum=maximum, lines=lines)
    return text or None
