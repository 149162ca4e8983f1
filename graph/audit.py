"""The audit trail of reads of children's personal data: an append-only hash chain.

Every GraphQL request that returns a child's personal data leaves one
``AccessEvent`` node. Events are numbered ``seq`` = 1, 2, 3, … (node id
``access-<seq>``) and each stores ``prevHash``, the hash of the event before it
(64 zeros for the first), and its own ``hash``::

    hash = sha256(canonical JSON of every stored property of the event except hash)

The canonical JSON has sorted keys, no spaces, UTF-8 text and lists in their
order; a ``None`` client or purpose is simply not stored, and so not hashed.
Hashing *all* stored properties, rather than a fixed list, is what makes the
hash cover everything a reader sees: a property edited, removed or **added by
hand** changes the recomputed hash (the report then also names the property).

The head of the chain is anchored in ``Meta {id: "audit-head"}`` as
``"<seq>:<hash>"``, written in the same statement as the events, so a cut tail
(the last events removed) shows as an anchor pointing past the last event.

What the chain proves: that the trail is the one the hub wrote, unless someone
with write access to the graph rebuilt the chain from an edited event onwards
and moved the anchor too. Catching that needs the head kept outside the graph
(``weibao audit verify`` prints it; an operator can record it elsewhere).

Appends are serialised per process by a lock; across processes (several hubs on
one Neo4j) the unique ``id`` key makes two writers that start from the same head
collide, and the loser reloads the head and chains its batch after the winner's.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import ConstraintViolation, GraphError
from graph.queries import audit as q
from graph.store import GraphStore

GENESIS_HASH = "0" * 64
HEAD_ID = "audit-head"

#: Properties every event stores; ``clientId`` and ``purpose`` are stored when set.
REQUIRED = frozenset(
    {"id", "seq", "at", "principal", "role", "requestId", "records", "fields"}
    | {"breakGlass", "prevHash", "hash"}
)
OPTIONAL = frozenset({"clientId", "purpose"})

_FAR = 2**62  # above any seq a trail will reach; an open upper bound for a window


class AuditChainError(GraphError):
    """The stored chain does not let an append go on (its head anchor disagrees with its events)."""


@dataclass(frozen=True)
class AccessEventIn:
    """One request's reads of children's personal data, as the schema reports it."""

    at: int  # epoch ms
    principal: str  # "user:admin", "client:edu-bureau"
    role: str
    client_id: str | None
    purpose: str | None
    request_id: str
    records: tuple[str, ...]  # "Child:c-123"
    fields: tuple[str, ...]  # "Child.name"
    break_glass: bool


@dataclass(frozen=True)
class AccessEvent(AccessEventIn):
    """An event as the trail holds it: its place in the chain and its hashes."""

    seq: int
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :meth:`AuditLog.verify`; each problem names the event it is about."""

    ok: bool
    events: int
    problems: list[str]
    head: tuple[int, str] = (0, GENESIS_HASH)


def event_id(seq: int) -> str:
    return f"access-{seq}"


def canonical(props: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash covers: all its properties but ``hash``, as canonical JSON."""
    body = {k: v for k, v in props.items() if k != "hash"}
    # default=str only ever serves values a hand edit put there (Neo4j temporals, …).
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text.encode("utf-8")


def chain_hash(props: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(props)).hexdigest()


def stored_properties(event: AccessEventIn, seq: int, prev_hash: str) -> dict[str, Any]:
    """The node's properties, ``hash`` included: exactly what is written and hashed."""
    props: dict[str, Any] = {
        "id": event_id(seq),
        "seq": seq,
        "at": event.at,
        "principal": event.principal,
        "role": event.role,
        "requestId": event.request_id,
        "records": list(event.records),
        "fields": list(event.fields),
        "breakGlass": event.break_glass,
        "prevHash": prev_hash,
    }
    if event.client_id is not None:
        props["clientId"] = event.client_id
    if event.purpose is not None:
        props["purpose"] = event.purpose
    props["hash"] = chain_hash(props)
    return props


def event_from(props: Mapping[str, Any]) -> AccessEvent:
    """An :class:`AccessEvent` from stored properties (lenient: for display, not for checks)."""

    def text(key: str) -> str:
        return str(props.get(key, ""))

    def opt(key: str) -> str | None:
        value = props.get(key)
        return None if value is None else str(value)

    def strings(key: str) -> tuple[str, ...]:
        value = props.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    def number(key: str) -> int:
        value = props.get(key)
        return int(value) if isinstance(value, (int, float)) else 0

    return AccessEvent(
        at=number("at"),
        principal=text("principal"),
        role=text("role"),
        client_id=opt("clientId"),
        purpose=opt("purpose"),
        request_id=text("requestId"),
        records=strings("records"),
        fields=strings("fields"),
        break_glass=props.get("breakGlass") is True,
        seq=number("seq"),
        prev_hash=text("prevHash"),
        hash=text("hash"),
    )


def _parse_head(value: object) -> tuple[int, str] | None:
    seq, sep, digest = str(value).partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        return None
    return int(seq), digest


class AuditLog:
    """The hash-chained trail in a graph store: append, head, verify, tail."""

    def __init__(self, store: GraphStore, *, max_attempts: int = 20) -> None:
        self._store = store
        self._max_attempts = max_attempts
        self._lock = asyncio.Lock()
        self._head: tuple[int, str] | None = None  # cached after the first load
        # A batch whose write failed without an answer (a timeout may come after
        # the commit), with the head it would have made: a retry of that same
        # batch that finds this head in the graph is already written.
        self._unsure: tuple[tuple[AccessEventIn, ...], tuple[int, str]] | None = None

    async def _anchor(self) -> object | None:
        rows, _ = await self._store.write(q.HEAD, {"anchorId": HEAD_ID})
        return rows[0]["value"] if rows else None

    async def head(self) -> tuple[int, str]:
        """The stored head ``(seq, hash)``; ``(0, 64 zeros)`` for an empty trail."""
        value = await self._anchor()
        if value is None:
            return 0, GENESIS_HASH
        parsed = _parse_head(value)
        if parsed is None:
            raise AuditChainError(
                f"the audit head anchor holds {str(value)[:80]!r}, not '<seq>:<hash>'; "
                "run `weibao audit verify`"
            )
        return parsed

    async def append(self, events: Sequence[AccessEventIn]) -> list[int]:
        """Chain ``events`` after the head, in one write; return their seq numbers."""
        batch = tuple(events)
        if not batch:
            return []
        async with self._lock:
            for _ in range(self._max_attempts):
                head = self._head if self._head is not None else await self.head()
                seqs = list(range(head[0] + 1, head[0] + len(batch) + 1))
                landed = await self._landed(batch, head)
                if landed:
                    self._head = head
                    return landed
                rows: list[dict[str, Any]] = []
                prev = head[1]
                for seq, event in zip(seqs, batch, strict=True):
                    rows.append(stored_properties(event, seq, prev))
                    prev = rows[-1]["hash"]
                new_head = (seqs[-1], prev)
                try:
                    await self._store.write(
                        q.APPEND,
                        {"events": rows, "anchorId": HEAD_ID, "head": f"{new_head[0]}:{prev}"},
                    )
                except ConstraintViolation:
                    fresh = await self.head()
                    if fresh == new_head:  # a driver retry of a write that had committed
                        self._head = fresh
                        return seqs
                    if fresh == head:
                        self._head = None
                        raise AuditChainError(
                            f"an access event already holds seq {head[0] + 1} but the head "
                            f"anchor says {head[0]}: run `weibao audit verify`"
                        ) from None
                    self._head = fresh  # another writer moved the head: chain after it
                    continue
                except BaseException:
                    self._head = None
                    self._unsure = (batch, new_head)
                    raise
                self._head = new_head
                return seqs
        raise AuditChainError(f"no append after {self._max_attempts} collisions with other writers")

    async def _landed(self, batch: tuple[AccessEventIn, ...], head: tuple[int, str]) -> list[int]:
        """The seqs of ``batch`` if an earlier, unanswered write of it did commit."""
        unsure, self._unsure = self._unsure, None
        if unsure is None or unsure[0] != batch:
            return []
        last, digest = unsure[1]
        if head[0] < last:
            return []
        if head[0] > last:  # other hubs appended since: look at the event itself
            rows = await self._store.read(q.WINDOW, {"after": last - 1, "until": last, "limit": 1})
            if not rows or rows[0]["props"].get("hash") != digest:
                return []
        elif head[1] != digest:
            return []
        return list(range(last - len(batch) + 1, last + 1))

    async def tail(self, n: int = 20) -> list[AccessEvent]:
        """The last ``n`` events up to the head, oldest first."""
        last, _ = await self.head()
        rows = await self._store.read(
            q.WINDOW, {"after": max(last - n, 0), "until": last, "limit": n}
        )
        return [event_from(row["props"]) for row in rows]

    async def verify(self, page_size: int = 1000, max_problems: int = 20) -> VerifyReport:
        """Re-read the trail in windows of ``page_size`` and recompute every hash.

        Memory stays bounded by a window whatever the trail's length. Appends
        running meanwhile are not an error: the trail is checked up to the head
        read at the start.
        """
        if page_size < 1 or max_problems < 1:
            raise ValueError("page_size and max_problems must be positive")
        # Counted before the anchor is read: legitimate appends in between can only
        # make the scan see more events than this count, never fewer.
        total = int((await self._store.read(q.COUNT))[0]["events"])
        check = _Checker(max_problems)
        anchor_value = await self._anchor()
        anchor = None if anchor_value is None else _parse_head(anchor_value)
        if anchor_value is not None and anchor is None:
            check.add(
                f"the head anchor (Meta {HEAD_ID}) holds {str(anchor_value)[:80]!r}, "
                "not '<seq>:<hash>'"
            )
        until = anchor[0] if anchor is not None else _FAR
        after = 0
        while after < until:
            upper = min(after + page_size, until)
            params = {"after": after, "until": upper, "limit": 2 * page_size}
            rows = await self._store.read(q.WINDOW, params)
            for row in rows:
                check.event(row["seq"], row["id"], row["props"])
            if rows:
                after = upper
                continue
            # An empty window: a run of removed events, or the end. Jump to the next event.
            found = (await self._store.read(q.NEXT_SEQ, {"after": after}))[0]["next"]
            if not _is_number(found) or found > until:
                break
            after = max(upper, math.ceil(found) - 1)  # found > upper: always moves on
        past: list[str] = []
        if anchor is not None:
            check.end(anchor)
            past = await self._past_anchor(anchor, max_problems, check)
        elif check.events:
            check.add(
                f"the head anchor (Meta {HEAD_ID}) is missing but the trail holds "
                f"{check.events} events"
            )
        strays = total - check.events - len(past)
        if strays > 0:
            check.add(
                f"{strays} access event(s) lie outside the chain "
                "(their seq is missing, not a whole number, or past the head anchor)"
            )
        return check.report(anchor)

    async def _past_anchor(self, anchor: tuple[int, str], limit: int, check: _Checker) -> list[str]:
        """Name events beyond the anchor that no append of the hub made."""
        rows = await self._store.read(q.WINDOW, {"after": anchor[0], "until": _FAR, "limit": limit})
        if not rows:
            return []
        # Read after the events: an event a hub appended meanwhile is under this head.
        moved, _ = await self.head()
        past = [r for r in rows if _is_number(r["seq"]) and r["seq"] > moved]
        for row in past:
            check.add(
                f"event {row['seq']} ({row['id']}) lies past the head anchor "
                f"(event {anchor[0]}): no append wrote it"
            )
        return [str(r["id"]) for r in past]


@dataclass
class _Checker:
    """The running state of one verification, fed the events in seq order."""

    max_problems: int
    events: int = 0
    problems: list[str] = field(default_factory=list)
    more: int = 0
    seq: int = 0  # the last seq seen
    ident: str = ""  # its id
    hash: str = GENESIS_HASH  # its stored hash

    def add(self, problem: str) -> None:
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)
        else:
            self.more += 1

    def event(self, seq: object, ident: object, props: Mapping[str, Any]) -> None:
        self.events += 1
        name = f"event {seq} ({ident})"
        if not isinstance(seq, int) or isinstance(seq, bool):
            self.add(f"an access event ({ident}) has seq {seq!r}, not a whole number")
            return
        if seq == self.seq:
            self.add(f"{name}: a second event with seq {seq} (after {self.ident})")
            return
        if seq > self.seq + 1:
            missing = (
                f"event {self.seq + 1} is"
                if seq == self.seq + 2
                else f"events {self.seq + 1}–{seq - 1} are"
            )
            since = (
                f"seq jumps from {self.seq} to {seq}" if self.seq else f"the trail starts at {seq}"
            )
            self.add(f"{missing} missing ({since})")
        elif props.get("prevHash") != self.hash:
            self.add(
                f"{name}: its prevHash is not the hash of event {self.seq} — an earlier "
                "event was rewritten, or events were removed or reordered"
            )
        if ident != event_id(seq):
            self.add(f"{name}: its id does not match its seq (expected {event_id(seq)})")
        stored = props.get("hash")
        if stored != chain_hash(props):
            self.add(f"{name}: content changed — its hash does not match{_why(props)}")
        self.seq, self.ident, self.hash = seq, str(ident), str(stored)

    def end(self, anchor: tuple[int, str]) -> None:
        last, digest = anchor
        if self.seq < last:
            if not self.events:
                self.add(f"the trail is empty but the head anchor names event {last}")
            else:
                cut = f"event {last}" if last == self.seq + 1 else f"events {self.seq + 1}–{last}"
                self.add(
                    f"the head anchor names event {last} but the trail ends at event "
                    f"{self.seq}: the tail was cut ({cut} removed)"
                )
        elif self.hash != digest:
            self.add(
                f"the head anchor's hash does not match event {last} ({self.ident}): "
                "the last event or the anchor was rewritten"
            )

    def report(self, anchor: tuple[int, str] | None) -> VerifyReport:
        problems = list(self.problems)
        if self.more:
            problems.append(f"… and {self.more} more problem(s)")
        return VerifyReport(
            ok=not problems,
            events=self.events,
            problems=problems,
            head=anchor or (0, GENESIS_HASH),
        )


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _why(props: Mapping[str, Any]) -> str:
    """Which properties were added or removed, when that explains a hash mismatch."""
    keys = set(props)
    added = sorted(keys - REQUIRED - OPTIONAL)
    removed = sorted(REQUIRED - keys)
    notes = [f"property {k!r} added" for k in added] + [f"property {k!r} removed" for k in removed]
    return f" ({', '.join(notes)})" if notes else ""
