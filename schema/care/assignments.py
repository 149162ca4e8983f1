"""Grid and assignment: directors to villages and grids, pairing with children, handovers.

Every change is one graph statement that changes the state and writes the
``Assignment`` events recording it (who, when, why), so a child's file shows
who looked after them on any day. A handover of a departing director's
children is one statement too: all of them move, or none.
"""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from graph.model import CST
from graph.queries import assignments as q
from schema.care.common import key_of, now_ms, plain_text
from schema.care.rights import require_manager
from schema.care.types import Assignment
from schema.context import Info
from schema.core.rows import from_row
from schema.errors import BadArgument

MIN_REASON = 4


def _reason(reason: str) -> str:
    return plain_text(reason, "reason", minimum=MIN_REASON, maximum=500, lines=False)


def _today(info: Info) -> str:
    return dt.datetime.fromtimestamp(info.context.clock(), CST).date().isoformat()


def _actor(info: Info) -> str:
    principal = info.context.access.principal
    return f"{principal.role.value}:{principal.name}"


def _event_id() -> str:
    return f"assignment-{uuid.uuid4().hex}"


@strawberry.type(description="A handover done: every child moved, with its log entries.")
class Handover:
    operation_id: str = strawberry.field(description="Shared by the handover's log entries")
    moved: int
    departed: bool


@strawberry.input(description="One child of the departing director and who takes them over.")
class HandoverMove:
    child_id: strawberry.ID
    director_id: strawberry.ID


@strawberry.type
class AssignmentMutations:
    @strawberry.mutation(
        description="Assign a director to a village, or to a grid of a village (the director's "
        "area). Center admins, or station staff and supervisors of the town."
    )
    async def assign_director(
        self,
        info: Info,
        director_id: strawberry.ID,
        reason: str,
        village_code: str | None = None,
        grid_id: strawberry.ID | None = None,
    ) -> Assignment:
        return await _area(info, director_id, reason, village_code, grid_id, assign=True)

    @strawberry.mutation(description="End a director's assignment to a village or a grid.")
    async def unassign_director(
        self,
        info: Info,
        director_id: strawberry.ID,
        reason: str,
        village_code: str | None = None,
        grid_id: strawberry.ID | None = None,
    ) -> Assignment:
        return await _area(info, director_id, reason, village_code, grid_id, assign=False)

    @strawberry.mutation(
        description="Pair a director with a child (结对): the child becomes theirs to visit."
    )
    async def pair_child(
        self, info: Info, director_id: strawberry.ID, child_id: strawberry.ID, reason: str
    ) -> Assignment:
        return await _pairing(info, director_id, child_id, reason, pair=True)

    @strawberry.mutation(description="End a pairing of a director with a child.")
    async def unpair_child(
        self, info: Info, director_id: strawberry.ID, child_id: strawberry.ID, reason: str
    ) -> Assignment:
        return await _pairing(info, director_id, child_id, reason, pair=False)

    @strawberry.mutation(
        description="Hand a departing director's children over to other directors, all in one "
        "audited operation: every child paired with them must be given a receiver (`moves`, or "
        "`toDirectorId` for the rest). With `departing`, the director also leaves their areas."
    )
    async def hand_over_children(
        self,
        info: Info,
        from_director_id: strawberry.ID,
        reason: str,
        moves: list[HandoverMove] | None = None,
        to_director_id: strawberry.ID | None = None,
        departing: bool = False,
    ) -> Handover:
        store = info.context.store
        access = info.context.access
        reason = _reason(reason)
        from_key = key_of(from_director_id, "Director", "fromDirectorId")
        facts = await store.read(q.DIRECTORS, {"ids": [from_key]})
        if not facts:
            raise BadArgument("no director with that id")
        require_manager(access, facts[0]["villageCode"], "handing over children")
        children = await store.read(q.PAIRED, {"directorId": from_key})
        wanted: dict[str, str] = {}
        for move in moves or ():
            child = key_of(move.child_id, "Child", "moves.childId")
            if child in wanted:
                raise BadArgument(f"child {move.child_id} is given two receivers")
            wanted[child] = key_of(move.director_id, "Director", "moves.directorId")
        paired = {str(c["id"]): c["villageCode"] for c in children}
        strangers = sorted(set(wanted) - set(paired))
        if strangers:
            raise BadArgument(f"{len(strangers)} of the moves name children not paired with them")
        default = key_of(to_director_id, "Director", "toDirectorId") if to_director_id else None
        for child in paired:
            if child not in wanted:
                if default is None:
                    raise BadArgument(
                        f"{len(paired) - len(wanted)} children have no receiver: give moves "
                        "for them or `toDirectorId`"
                    )
                wanted[child] = default
        if from_key in wanted.values():
            raise BadArgument("a director cannot hand children over to themselves")
        receivers = {
            str(r["id"]): r
            for r in await store.read(q.DIRECTORS, {"ids": sorted(set(wanted.values()))})
        }
        for receiver in set(wanted.values()):
            row = receivers.get(receiver)
            if row is None:
                raise BadArgument(f"no director {receiver}")
            if row.get("status") == "departed":
                raise BadArgument(f"director {receiver} has departed")
            # Receivers work in the same town, under the same supervisor.
            require_manager(access, row["villageCode"], "handing over to that director")
            if str(row["villageCode"] or "")[:9] != str(facts[0]["villageCode"] or "")[:9]:
                raise BadArgument(f"director {receiver} works in another town")
        operation = f"handover-{uuid.uuid4().hex}"
        if wanted:
            moved = await store.write(
                q.HAND_OVER,
                {
                    "fromId": from_key,
                    "moves": [
                        {"childId": c, "toId": t, "offId": _event_id(), "onId": _event_id()}
                        for c, t in sorted(wanted.items())
                    ],
                    "sinceDate": _today(info),
                    "at": now_ms(info),
                    "actor": _actor(info),
                    "reason": reason,
                    "operationId": operation,
                },
            )
            if len(moved[0]) != len(wanted):  # pragma: no cover - a concurrent change
                raise BadArgument("the pairings changed meanwhile; nothing was left half done")
        if departing:
            await store.write(q.DEPART, {"directorId": from_key})
        return Handover(operation_id=operation, moved=len(wanted), departed=departing)


async def _area(
    info: Info,
    director_id: strawberry.ID,
    reason: str,
    village_code: str | None,
    grid_id: strawberry.ID | None,
    *,
    assign: bool,
) -> Assignment:
    store = info.context.store
    access = info.context.access
    if (village_code is None) == (grid_id is None):
        raise BadArgument("give exactly one of `villageCode` and `gridId`")
    key = key_of(director_id, "Director", "directorId")
    params: dict[str, object] = {
        "directorId": key,
        "eventId": _event_id(),
        "at": now_ms(info),
        "actor": _actor(info),
        "reason": _reason(reason),
    }
    if grid_id is not None:
        grid = key_of(grid_id, "Grid", "gridId")
        row = await info.context.loaders.by_id("Grid", None, access.row_params("Grid")).load(grid)
        if row is None:
            raise BadArgument("no such grid")
        place = grid
        params["gridId"] = grid
        stmt = q.ASSIGN_GRID if assign else q.UNASSIGN_GRID
        where = row.get("villageCode")
    else:
        assert village_code is not None
        place = village_code
        params["villageCode"] = village_code
        stmt = q.ASSIGN_VILLAGE if assign else q.UNASSIGN_VILLAGE
        where = village_code
    require_manager(access, where, "assigning directors")
    if assign:
        params["sinceDate"] = _today(info)
    rows, _ = await store.write(stmt, params)
    if not rows:
        what = "no such director or place" if assign else "the director is not assigned there"
        raise BadArgument(f"{what} ({place})")
    return await _event(info, str(rows[0]["id"]))


async def _pairing(
    info: Info, director_id: strawberry.ID, child_id: strawberry.ID, reason: str, *, pair: bool
) -> Assignment:
    store = info.context.store
    access = info.context.access
    director = key_of(director_id, "Director", "directorId")
    child = key_of(child_id, "Child", "childId")
    facts = await store.read(q.FACTS, {"directorId": director, "childId": child})
    if not facts or facts[0]["childId"] is None:
        raise BadArgument("no such director or child")
    fact = facts[0]
    require_manager(access, fact["childVillage"], "pairing directors with children")
    if pair:
        if fact["directorStatus"] == "departed":
            raise BadArgument("that director has departed")
        if fact["paired"]:
            raise BadArgument("they are already paired")
        if str(fact["directorVillage"] or "")[:9] != str(fact["childVillage"] or "")[:9]:
            raise BadArgument("the director works in another town than the child lives in")
    elif not fact["paired"]:
        raise BadArgument("they are not paired")
    params: dict[str, object] = {
        "directorId": director,
        "childId": child,
        "eventId": _event_id(),
        "at": now_ms(info),
        "actor": _actor(info),
        "reason": _reason(reason),
    }
    if pair:
        params["sinceDate"] = _today(info)
    rows, _ = await store.write(q.PAIR if pair else q.UNPAIR, params)
    return await _event(info, str(rows[0]["id"]))


async def _event(info: Info, key: str) -> Assignment:
    access = info.context.access
    row = await info.context.loaders.by_id(
        "Assignment", None, access.row_params("Assignment")
    ).load(key)
    if row is None:  # pragma: no cover - just written
        raise BadArgument("the change was not recorded")
    return from_row(Assignment, access.redact("Assignment", row))
