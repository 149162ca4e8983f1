"""Danger disclosures: a submission that describes a child in danger becomes a mandatory report.

A member of the public rarely knows the statutory situations (强制报告情形);
they write what they saw. Either they say so (``childInDanger``) or the text
holds one of the configured danger words (打骂, 性侵, 失踪, 轻生…). Then the
submission is not queued with the others: the portal shows at once how to call
110 and the 24-hour line, and the hub files a mandatory report that is routed
at once with its acknowledgement timer (:mod:`schema.care.reports`).

The situation is a best guess from the first word found, in the order of
:data:`SITUATION_OF` (sexual abuse before violence before the rest); the
people on duty correct it when they investigate.
"""

from __future__ import annotations

import unicodedata

from schema.care.reports import ReportSituation

#: Which statutory situation a danger word suggests, most serious first.
SITUATION_OF: tuple[tuple[str, ReportSituation], ...] = (
    ("性侵", ReportSituation.SEXUAL_ABUSE),
    ("猥亵", ReportSituation.SEXUAL_ABUSE),
    ("强奸", ReportSituation.SEXUAL_ABUSE),
    ("自残", ReportSituation.SELF_HARM_RISK),
    ("自杀", ReportSituation.SELF_HARM_RISK),
    ("轻生", ReportSituation.SELF_HARM_RISK),
    ("失踪", ReportSituation.MISSING_OR_TRAFFICKED),
    ("走失", ReportSituation.MISSING_OR_TRAFFICKED),
    ("拐卖", ReportSituation.MISSING_OR_TRAFFICKED),
    ("打骂", ReportSituation.DOMESTIC_VIOLENCE),
    ("殴打", ReportSituation.DOMESTIC_VIOLENCE),
    ("家暴", ReportSituation.DOMESTIC_VIOLENCE),
    ("虐待", ReportSituation.DOMESTIC_VIOLENCE),
    ("烫伤", ReportSituation.DOMESTIC_VIOLENCE),
    ("捆绑", ReportSituation.DOMESTIC_VIOLENCE),
    ("遗弃", ReportSituation.ABANDONMENT),
    ("关在", ReportSituation.NEGLECT),
    ("锁在", ReportSituation.NEGLECT),
    ("饿", ReportSituation.MALNUTRITION),
)


def _folded(text: str) -> str:
    # Full-width and compatibility forms read as their plain characters.
    return unicodedata.normalize("NFKC", text).casefold()


def danger_words_in(text: str, words: tuple[str, ...]) -> list[str]:
    """The configured danger words that ``text`` contains, in the configured order."""
    folded = _folded(text)
    return [w for w in words if _folded(w) in folded]


def situation_of(found: list[str]) -> ReportSituation:
    """The statutory situation the words found suggest (serious harm if none is known)."""
    for word, situation in SITUATION_OF:
        if word in found:
            return situation
    return ReportSituation.OTHER_SERIOUS_HARM
