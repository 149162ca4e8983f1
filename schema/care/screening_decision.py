"""Verifying a screening flag: confirmed or cleared, recorded as a new version of the flag.

The flag itself is never edited: the decision is a correction
(:func:`graph.queries.events.correction`) carrying the unchanged fields and
the outcome, category, reasons, when and by whom; the new version keeps the
flag's child and director. The child's categories follow, with a
``CategoryChange`` saying why and who. Who may decide is the caller's
business (:mod:`schema.care.screening_api`); this module checks the decision.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph import GraphStore
from graph.queries import events
from graph.queries import screening as q
from schema.care.screening import CLEARED, CONFIRMED, PENDING
from schema.care.screening_rules import SUSPECTED
from schema.errors import BadArgument

#: Categories a verification may confirm, most serious first (the primary category
#: of a child is the most serious it has).
CATEGORIES = ("孤儿", "事实无人抚养儿童", "困境儿童", "留守儿童")
_RANK = {c: n for n, c in enumerate((*CATEGORIES, SUSPECTED))}
#: A flag's fields a decision carries over unchanged.
_KEPT = ("screenedAt", "signals", "ruleVersion", "rules", "dueDate", "villageCode", "month",
         "quarter")  # fmt: skip
APPLICATION = "application"
SCREENING = "screening"


@dataclass(frozen=True)
class Flag:
    """A screening as a decision needs it: its fields, child and directors."""

    id: str
    record_id: str
    version: int
    superseded: bool
    fields: dict[str, Any]
    child_id: str | None
    categories: tuple[str, ...]
    primary_category: str | None
    found_by: str | None
    village_code: str | None
    directors: tuple[str, ...]
    other_open: int

    @property
    def outcome(self) -> str | None:
        value = self.fields.get("outcome")
        return None if value is None else str(value)


async def load_flag(store: GraphStore, screening_id: str) -> Flag | None:
    """The screening ``screening_id`` (any version), or None if there is none."""
    rows = await store.read(q.FOR_DECISION, {"id": screening_id, "pending": PENDING})
    if not rows:
        return None
    row = rows[0]
    fields = dict(row["screening"])
    return Flag(
        id=str(fields["id"]),
        record_id=str(fields.get("recordId") or fields["id"]),
        version=int(fields.get("version") or 1),
        superseded=fields.get("supersededAt") is not None,
        fields=fields,
        child_id=None if row["childId"] is None else str(row["childId"]),
        categories=tuple(str(c) for c in row["categories"] or ()),
        primary_category=row["primaryCategory"],
        found_by=row["foundBy"],
        village_code=row["childVillage"] or fields.get("villageCode"),
        directors=tuple(sorted(str(d) for d in row["directors"] or ())),
        other_open=int(row["otherOpen"] or 0),
    )


def primary_of(categories: Sequence[str]) -> str | None:
    """The most serious of a child's categories."""
    if not categories:
        return None
    return min(categories, key=lambda c: _RANK.get(c, len(_RANK)))


async def decide(
    store: GraphStore,
    flag: Flag,
    *,
    outcome: str,
    category: str | None,
    reasons: Sequence[str],
    actor: str,
    now_ms: int,
) -> str:
    """Record the decision on ``flag``; the id of the new version.

    :class:`BadArgument` when the flag is not the current, pending version, a
    confirmation names no known category, or no reason is given.
    """
    if flag.superseded:
        raise BadArgument("this version of the screening was superseded; decide on the current one")
    if flag.outcome != PENDING:
        raise BadArgument(f"the screening was already decided ({flag.outcome})")
    if outcome not in (CONFIRMED, CLEARED):  # pragma: no cover - the GraphQL enum guards it
        raise BadArgument(f"unknown outcome {outcome!r}")
    if outcome == CONFIRMED and category not in CATEGORIES:
        raise BadArgument(f"confirming needs the child's category: one of {', '.join(CATEGORIES)}")
    if category is not None and category not in CATEGORIES:
        raise BadArgument(f"category must be one of {', '.join(CATEGORIES)}")
    stated = [r.strip() for r in reasons if r.strip()]
    if not stated:
        raise BadArgument("state the reasons for the decision")
    if flag.child_id is None:  # pragma: no cover - flags are always written with their child
        raise BadArgument("the screening has no child")
    new_id = f"{flag.record_id}~v{flag.version + 1}"
    props: dict[str, Any] = {
        **{k: flag.fields[k] for k in _KEPT if flag.fields.get(k) is not None},
        "outcome": outcome,
        "category": category or flag.fields.get("category"),
        "reasons": stated,
        "decidedAt": now_ms,
        "decidedBy": actor,
        "source": "hub",
        "sourceKey": new_id,
        "seenAt": now_ms,
    }
    props = {k: v for k, v in props.items() if v is not None}
    rows, _ = await store.write(
        events.correction("Screening"),
        {"oldId": flag.id, "newId": new_id, "props": props, "at": now_ms},
    )
    if not rows:
        raise BadArgument("the screening was decided meanwhile; reload it")
    await store.write(q.CARRY_LINKS, {"newId": new_id})
    await _update_child(store, flag, new_id, outcome, category, stated, actor, now_ms)
    return new_id


async def _update_child(
    store: GraphStore,
    flag: Flag,
    new_id: str,
    outcome: str,
    category: str | None,
    reasons: list[str],
    actor: str,
    now_ms: int,
) -> None:
    before = list(flag.categories)
    after = [c for c in before if c != SUSPECTED or flag.other_open > 0]
    found_by = flag.found_by
    if outcome == CONFIRMED:
        assert category is not None  # checked by decide()
        if category not in after:
            after.append(category)
        if found_by != APPLICATION:
            found_by = SCREENING
    primary = primary_of(after)
    if outcome == CLEARED and flag.primary_category in after:
        primary = flag.primary_category
    if (after, primary, found_by) == (before, flag.primary_category, flag.found_by):
        return
    change_id = f"categorychange-{new_id}"
    values = {"categories": after, "primaryCategory": primary, "foundBy": found_by}
    await store.write(
        q.SET_CATEGORIES,
        {
            "childId": flag.child_id,
            "categories": after,
            "primaryCategory": primary,
            "foundBy": found_by,
            "changeId": change_id,
            "source": q.DECISION_SOURCE,
            "values": json.dumps(values, ensure_ascii=False, sort_keys=True),
            "at": now_ms,
            "props": {
                "categories": after,
                "primaryCategory": primary,
                "previous": before,
                "reason": f"screening {flag.record_id} {outcome}: {'; '.join(reasons)}",
                "actor": actor,
                "changedAt": now_ms,
                "villageCode": flag.village_code,
                "recordId": change_id,
                "version": 1,
                "recordedAt": now_ms,
                "source": "hub",
                "sourceKey": change_id,
                "seenAt": now_ms,
            },
        },
    )
