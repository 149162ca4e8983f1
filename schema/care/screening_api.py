"""GraphQL of active screening: verify a flag, run the screening, read the rules.

Open verification tasks are the ``screenings`` list filtered on ``outcome:
"pending"`` (a director sees those of the children paired with them).
"""

from __future__ import annotations

import enum
import functools
from typing import cast

import strawberry

from schema.access import Principal, Role
from schema.care.common import key_of, now_ms
from schema.care.screening import CLEARED, CONFIRMED
from schema.care.screening import run_screening as screen_children
from schema.care.screening_decision import Flag, decide, load_flag
from schema.care.screening_rules import RuleSet, load_rules
from schema.care.screening_signals import SIGNALS
from schema.care.types import Screening
from schema.context import Info
from schema.core.fields import make_object
from schema.core.selection import props_for
from schema.errors import BadArgument, Forbidden

#: The program's staff: who may read the rules and decide on flags (in their scope).
STAFF_ROLES = frozenset({Role.CENTER_ADMIN, Role.STATION_STAFF, Role.SUPERVISOR, Role.DIRECTOR})
_REGIONAL = frozenset({Role.CENTER_ADMIN, Role.STATION_STAFF, Role.SUPERVISOR})


@functools.cache
def shipped_rules() -> RuleSet:
    """The shipped rule set, loaded once."""
    return load_rules()


@strawberry.enum(description="The decision on a screening flag.")
class ScreeningOutcome(enum.Enum):
    CONFIRMED = CONFIRMED
    CLEARED = CLEARED


@strawberry.type(description="What one screening run did.")
class ScreeningRun:
    rule_version: str
    children_checked: int = strawberry.field(description="Children screened")
    matched: int = strawberry.field(description="Children a rule applies to")
    flagged: int = strawberry.field(description="New flags opened")
    already_open: int = strawberry.field(description="Matched, with a flag already open")
    already_decided: int = strawberry.field(
        description="Matched, decided before for this rule version and these signals"
    )
    unassigned: int = strawberry.field(description="New flags with no responsible director")
    suspected: int = strawberry.field(description="Children newly marked 疑似困境儿童")


@strawberry.type(description="A screening rule.")
class ScreeningRule:
    id: str
    description: str
    all: list[str] = strawberry.field(description="Signals that must all be present")
    any: list[str] = strawberry.field(description="Signals of which one must be present")
    unless: list[str] = strawberry.field(description="Not for a child already in these")
    suggest: str = strawberry.field(description="The category a flag suggests")
    due_days: int = strawberry.field(description="Working days to verify a flag in")


@strawberry.type(description="A screening signal: a fact from another system.")
class ScreeningSignal:
    code: str
    description: str


@strawberry.type(description="The screening rules in force, with their version.")
class ScreeningRuleSet:
    version: str
    rules: list[ScreeningRule]
    signals: list[ScreeningSignal]


def _staff(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role in STAFF_ROLES


def _may_decide(principal: Principal, flag: Flag) -> bool:
    """The assigned director, or staff, supervisors and admins whose regions hold the child."""
    if principal.role is Role.DIRECTOR:
        return principal.person_id is not None and principal.person_id in flag.directors
    return principal.role in _REGIONAL and principal.covers(flag.village_code)


@strawberry.type
class ScreeningQueries:
    @strawberry.field(description="The screening rules in force (program staff).")
    def screening_rules(self, info: Info) -> ScreeningRuleSet:
        if not _staff(info.context.access.principal):
            raise Forbidden("screening rules: not available to this reader")
        rules = shipped_rules()
        return ScreeningRuleSet(
            version=rules.version,
            rules=[
                ScreeningRule(
                    id=r.id,
                    description=r.description,
                    all=list(r.all),
                    any=list(r.any),
                    unless=list(r.unless),
                    suggest=r.suggest,
                    due_days=r.due_days,
                )
                for r in rules.rules
            ],
            signals=[ScreeningSignal(code=c, description=d) for c, d in SIGNALS.items()],
        )


@strawberry.type
class ScreeningMutations:
    @strawberry.mutation(
        description="Verify a screening flag: CONFIRMED (with the child's category) or CLEARED, "
        "with reasons. By the director it is assigned to, or station staff, supervisors and "
        "center admins of the child's town. Recorded as a new version of the flag."
    )
    async def verify_screening(
        self,
        info: Info,
        id: strawberry.ID,
        outcome: ScreeningOutcome,
        reasons: list[str],
        category: str | None = None,
    ) -> Screening | None:
        principal = info.context.access.principal
        if not _staff(principal):
            raise Forbidden("verifying screenings: not available to this reader")
        key = key_of(id, "Screening", "id")
        store = info.context.store
        flag = await load_flag(store, key)
        if flag is None:
            raise BadArgument("no screening has this id")
        if not _may_decide(principal, flag):
            raise Forbidden("only the director a flag is assigned to, or staff of its town, decide")
        new_id = await decide(
            store,
            flag,
            outcome=outcome.value,
            category=category,
            reasons=reasons,
            actor=principal.name,
            now_ms=now_ms(info),
        )
        props = props_for(info, "Screening", Screening, connection=False)
        row = await info.context.loaders.by_id("Screening", props).load(new_id)
        if row is None:  # pragma: no cover - just written
            return None
        return cast(Screening, make_object(info, "Screening")(row))

    @strawberry.mutation(
        description="Screen every child now with the rules in force (center admins). Syncs "
        "run it after loading anything."
    )
    async def run_screening(self, info: Info) -> ScreeningRun:
        principal = info.context.access.principal
        if principal.kind != "user" or principal.role is not Role.CENTER_ADMIN:
            raise Forbidden("running the screening: center admins only")
        report = await screen_children(info.context.store, shipped_rules(), now_ms=now_ms(info))
        return ScreeningRun(
            rule_version=report.rule_version,
            children_checked=report.checked,
            matched=report.matched,
            flagged=report.flagged,
            already_open=report.already_open,
            already_decided=report.already_decided,
            unassigned=report.unassigned,
            suspected=report.suspected,
        )
