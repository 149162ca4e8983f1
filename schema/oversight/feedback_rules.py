"""The configurable rules of feedback from the public: deadlines, danger words, hotlines.

The hub builds one :class:`FeedbackRules` from its settings (``WEIBAO_FEEDBACK__…``)
and hands it to every request's context; tests build their own. Deadlines are
counted in Chinese working days (:mod:`schema.core.workdays`): a complaint
submitted on 30 September is due to be accepted on the first working day after
the National Day holiday, not on 1 October.

Defaults follow the common practice of government service lines (12345): one
working day to accept (受理), then a handling time per kind, shortest for a
concern about a child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: The kinds of feedback the public may submit (the GraphQL enum's values).
KINDS: tuple[str, ...] = ("complaint", "suggestion", "concern", "praise")

#: Working days to accept (受理) a submission, counted from the day it was submitted.
DEFAULT_ACCEPT_DAYS: Mapping[str, int] = MappingProxyType(
    {"complaint": 1, "suggestion": 2, "concern": 1, "praise": 3}
)
#: Working days to reply (答复), counted from the day it was accepted (or reopened).
DEFAULT_REPLY_DAYS: Mapping[str, int] = MappingProxyType(
    {"complaint": 10, "suggestion": 15, "concern": 5, "praise": 5}
)
#: Words that make a submission a danger disclosure (a child may be in danger now).
#: Deliberately broad: a false alarm costs a call, a missed one a child.
DEFAULT_DANGER_WORDS: tuple[str, ...] = (
    "打骂",
    "殴打",
    "家暴",
    "虐待",
    "性侵",
    "猥亵",
    "强奸",
    "失踪",
    "走失",
    "拐卖",
    "自残",
    "自杀",
    "轻生",
    "遗弃",
    "饿",
    "关在",
    "锁在",
    "捆绑",
    "烫伤",
)


@dataclass(frozen=True)
class FeedbackRules:
    """What the hub's settings decide about feedback (frozen: a shared default is safe)."""

    accept_days: Mapping[str, int] = field(default_factory=lambda: DEFAULT_ACCEPT_DAYS)
    reply_days: Mapping[str, int] = field(default_factory=lambda: DEFAULT_REPLY_DAYS)
    #: The longest extension one approval may grant, in working days.
    max_extension_days: int = 20
    danger_words: tuple[str, ...] = DEFAULT_DANGER_WORDS
    #: Shown at once to someone disclosing a child in danger.
    police_number: str = "110"
    hotline_number: str = "12345"
    hotline_name: str = "滕州市未成年人保护24小时热线"
    #: argon2id cost of an access code's hash (OWASP's minimum: 2 passes over 19 MiB);
    #: each submission hashes once and each status look-up verifies once (~45 ms).
    hash_time_cost: int = 2
    hash_memory_kib: int = 19 * 1024

    def __post_init__(self) -> None:
        for name, days in (("accept_days", self.accept_days), ("reply_days", self.reply_days)):
            missing = [k for k in KINDS if k not in days]
            if missing:
                raise ValueError(f"feedback {name} lacks the kinds {missing}")
            if any(not 1 <= d <= 60 for d in days.values()):
                raise ValueError(f"feedback {name} must be 1 to 60 working days")
        if not 1 <= self.max_extension_days <= 60:
            raise ValueError("feedback max_extension_days must be 1 to 60 working days")
        if not all(w.strip() for w in self.danger_words):
            raise ValueError("feedback danger_words may not hold blank words")
