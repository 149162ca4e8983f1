"""The sync engine: extract, validate, resolve identities, load in batches, record the run.

Cursor rules (dlt/Meltano): the source is asked in ascending cursor order
from the bookmark, inclusive; records seen again at the bound are recognised
by their hash and count as unchanged; the bookmark never moves past the
sync's start; it is saved only after its batch, and every batch before it, is
committed. A sync killed half-way therefore resumes from the last committed
batch, re-reads at most the three batches that were being written when it died
and writes nothing twice (every write is an idempotent MERGE, but for the CREATE
of a source record its batch's check found missing, and the check of a re-read
batch finds it).

Batches overlap: while one batch is written, the next is checked against the
graph and the two after it read and validated (a blocking source's in a worker
thread, which goes on reading while the loop waits on the graph). A batch whose
check could depend on an earlier batch's writes (the same record again, people
found by identity, records named as relationship ends) or whose writes could
meet an earlier batch's (the same node, linked nodes) waits for those writes
first, so the graph ends as if the batches ran one by one.

Memory is bounded by the batch size: nothing is kept across batches except
counters and the bookmark, and at most six batches are held at once (two read
ahead, one checked, three being written).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from connectors.core.collector import fewer_collections
from connectors.core.identity import IdentityResolver
from connectors.core.loading import BatchLoader, Item, Loaded, Plan, Reject
from connectors.core.records import Extracted, RawReject
from connectors.core.stream import NodeUpsert, Source, Stream, Upsert
from connectors.errors import ConnectorError, SyncError
from graph import GraphError, GraphStore
from graph.model import NODES, RELS
from graph.queries import bulk, sync
from graph.queries.screening import DECIDED_FIELDS, DECISION_SOURCE

MAX_ERRORS = 20
#: Above any precedence a sources file can give (a whole number, in practice small).
_DECISION_RANK = 2**62
#: Batches being written while the next is checked (each one more may be re-read
#: after a crash, and held in memory). Two rather than one: about 9% more rows/s
#: on the CSV bench (4 runs each), the graph's queue seldom running dry.
_IN_FLIGHT = 2
MAX_REJECT_DATA = 2000  # characters of a reject's data kept for the reviewer


@dataclass
class RunReport:
    """What one run of one stream did (the ``SyncRun`` node holds the same)."""

    source: str
    stream: str
    run_id: str
    started_at: int
    finished_at: int | None = None
    status: str = "running"
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    cursor_before: str | None = None
    cursor_after: str | None = None
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "stream": self.stream,
            "run": self.run_id,
            "status": self.status,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "cursorBefore": self.cursor_before,
            "cursorAfter": self.cursor_after,
            "errors": self.errors,
        }

    def props(self) -> dict[str, Any]:
        return {
            "sourceName": self.source,
            "stream": self.stream,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
            "status": self.status,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "cursorBefore": self.cursor_before,
            "cursorAfter": self.cursor_after,
            "errors": self.errors,
            "source": "hub",
        }


Progress = Callable[[RunReport], None]


class SyncEngine:
    """Runs streams of sources into the graph.

    ``precedence`` ranks sources for field-by-field merging: where two sources
    give a field different values, the higher one's wins and the field is
    listed in the node's ``conflicts``.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        precedence: Mapping[str, int] | None = None,
        field_precedence: Mapping[str, Mapping[str, int]] | None = None,
        batch_size: int = 1000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.precedence = dict(precedence or {})
        # A source authoritative for some fields (the education bureau for schoolStatus).
        self.field_precedence = {k: dict(v) for k, v in (field_precedence or {}).items()}
        # The hub's verified decisions (a child's categories) outrank every system for
        # their fields, and no system for the rest: the child's record stays a system's.
        self.precedence[DECISION_SOURCE] = -_DECISION_RANK
        self.field_precedence[DECISION_SOURCE] = dict.fromkeys(DECIDED_FIELDS, _DECISION_RANK)
        self.batch_size = batch_size
        self.clock = clock
        self.identity = IdentityResolver(store)
        self.loader = BatchLoader(store, self.identity, self.precedence, self.field_precedence)

    async def sync(
        self, source: Source, stream: Stream[Any], progress: Progress | None = None
    ) -> RunReport:
        with fewer_collections():
            return await self._sync(source, stream, progress)

    async def _sync(
        self, source: Source, stream: Stream[Any], progress: Progress | None
    ) -> RunReport:
        started = int(self.clock() * 1000)
        state_id = f"syncstate-{source.name}-{stream.name}"
        rows = await self.store.read(sync.GET_STATE, {"id": state_id})
        before = rows[0]["cursor"] if rows else None
        report = RunReport(
            source=source.name,
            stream=stream.name,
            run_id=f"syncrun-{source.name}-{stream.name}-{started}-{uuid.uuid4().hex[:8]}",
            started_at=started,
            cursor_before=before,
            cursor_after=before,
        )
        await self._save_run(report)
        # The bookmark never passes the sync's start: records updated while it runs
        # are read again next time.
        ceiling = (
            stream.format_cursor(dt.datetime.fromtimestamp(started / 1000, dt.UTC))
            if stream.instant_cursor and stream.cursor_field
            else None
        )
        upcoming: asyncio.Future[Prepared | None] | None = None
        checking: asyncio.Future[Plan] | None = None
        # A batch is checked against the graph (its statement sent first), then the
        # batch before it is written, while earlier ones may still be: the graph always
        # has the next statement, and Python works meanwhile. Each batch's bookmark is
        # saved once it and every batch before it are written.
        pending: _Batch | None = None  # checked, not sent to be written yet
        writing: list[_Batch] = []  # sent to be written, bookmark not saved yet; in order
        bookmark = before  # once the batches checked so far are written

        def write_pending() -> None:
            nonlocal pending
            if pending is not None:
                batch, pending = pending, None
                batch.task = asyncio.ensure_future(
                    self._write(source, stream, batch.plan, batch.rejects, report, batch.now)
                )
                previous = writing[-1].saved if writing else None
                batch.saved = asyncio.ensure_future(
                    self._finish(batch, previous, state_id, source, stream, report, progress)
                )
                writing.append(batch)

        async def finish(limit: int) -> None:
            """Wait until at most ``limit`` batches are being written (failures raise)."""
            while writing and (len(writing) > limit or writing[0].done):
                saved = writing[0].saved
                assert saved is not None
                await saved
                writing.pop(0)

        async def finish_all() -> None:
            write_pending()
            await finish(0)

        try:
            prepared = _prepared(self, stream, stream.extract(before), self.batch_size)
            # The next batch is read and validated (in a worker thread for blocking
            # sources) meanwhile.
            upcoming = asyncio.ensure_future(anext(prepared, None))
            while (batch := await upcoming) is not None:
                upcoming = asyncio.ensure_future(anext(prepared, None))
                read, items, rejects = batch
                report.read += read
                sids = self.loader.sids(source.name, items)
                earlier = [*writing, *([pending] if pending is not None else [])]
                if self.loader.reads_written(items) or any(
                    b.plan.linked or not sids.isdisjoint(b.sids) for b in earlier
                ):
                    await finish_all()  # the check must see the batches before written
                now = int(self.clock() * 1000)
                # The batch before is written once this one's check is sent: the graph
                # runs them in that order, and the check's answer comes back meanwhile.
                checking = asyncio.ensure_future(
                    self._plan(source, stream, items, rejects, report, now, write_pending)
                )
                plan = await checking
                write_pending()
                if plan.linked or any(
                    not plan.entities.isdisjoint(b.plan.entities) for b in writing
                ):
                    await finish_all()  # the same node again: the later values must win
                bookmark = _cursor_after(bookmark, items, ceiling)
                pending = _Batch(plan, rejects, now, sids, bookmark)
                await finish(_IN_FLIGHT)
            await finish_all()
            report.status = "ok"
        except BaseException as exc:
            report.status = "failed"
            report.errors.append(f"{type(exc).__name__}: {exc}")
            # A failed source (unreachable, unreadable) is a failed run with what it
            # loaded, the bookmark at the last committed batch; anything else goes on up.
            if not isinstance(exc, (ConnectorError, OSError)):
                raise
            try:
                await finish_all()  # what was read before the failure is loaded
            except GraphError as also:
                report.errors.append(f"{type(also).__name__}: {also}")
        finally:
            if upcoming is not None:
                upcoming.cancel()
            if checking is not None:
                checking.cancel()
            for unfinished in writing:
                # Not committed as far as this run knows: read again next time.
                for future in (unfinished.saved, unfinished.task):
                    if future is not None:
                        future.cancel()
                        with contextlib.suppress(BaseException):
                            await future
            report.finished_at = int(self.clock() * 1000)
            # If the graph is gone, the error above says so already.
            with contextlib.suppress(GraphError):
                await self._save_run(report)
        return report

    async def _finish(
        self,
        batch: _Batch,
        before: asyncio.Future[None] | None,
        state_id: str,
        source: Source,
        stream: Stream[Any],
        report: RunReport,
        progress: Progress | None,
    ) -> None:
        """Once a batch and every batch before it are written, move the bookmark past it."""
        if before is not None:
            await before
        assert batch.task is not None
        await batch.task
        report.cursor_after = batch.cursor
        await self.store.write(
            sync.SAVE_STATE,
            {
                "id": state_id,
                "source": source.name,
                "stream": stream.name,
                "cursor": report.cursor_after,
                "runId": report.run_id,
                "at": int(self.clock() * 1000),
            },
        )
        if progress is not None:
            progress(report)

    # -- preparing ---------------------------------------------------------------------
    def _prepare(self, stream: Stream[Any], chunk: list[Extracted]) -> Prepared:
        """Validate and map a chunk (in a worker thread for a blocking source)."""
        items: list[Item] = []
        rejects: list[Reject] = []
        validate, map_, person = stream.model.model_validate, stream.map, stream.person
        for raw in chunk:
            if isinstance(raw, RawReject):
                rejects.append(Reject(raw.location, raw.reason, raw.data))
                continue
            try:
                record = validate(raw.data)
            except ValidationError as exc:
                rejects.append(Reject(raw.location, _reasons(exc), raw.data))
                continue
            try:
                upserts = map_(record)
                primary_at = _check_upserts(upserts)
            except ValueError as exc:
                rejects.append(Reject(raw.location, str(exc), raw.data))
                continue
            item = Item(
                key=stream.key_of(record),
                location=raw.location,
                upserts=upserts,
                cursor=stream.cursor_of(record),
                person=person(record) if person else None,
                primary_at=primary_at,
            )
            # Here, not in the batch's load: this thread overlaps the graph's writes.
            item.fingerprint()
            items.append(item)
        return len(chunk), items, rejects

    # -- loading -----------------------------------------------------------------------
    async def _plan(
        self, source: Source, stream: Stream[Any], items: list[Item], rejects: list[Reject],
        report: RunReport, now: int, sent: Callable[[], None],
    ) -> Plan:  # fmt: skip
        """Check a batch against the graph and count what it does (nothing written yet
        but the check's stamps); the rejects are numbered here, in the batches' order.
        ``sent``: called once the check is sent."""
        plan = Plan(Loaded())
        if items:
            plan = await self.loader.plan(
                source.name,
                items,
                rejects,
                run_id=report.run_id,
                now=now,
                enrich_only=stream.enrich_only,
                sent=sent,
            )
        else:
            sent()
        loaded = plan.loaded
        report.inserted += loaded.inserted
        report.updated += loaded.updated
        report.unchanged += loaded.unchanged
        report.skipped += loaded.skipped
        if rejects:
            plan.first_reject = report.rejected
            report.rejected += len(rejects)
            for r in rejects[: max(0, MAX_ERRORS - len(report.errors))]:
                report.errors.append(f"{r.location}: {r.reason}")
        return plan

    async def _write(
        self, source: Source, stream: Stream[Any], plan: Plan, rejects: list[Reject],
        report: RunReport, now: int,
    ) -> None:  # fmt: skip
        if plan.changed:
            await self.loader.write(source.name, plan, run_id=report.run_id, now=now)
        if rejects:
            first = plan.first_reject
            await self.store.write(
                sync.ADD_REJECTS,
                {
                    "rows": [
                        {
                            "id": f"{report.run_id}-reject-{first + i}",
                            "runId": report.run_id,
                            "source": source.name,
                            "stream": stream.name,
                            "location": r.location,
                            "reason": r.reason,
                            # An enrich-only stream's rows are mostly about people the
                            # program does not have: their data is not kept, only where and why.
                            "data": None
                            if r.data is None or stream.enrich_only
                            else _canonical(r.data, default=str)[:MAX_REJECT_DATA],
                            "at": now,
                        }
                        for i, r in enumerate(rejects)
                    ]
                },
            )

    # -- identity reviews -------------------------------------------------------------
    async def decide(self, review_id: str, status: str, by: str) -> dict[str, Any]:
        """Record a person's decision on an uncertain match; it takes effect at the next sync.

        ``merged``: the record is that person; ``apart``: it is not (never matched to
        them again); ``open``: undo either. Any change withdraws what the record gave
        the graph so far (its values, its relationships, a node it alone made), so
        the next sync applies it under the decision in force: every decision is
        reversible, and each is kept in the review's history.
        """
        if status not in ("merged", "apart", "open"):
            raise ValueError("a decision is merged, apart or open")
        rows = await self.store.read(sync.REVIEW_BY_ID, {"id": review_id})
        if not rows:
            raise SyncError(f"no identity review {review_id!r}")
        review = rows[0]["review"]
        now = int(self.clock() * 1000)
        await self.store.write(
            sync.DECIDE_REVIEW,
            {
                "id": review_id,
                "status": status,
                "at": now,
                "by": by,
                "entry": f"{now} {by} {status}",
            },
        )
        source, key = str(review["sourceName"]), str(review["sourceKey"])
        await self.withdraw(source, str(review["label"]), key)
        # The record must be read again, wherever the bookmark is: the source is read
        # from the start next time (its unchanged records cost a hash comparison).
        await self.store.write(sync.RESET_BOOKMARKS, {"source": source})
        return {**review, "status": status, "decidedBy": by, "decidedAt": now}

    async def withdraw(self, source: str, label: str, key: str) -> None:
        """Take a source's record away from the node it describes; merge the rest again."""
        found, _ = await self.store.write(
            sync.WITHDRAW_SOURCE_RECORD, {"sid": f"{source}|{label}|{key}"}
        )
        if not found:
            return
        entity = str(found[0]["entityId"])
        gone = json.loads(str(found[0]["props"]))
        remaining = await self.store.read(sync.SOURCE_RECORDS_OF, {"ids": [entity]})
        if label == "Child":
            await self.store.write(
                sync.WITHDRAW_CHILD_LINKS, {"id": entity, "source": source, "key": key}
            )
        if not remaining:
            if label == "Child":
                await self.store.write(sync.DELETE_UNDESCRIBED_CHILD, {"id": entity})
            return
        first = remaining[0]
        name, rest_key = str(first["source"]), str(first["key"])
        merged = await self.loader.merged(
            name, {entity: (rest_key, json.loads(str(first["props"])))}
        )
        m = merged[entity]
        # Values only the withdrawn record gave are removed (null removes a property).
        cleared = {k: None for k in gone if k not in m.props}
        await self.store.write_rows(
            bulk.node_upsert(label),
            [
                {
                    "id": entity,
                    "props": {
                        **cleared,
                        **m.props,
                        "source": m.source,
                        "sourceKey": m.key,
                        "conflicts": m.conflicts,
                    },
                }
            ],
        )

    async def _save_run(self, report: RunReport) -> None:
        await self.store.write(sync.SAVE_RUN, {"id": report.run_id, "props": report.props()})


async def sync_source(
    engine: SyncEngine,
    source: Source,
    streams: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> list[RunReport]:
    """Run the named streams of ``source`` (all by default), one after another."""
    wanted = None if streams is None else set(streams)
    reports = []
    for stream in source.streams():
        if wanted is None or stream.name in wanted:
            reports.append(await engine.sync(source, stream, progress))
    return reports


# -- helpers -------------------------------------------------------------------------------
Prepared = tuple[int, list[Item], list[Reject]]


@dataclass
class _Batch:
    """A checked batch: what to write, and the bookmark once it is written."""

    plan: Plan
    rejects: list[Reject]
    now: int
    sids: set[str]
    cursor: str | None
    task: asyncio.Future[None] | None = None  # its writes, once sent
    saved: asyncio.Future[None] | None = None  # its bookmark, once written

    @property
    def done(self) -> bool:
        return self.saved is not None and self.saved.done()


def _cursor_after(current: str | None, items: list[Item], ceiling: str | None) -> str | None:
    """The bookmark once a batch is loaded: its highest cursor, never past ``ceiling``."""
    cursors = [i.cursor for i in items if i.cursor is not None]
    if not cursors:
        return current
    top = max(cursors)
    if ceiling is not None and top > ceiling:
        top = ceiling
    return top if current is None or top > current else current


async def _prepared(
    engine: SyncEngine,
    stream: Stream[Any],
    extracted: Iterator[Extracted] | AsyncIterator[Extracted],
    size: int,
) -> AsyncIterator[Prepared]:
    """Batches read and validated: a blocking source entirely in a worker thread."""
    if isinstance(extracted, AsyncIterator):
        chunk: list[Extracted] = []
        async for item in extracted:
            chunk.append(item)
            if len(chunk) >= size:
                yield engine._prepare(stream, chunk)
                chunk = []
        if chunk:
            yield engine._prepare(stream, chunk)
        return
    iterator = iter(extracted)

    def next_batch() -> Prepared | None:
        chunk = list(itertools.islice(iterator, size))
        return engine._prepare(stream, chunk) if chunk else None

    # The thread reads the batch after the one just yielded at once, not when it is
    # asked for: two batches ahead, it goes on while the loop waits on the graph.
    ahead = asyncio.ensure_future(asyncio.to_thread(next_batch))
    try:
        while (batch := await ahead) is not None:
            ahead = asyncio.ensure_future(asyncio.to_thread(next_batch))
            yield batch
    finally:
        # A batch read in vain (the run ends for another reason) is dropped; so is
        # an error reading it.
        if not ahead.cancel() and not ahead.cancelled():
            ahead.exception()


def _reasons(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


#: Each label's properties, for the check of every mapped record.
_ALLOWED: dict[str, frozenset[str]] = {
    label: frozenset(t.all_properties) for label, t in NODES.items()
}


def _check_upserts(upserts: list[Upsert]) -> int:
    """Where the record's one primary node is; ValueError for what the model does not have."""
    if len(upserts) == 1:  # most records: one node, checked without the loops below
        only = upserts[0]
        if (
            type(only) is NodeUpsert
            and only.primary
            and (allowed := _ALLOWED.get(only.label)) is not None
            and allowed.issuperset(only.props)
        ):
            return 0
    primaries = [i for i, u in enumerate(upserts) if isinstance(u, NodeUpsert) and u.primary]
    if len(primaries) != 1:
        raise ValueError("a record must map to exactly one primary node")
    for u in upserts:
        if isinstance(u, NodeUpsert):
            allowed = _ALLOWED[u.label]
            if not allowed.issuperset(u.props):
                raise ValueError(f"{u.label} has no properties {sorted(set(u.props) - allowed)}")
        elif (u.start_label, u.type, u.end_label) not in RELS:
            raise ValueError(f"({u.start_label})-[:{u.type}]->({u.end_label}) is not in the model")
    return primaries[0]


def _canonical(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    )


__all__ = ["RunReport", "SyncEngine", "sync_source"]
