"""Active screening (疑似困境儿童排查): from other systems' signals to verification tasks.

"From passive approval to active discovery": after each sync, every child's
facts are read (:data:`graph.queries.screening.FACTS`, a page at a time),
turned into named signals (:mod:`schema.care.screening_signals`) and matched
against the configured rules (:mod:`schema.care.screening_rules`). A child a
rule matches gets a ``Screening`` flag (outcome ``pending``) assigned to the
director responsible for them, who must verify it within the rule's working
days; a child without any category yet is marked 疑似困境儿童.

A run is idempotent: a child with an open flag, or with a decided one for the
same rule version and the same signals, gets no new flag, and a flag's id is
derived from what it says (child, rule version, signals), so a run retried
after a failure writes the same nodes. All writes are ``UNWIND`` batches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import GraphStore
from graph.model import CST, period_of
from graph.queries import screening as q
from schema.care.screening_rules import SUSPECTED, Rule, RuleSet, add_working_days
from schema.care.screening_signals import (
    SIGNALS,
    ChildFacts,
    Origins,
    derive_signals,
    origins_of,
)

PENDING, CONFIRMED, CLEARED = "pending", "confirmed", "cleared"
#: Directors with these statuses left office: flags are not assigned to them.
GONE = ("离任", "已离任", "resigned", "left")
#: Who made the records a run writes (``CategoryChange.actor``, ``Screening.decidedBy``).
ACTOR = "screening"


@dataclass
class ScreeningReport:
    """What one run did. ``flags`` and ``unassigned_flags`` are Screening ids."""

    rule_version: str
    checked: int = 0  # children read (those who left the program are not counted)
    matched: int = 0  # children a rule matched
    covered: int = 0  # matched only by rules for categories the child already has
    flagged: int = 0  # new flags opened
    already_open: int = 0  # matched, but an open flag exists
    already_decided: int = 0  # matched, decided before for this rule version and these signals
    unassigned: int = 0  # new flags with no responsible director
    suspected: int = 0  # children newly marked 疑似困境儿童
    flags: list[str] = field(default_factory=list)
    unassigned_flags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ruleVersion": self.rule_version,
            "checked": self.checked,
            "matched": self.matched,
            "covered": self.covered,
            "flagged": self.flagged,
            "alreadyOpen": self.already_open,
            "alreadyDecided": self.already_decided,
            "unassigned": self.unassigned,
            "suspected": self.suspected,
            "flags": list(self.flags),
            "unassignedFlags": list(self.unassigned_flags),
        }


@dataclass(frozen=True)
class Finding:
    """A child the rules flag: which rules, on which signals, explained by which facts."""

    facts: ChildFacts
    rules: tuple[Rule, ...]
    signals: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def category(self) -> str:
        return self.rules[0].suggest

    @property
    def due_days(self) -> int:
        return min(r.due_days for r in self.rules)


def evaluate(
    facts: ChildFacts, rules: RuleSet, origins: Origins | None = None
) -> tuple[Finding | None, bool]:
    """The child's finding (None if no rule applies) and whether any rule matched at all.

    ``origins`` names the systems behind the child's fields (:func:`origins_of`).
    """
    explained = derive_signals(facts, origins)
    present = frozenset(explained)
    matched = [r for r in rules.rules if r.matches(present)]
    held = set(facts.categories)
    applying = tuple(r for r in matched if not held.intersection(r.unless))
    if not applying:
        return None, bool(matched)
    used = frozenset(s for r in applying for s in r.signals) & present
    signals = tuple(s for s in SIGNALS if s in used)
    reasons = tuple(
        f"{r.id}: {s} ← {'; '.join(explained[s])}"
        for r in applying
        for s in SIGNALS
        if s in r.signals and s in present
    )
    return Finding(facts, applying, signals, reasons), True


def flag_id(child_id: str, rule_version: str, signals: Sequence[str]) -> str:
    """A flag's id: the same child, rule version and signals always give the same id."""
    digest = hashlib.sha256(f"{child_id}|{rule_version}|{','.join(signals)}".encode())
    return f"screening-{digest.hexdigest()[:24]}"


def due_date(now_ms: int, working_days: int) -> str:
    today = dt.datetime.fromtimestamp(now_ms / 1000, CST).date()
    return add_working_days(today, working_days).isoformat()


async def run_screening(
    store: GraphStore,
    rules: RuleSet,
    *,
    now_ms: int,
    child_ids: Iterable[str] | None = None,
    page_size: int = 2000,
) -> ScreeningReport:
    """Screen every child (or only ``child_ids``): open the flags the rules call for."""
    report = ScreeningReport(rule_version=rules.version)
    ids = sorted(set(child_ids)) if child_ids is not None else None
    after = ""
    while True:
        rows = await store.read(q.FACTS, {"ids": ids, "after": after, "limit": page_size})
        if not rows:
            break
        after = str(rows[-1]["id"])
        await _screen_page(store, rules, [ChildFacts.from_row(r) for r in rows], now_ms, report)
        if len(rows) < page_size:
            break
    return report


async def _screen_page(
    store: GraphStore,
    rules: RuleSet,
    children: list[ChildFacts],
    now_ms: int,
    report: ScreeningReport,
) -> None:
    findings: list[Finding] = []
    for facts in children:
        if facts.exited:
            continue
        report.checked += 1
        finding, matched = evaluate(facts, rules)
        if finding is not None:
            report.matched += 1
            findings.append(finding)
        elif matched:
            report.covered += 1
    if not findings:
        return
    current: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await store.read(q.CURRENT_OF, {"ids": [f.facts.id for f in findings]}):
        current[str(row["childId"])].append(row)
    new: list[Finding] = []
    for finding in findings:
        flags = current.get(finding.facts.id, [])
        if any(f["outcome"] == PENDING for f in flags):
            report.already_open += 1
        elif any(_same_decision(f, rules.version, finding.signals) for f in flags):
            report.already_decided += 1
        else:
            new.append(finding)
    if new:
        await _open_flags(store, rules.version, await _explained(store, rules, new), now_ms, report)


async def _explained(store: GraphStore, rules: RuleSet, new: list[Finding]) -> list[Finding]:
    """The findings again, their facts attributed to the systems that gave them."""
    versions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = await store.read(q.SOURCE_VERSIONS, {"ids": [f.facts.id for f in new], "label": "Child"})
    for row in rows:
        versions[str(row["id"])].append((str(row["source"]), str(row["props"])))
    out = []
    for finding in new:
        facts = finding.facts
        again, _ = evaluate(facts, rules, origins_of(facts, versions.get(facts.id, [])))
        out.append(again or finding)
    return out


def _same_decision(flag: dict[str, Any], version: str, signals: tuple[str, ...]) -> bool:
    return flag["ruleVersion"] == version and sorted(flag["signals"] or []) == sorted(signals)


async def _open_flags(
    store: GraphStore, version: str, new: list[Finding], now_ms: int, report: ScreeningReport
) -> None:
    responsible = await store.read(
        q.RESPONSIBLE, {"ids": [f.facts.id for f in new], "gone": list(GONE)}
    )
    director: dict[str, str | None] = {}
    for row in responsible:
        candidates = sorted(str(d) for d in row["paired"] or []) or sorted(
            str(d) for d in row["local"] or []
        )
        director[str(row["childId"])] = candidates[0] if candidates else None
    month, quarter = period_of(now_ms)
    flags, assignments, suspected = [], [], []
    for finding in new:
        child = finding.facts
        sid = flag_id(child.id, version, finding.signals)
        flags.append(
            {
                "id": sid,
                "childId": child.id,
                "props": {
                    "screenedAt": now_ms,
                    "signals": list(finding.signals),
                    "ruleVersion": version,
                    "rules": [r.id for r in finding.rules],
                    "outcome": PENDING,
                    "reasons": list(finding.reasons),
                    "category": finding.category,
                    "dueDate": due_date(now_ms, finding.due_days),
                    "villageCode": child.village_code,
                    "month": month,
                    "quarter": quarter,
                    **_event_fields(sid, now_ms),
                },
            }
        )
        who = director.get(child.id)
        if who is None:
            report.unassigned += 1
            report.unassigned_flags.append(sid)
        else:
            assignments.append({"id": sid, "directorId": who})
        if not child.categories:
            change = f"categorychange-{sid}"
            suspected.append(
                {
                    "id": change,
                    "childId": child.id,
                    "categories": [SUSPECTED],
                    "primaryCategory": SUSPECTED,
                    "props": {
                        "categories": [SUSPECTED],
                        "primaryCategory": SUSPECTED,
                        "previous": [],
                        "reason": f"screening flag {sid}: {', '.join(r.id for r in finding.rules)}",
                        "actor": ACTOR,
                        "changedAt": now_ms,
                        "villageCode": child.village_code,
                        **_event_fields(change, now_ms),
                    },
                }
            )
        report.flagged += 1
        report.flags.append(sid)
    await store.write_rows(q.OPEN, flags)
    if assignments:
        await store.write_rows(q.ASSIGN, assignments)
    if suspected:
        await store.write_rows(q.MARK_SUSPECTED, suspected)
        report.suspected += len(suspected)


def _event_fields(node_id: str, now_ms: int) -> dict[str, Any]:
    """The versioning and provenance every event the hub records carries."""
    return {
        "recordId": node_id,
        "version": 1,
        "recordedAt": now_ms,
        "source": "hub",
        "sourceKey": node_id,
        "seenAt": now_ms,
    }
