"""The sync engine: extract, validate, resolve identities, load in batches, record the run.

Cursor rules (dlt/Meltano): the source is asked in ascending cursor order
from the bookmark, inclusive; records seen again at the bound are recognised
by their hash and count as unchanged; the bookmark never moves past the
sync's start; it is saved only after its batch is committed. A sync killed
half-way therefore resumes from the last committed batch, re-reads at most
one batch and writes nothing twice (every write is an idempotent MERGE).

Memory is bounded by the batch size: nothing is kept across batches except
counters and the bookmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from connectors.core.identity import IdentityResolver
from connectors.core.records import Extracted, RawReject
from connectors.core.stream import (
    REF,
    NodeUpsert,
    RelUpsert,
    Source,
    Stream,
    Upsert,
)
from connectors.errors import ConnectorError, SyncError
from graph import GraphError, GraphStore
from graph.model import EVENT_LABELS, NODES, RELS, rel_key
from graph.queries import bulk, events, sync

MAX_ERRORS = 20
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


@dataclass
class _Item:
    """A valid record of a batch, ready to load."""

    key: str
    location: str
    upserts: list[Upsert]
    cursor: str | None
    person: Any = None
    resolved: bool = False  # identity resolution found the person in the graph

    @property
    def primary(self) -> NodeUpsert:
        for u in self.upserts:
            if isinstance(u, NodeUpsert) and u.primary:
                return u
        raise SyncError(f"record {self.key} maps to no primary node")


@dataclass
class _Reject:
    location: str
    reason: str
    data: dict[str, Any] | None


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
        self.batch_size = batch_size
        self.clock = clock
        self.identity = IdentityResolver(store)

    async def sync(
        self, source: Source, stream: Stream[Any], progress: Progress | None = None
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
        try:
            prepared = _prepared(self, stream, stream.extract(before), self.batch_size)
            # The next batch is read and validated (in a worker thread for blocking
            # sources) while this one is written: the graph and Python overlap.
            upcoming = asyncio.ensure_future(anext(prepared, None))
            while (batch := await upcoming) is not None:
                upcoming = asyncio.ensure_future(anext(prepared, None))
                read, items, rejects = batch
                report.read += read
                await self._load(source, stream, items, rejects, report)
                cursors = [i.cursor for i in items if i.cursor is not None]
                if cursors:
                    top = max(cursors)
                    if ceiling is not None and top > ceiling:
                        top = ceiling
                    if report.cursor_after is None or top > report.cursor_after:
                        report.cursor_after = top
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
            report.status = "ok"
        except BaseException as exc:
            report.status = "failed"
            report.errors.append(f"{type(exc).__name__}: {exc}")
            # A failed source (unreachable, unreadable) is a failed run with what it
            # loaded, the bookmark at the last committed batch; anything else goes on up.
            if not isinstance(exc, (ConnectorError, OSError)):
                raise
        finally:
            if upcoming is not None:
                upcoming.cancel()
            report.finished_at = int(self.clock() * 1000)
            # If the graph is gone, the error above says so already.
            with contextlib.suppress(GraphError):
                await self._save_run(report)
        return report

    # -- preparing ---------------------------------------------------------------------
    def _prepare(
        self, stream: Stream[Any], chunk: list[Extracted]
    ) -> tuple[int, list[_Item], list[_Reject]]:
        items: list[_Item] = []
        rejects: list[_Reject] = []
        for raw in chunk:
            if isinstance(raw, RawReject):
                rejects.append(_Reject(raw.location, raw.reason, raw.data))
                continue
            try:
                record = stream.model.model_validate(raw.data)
            except ValidationError as exc:
                rejects.append(_Reject(raw.location, _reasons(exc), raw.data))
                continue
            try:
                upserts = stream.map(record)
                _check_upserts(upserts)
            except ValueError as exc:
                rejects.append(_Reject(raw.location, str(exc), raw.data))
                continue
            items.append(
                _Item(
                    key=stream.key_of(record),
                    location=raw.location,
                    upserts=upserts,
                    cursor=stream.cursor_of(record),
                    person=stream.person(record) if stream.person else None,
                )
            )
        return len(chunk), items, rejects

    # -- loading -----------------------------------------------------------------------
    async def _load(
        self,
        source: Source,
        stream: Stream[Any],
        items: list[_Item],
        rejects: list[_Reject],
        report: RunReport,
    ) -> None:
        now = int(self.clock() * 1000)
        if items:
            await self.identity.resolve(source.name, items, now)
            if stream.enrich_only:
                report.skipped += sum(1 for i in items if not i.resolved)
                items = [i for i in items if i.resolved]
            items = await self._resolve_refs(items, rejects)
            # A key twice in one batch: the graph sees the batch at once, so the
            # batch is de-duplicated here (across batches the graph tells, by run id).
            first_at: dict[str, str] = {}
            unique: list[_Item] = []
            for item in items:
                if item.key in first_at:
                    rejects.append(
                        _Reject(
                            item.location,
                            f"duplicate key {item.key!r} in the source "
                            f"(first at {first_at[item.key]})",
                            None,
                        )
                    )
                else:
                    first_at[item.key] = item.location
                    unique.append(item)
            items = unique
            rows: list[dict[str, Any]] = []
            for item in items:
                primary = item.primary
                props_json = _canonical(primary.props)
                rels = sorted(_rel_sig(u) for u in item.upserts if isinstance(u, RelUpsert))
                others = sorted(
                    _node_sig(u)
                    for u in item.upserts
                    if isinstance(u, NodeUpsert) and not u.primary
                )
                # The canonical JSON of {nodes, props, rels}, with the props' JSON reused.
                body = (
                    f'{{"nodes":{_canonical(others)},"props":{props_json},'
                    f'"rels":{_canonical(rels)}}}'
                )
                rows.append(
                    {
                        "sid": f"{source.name}|{primary.label}|{item.key}",
                        "source": source.name,
                        "label": primary.label,
                        "entityId": primary.key,
                        "key": item.key,
                        "hash": hashlib.sha256(body.encode()).hexdigest(),
                        "json": props_json,
                        "location": item.location,
                        "seenAt": now,
                    }
                )
            # What the graph holds of these records, before anything is written.
            known = {
                str(r["sid"]): r
                for r in await self.store.read(
                    sync.SOURCE_RECORDS_STATE, {"sids": [row["sid"] for row in rows]}
                )
            }
            changed: list[tuple[_Item, dict[str, Any], bool]] = []
            unchanged: list[str] = []
            for item, row in zip(items, rows, strict=True):
                got = known.get(row["sid"])
                if got is not None and got["runId"] == report.run_id:
                    rejects.append(
                        _Reject(
                            item.location,
                            f"duplicate key {item.key!r} in the source "
                            f"(first at {got['location']})",
                            None,
                        )
                    )
                elif got is None:
                    report.inserted += 1
                    changed.append((item, row, True))
                elif got["hash"] != row["hash"]:
                    report.updated += 1
                    # A corrected event's record points at its current version.
                    changed.append((item, {**row, "entityId": got["entityId"]}, False))
                else:
                    report.unchanged += 1
                    unchanged.append(row["sid"])
            if changed:
                await self._write_changed(source, changed, now)
                # Last: a record counts as loaded only once the nodes it describes are.
                await self.store.write(
                    sync.UPSERT_SOURCE_RECORDS,
                    {"rows": [row for _, row, _ in changed], "runId": report.run_id},
                )
            if unchanged:
                await self.store.write(
                    sync.TOUCH_SOURCE_RECORDS,
                    {"sids": unchanged, "runId": report.run_id, "at": now},
                )
        if rejects:
            report.rejected += len(rejects)
            for r in rejects[: max(0, MAX_ERRORS - len(report.errors))]:
                report.errors.append(f"{r.location}: {r.reason}")
            await self.store.write(
                sync.ADD_REJECTS,
                {
                    "rows": [
                        {
                            "id": f"{report.run_id}-reject-{report.rejected - len(rejects) + i}",
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

    async def _resolve_refs(self, items: list[_Item], rejects: list[_Reject]) -> list[_Item]:
        """Relationship ends named by a source's key become the nodes those records became."""
        wanted = {
            end
            for item in items
            for u in item.upserts
            if isinstance(u, RelUpsert)
            for end in (u.start_key, u.end_key)
            if end.startswith(REF)
        }
        if not wanted:
            return items
        rows = await self.store.read(
            sync.SOURCE_ENTITIES, {"sids": sorted(w.removeprefix(REF) for w in wanted)}
        )
        found = {REF + str(r["sid"]): str(r["entityId"]) for r in rows}
        kept: list[_Item] = []
        for item in items:
            missing = [
                end
                for u in item.upserts
                if isinstance(u, RelUpsert)
                for end in (u.start_key, u.end_key)
                if end.startswith(REF) and end not in found
            ]
            if missing:
                names = ", ".join(m.removeprefix(REF).split("|", 1)[1] for m in missing)
                rejects.append(
                    _Reject(item.location, f"refers to records not (yet) synced: {names}", None)
                )
                continue
            item.upserts[:] = [
                dataclasses.replace(
                    u,
                    start_key=found.get(u.start_key, u.start_key),
                    end_key=found.get(u.end_key, u.end_key),
                )
                if isinstance(u, RelUpsert)
                else u
                for u in item.upserts
            ]
            kept.append(item)
        return kept

    async def _write_changed(
        self, source: Source, changed: list[tuple[_Item, dict[str, Any], bool]], now: int
    ) -> None:
        provenance = {"source": source.name, "seenAt": now}
        nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        # Ordinary nodes: every source's values merged by precedence.
        plain = [(i, r) for i, r, _ in changed if r["label"] not in EVENT_LABELS]
        current = {r["entityId"]: (source.name, i.key, i.primary.props) for i, r in plain}
        merged = await self._merged(current) if plain else {}
        for item, row in plain:
            props, top_source, top_key, conflicts = merged.get(
                row["entityId"], (item.primary.props, source.name, item.key, [])
            )
            nodes[row["label"]].append(
                {
                    "id": row["entityId"],
                    "props": {
                        **props,
                        "source": top_source,
                        "sourceKey": top_key,
                        "seenAt": now,
                        "conflicts": conflicts,
                    },
                }
            )
        # Events are immutable: a new one is written once; a changed one is corrected
        # (a new version superseding the current one).
        for item, row, inserted in changed:
            if row["label"] not in EVENT_LABELS:
                continue
            props = {**item.primary.props, **provenance, "sourceKey": item.key}
            if inserted:
                nodes[row["label"]].append({"id": row["entityId"], "props": props})
                continue
            new_id = f"{item.key}~{row['hash'][:12]}"
            await self.store.write(
                events.correction(row["label"]),
                {"oldId": row["entityId"], "newId": new_id, "props": props, "at": now},
            )
            row["entityId"] = new_id
        # Secondary nodes and relationships, as the records give them.
        secondary: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item, row, _ in changed:
            primary = item.primary
            origin = {**provenance, "sourceKey": item.key}
            for u in item.upserts:
                if isinstance(u, NodeUpsert) and not u.primary:
                    secondary[u.label].append({"id": u.key, "props": u.props, **origin})
                elif isinstance(u, RelUpsert):
                    start = row["entityId"] if u.start_key == primary.key else u.start_key
                    end = row["entityId"] if u.end_key == primary.key else u.end_key
                    rels[(u.start_label, u.type, u.end_label)].append(
                        {"start": start, "end": end, "props": u.props, **origin}
                    )
        for label, batch in nodes.items():
            await self.store.write_rows(bulk.node_upsert(label), _dedupe(batch))
        for label, batch in secondary.items():
            await self.store.write_rows(sync.SECONDARY_UPSERTS[label], _dedupe(batch))
        for triple, batch in rels.items():
            unique = _dedupe(batch, lambda r: (r["start"], r["end"]))
            await self.store.write_rows(sync.REL_UPSERTS[rel_key(*triple)], unique)

    async def _merged(
        self, current: dict[str, tuple[str, str, dict[str, Any]]]
    ) -> dict[str, tuple[dict[str, Any], str, str, list[str]]]:
        """Per node: the merged values, the top source and its key, the conflicting fields.

        ``current``: node → (source, key, values) of the batch being loaded, which
        replaces what the graph holds of that source (written only afterwards).
        """
        found = await self.store.read(sync.SOURCE_RECORDS_OF, {"ids": list(current)})
        by_entity: dict[str, list[tuple[int, str, str, dict[str, Any]]]] = defaultdict(list)
        for entity, (name, key, props) in current.items():
            by_entity[entity].append((self.precedence.get(name, 0), name, key, props))
        for r in found:
            entity, name = str(r["id"]), str(r["source"])
            if name == current[entity][0]:
                continue  # this source's stored version is being replaced
            rank = self.precedence.get(name, 0)
            by_entity[entity].append((rank, name, str(r["key"]), json.loads(str(r["props"]))))
        out: dict[str, tuple[dict[str, Any], str, str, list[str]]] = {}
        for entity, versions in by_entity.items():
            versions.sort(key=lambda v: (-v[0], v[1]))
            best: dict[str, tuple[int, str, Any]] = {}
            conflicts: set[str] = set()
            for rank, name, _, props in versions:
                for field_, value in props.items():
                    if value is None:
                        continue
                    field_rank = self.field_precedence.get(name, {}).get(field_, rank)
                    held = best.get(field_)
                    if held is not None and held[2] != value:
                        conflicts.add(field_)
                    if held is None or field_rank > held[0]:
                        best[field_] = (field_rank, name, value)
            top = versions[0]
            merged = {k: v[2] for k, v in best.items()}
            out[entity] = (merged, top[1], top[2], sorted(conflicts))
        return out

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
        merged = await self._merged({entity: (name, rest_key, json.loads(str(first["props"])))})
        props, top, top_key, conflicts = merged[entity]
        # Values only the withdrawn record gave are removed (null removes a property).
        cleared = {k: None for k in gone if k not in props}
        await self.store.write_rows(
            bulk.node_upsert(label),
            [
                {
                    "id": entity,
                    "props": {
                        **cleared,
                        **props,
                        "source": top,
                        "sourceKey": top_key,
                        "conflicts": conflicts,
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
Prepared = tuple[int, list[_Item], list[_Reject]]


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

    while (batch := await asyncio.to_thread(next_batch)) is not None:
        yield batch


def _reasons(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _check_upserts(upserts: list[Upsert]) -> None:
    primaries = [u for u in upserts if isinstance(u, NodeUpsert) and u.primary]
    if len(primaries) != 1:
        raise ValueError("a record must map to exactly one primary node")
    for u in upserts:
        if isinstance(u, NodeUpsert):
            unknown = set(u.props) - set(NODES[u.label].all_properties)
            if unknown:
                raise ValueError(f"{u.label} has no properties {sorted(unknown)}")
        elif (u.start_label, u.type, u.end_label) not in RELS:
            raise ValueError(f"({u.start_label})-[:{u.type}]->({u.end_label}) is not in the model")


def _canonical(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    )


def _rel_sig(u: RelUpsert) -> str:
    return (
        f"{u.start_label}:{u.start_key}-{u.type}->{u.end_label}:{u.end_key}:{_canonical(u.props)}"
    )


def _node_sig(u: NodeUpsert) -> str:
    return f"{u.label}:{u.key}:{_canonical(u.props)}"


def _dedupe(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any] = lambda r: r["id"]
            ) -> list[dict[str, Any]]:  # fmt: skip
    """One row per node (the first wins, as across batches, where the first creates it).

    A batch may name the same village or relationship many times; which record
    gets the provenance must not depend on how records fall into batches.
    """
    first: dict[Any, dict[str, Any]] = {}
    for r in rows:
        first.setdefault(key(r), r)
    return list(first.values())


__all__ = ["RunReport", "SyncEngine", "sync_source"]
