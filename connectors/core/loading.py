"""Loading one batch of valid records into the graph.

In order: identity resolution, references to other records, duplicate keys,
then one statement that compares the records' hashes with what the graph
holds and stamps every record found as seen by this run (an unchanged record
needs nothing more), sent together with the read of the other sources'
versions of the batch's nodes (merged by precedence for the changed ones), and
the writes. A record that describes its node alone is
written with its source record in one statement per label; otherwise the
nodes, the other nodes they name and the relationships go first, and the
source records last: a record counts as loaded only once all it describes is.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.core.hashing import canonical, nodes_json, record_hash, rels_json
from connectors.core.identity import IdentityResolver
from connectors.core.merging import Merged, Version, merge
from connectors.core.stream import REF, NodeUpsert, RelUpsert, Upsert
from connectors.errors import SyncError
from graph import GraphStore
from graph.model import EVENT_LABELS, rel_key
from graph.queries import bulk, events, sync
from graph.statements import Statement
from graph.store import DEFAULT_BATCH_SIZE

Row = dict[str, Any]


@dataclass(slots=True)
class Item:
    """A valid record of a batch, ready to load."""

    key: str
    location: str
    upserts: list[Upsert]
    cursor: str | None
    person: Any = None
    resolved: bool = False  # identity resolution found the person in the graph
    primary_at: int = 0  # where the primary node is in ``upserts`` (kept by re-keying)
    label: str = ""  # the primary node's
    props_json: str = ""
    nodes_json: str = "[]"
    #: Known when the record is read unless it has relationships, whose ends are
    #: resolved in the batch.
    hash: str | None = None

    @property
    def primary(self) -> NodeUpsert:
        u = self.upserts[self.primary_at]
        if not isinstance(u, NodeUpsert) or not u.primary:
            raise SyncError(f"record {self.key} maps to no primary node")
        return u

    def fingerprint(self) -> None:
        """The JSON of the primary node's values, and what of the hash can be known now."""
        primary = self.primary
        self.label = primary.label
        self.props_json = canonical(primary.props)
        if len(self.upserts) > 1:
            self.nodes_json = nodes_json(self.upserts)
            if any(isinstance(u, RelUpsert) for u in self.upserts):
                return
        self.hash = record_hash(self.props_json, self.nodes_json, "[]")

    def final_hash(self) -> str:
        if self.hash is None:
            self.hash = record_hash(self.props_json, self.nodes_json, rels_json(self.upserts))
        return self.hash


@dataclass(slots=True)
class Reject:
    location: str
    reason: str
    data: dict[str, Any] | None


@dataclass
class Loaded:
    """What loading a batch did to its records (rejects are added to the batch's list)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass(slots=True)
class _Changed:
    item: Item
    entity: str  # the node the record describes (an update: the one it described)
    inserted: bool


@dataclass
class Plan:
    """A batch checked against the graph: what it does to its records, what to write."""

    loaded: Loaded
    changed: list[_Changed] = field(default_factory=list)
    merged: dict[str, Merged] = field(default_factory=dict)  # ordinary nodes' values
    first_reject: int = 0  # the run's number of the batch's first reject

    #: The nodes the batch writes as records' own (others: see ``linked``).
    entities: set[str] = field(default_factory=set)
    #: Whether records name other nodes or relationships (written in order).
    linked: bool = False


class BatchLoader:
    """Loads batches of one engine (its store, identity resolver and precedence)."""

    def __init__(
        self,
        store: GraphStore,
        identity: IdentityResolver,
        precedence: Mapping[str, int],
        field_precedence: Mapping[str, Mapping[str, int]],
    ) -> None:
        self.store = store
        self.identity = identity
        self.precedence = precedence
        self.field_precedence = field_precedence

    @staticmethod
    def sids(source: str, items: list[Item]) -> set[str]:
        """The source records of a batch's records."""
        return {f"{source}|{i.label}|{i.key}" for i in items}

    @staticmethod
    def reads_written(items: list[Item]) -> bool:
        """Whether planning the batch reads what earlier batches write: people found by
        identity, records named as relationship ends."""
        return any(
            i.person is not None
            or any(
                isinstance(u, RelUpsert)
                and (u.start_key.startswith(REF) or u.end_key.startswith(REF))
                for u in i.upserts
            )
            for i in items
        )

    async def plan(
        self,
        source: str,
        items: list[Item],
        rejects: list[Reject],
        *,
        run_id: str,
        now: int,
        enrich_only: bool = False,
        sent: Callable[[], None] | None = None,
    ) -> Plan:
        """Resolve, de-duplicate and check a batch; merge its nodes' values. Writes only
        the check's stamp on the records found (seen by this run). ``sent`` is called
        once the check is on its way (or when there is nothing to check)."""
        plan = Plan(Loaded())
        out = plan.loaded
        await self.identity.resolve(source, items, now)
        if enrich_only:
            out.skipped += sum(1 for i in items if not i.resolved)
            items = [i for i in items if i.resolved]
        items = _unique(await self._resolve_refs(items, rejects), rejects)
        if not items:
            if sent is not None:
                sent()
            return plan
        sids = [f"{source}|{i.label}|{i.key}" for i in items]
        # What other sources say of the batch's ordinary nodes is asked with the check,
        # not after it, and both are sent before ``sent`` lets other statements follow.
        entities = list({i.primary.key: None for i in items if i.label not in EVENT_LABELS})
        check = asyncio.ensure_future(
            self.store.write(
                sync.CHECK_SOURCE_RECORDS,
                {
                    "rows": [[sid, i.final_hash()] for sid, i in zip(sids, items, strict=True)],
                    "runId": run_id,
                    "at": now,
                },
            )
        )
        asking = asyncio.ensure_future(self._others(source, entities)) if entities else None
        if sent is not None:
            sent()
        try:
            result, _ = await check
            others = await asking if asking is not None else {}
        except BaseException:
            if asking is not None:
                asking.cancel()
            raise
        new = set(result[0]["new"]) if result else set()
        # sid → [sid, runId, location, entityId] as the graph held them
        found = {str(c[0]): c for c in result[0]["changed"]} if result else {}
        changed = plan.changed
        for sid, item in zip(sids, items, strict=True):
            if sid in new:
                out.inserted += 1
                changed.append(_Changed(item, item.primary.key, True))
            elif (got := found.get(sid)) is None:
                out.unchanged += 1
            elif got[1] == run_id:
                rejects.append(_duplicate(item, str(got[2])))
            else:
                out.updated += 1
                # A corrected event's record points at its current version.
                changed.append(_Changed(item, str(got[3]), False))
        plan.entities = {c.entity for c in changed}
        plan.linked = any(len(c.item.upserts) > 1 for c in changed)
        plain = [c for c in changed if c.item.label not in EVENT_LABELS]
        if plain:
            # Every source's values merged by precedence (a node twice in the batch:
            # the last record's values, as the graph would hold them after both).
            current = {c.entity: (c.item.key, c.item.primary.props) for c in plain}
            asked = set(entities)
            if missing := [e for e in current if e not in asked]:
                # Records that described another node than they map to now.
                others.update(await self._others(source, missing))
            plan.merged = self._merge(source, current, others)
        return plan

    async def merged(self, source: str, current: Mapping[str, tuple[str, Mapping[str, Any]]]
                     ) -> dict[str, Merged]:  # fmt: skip
        """Per node: ``source``'s version (key, values) merged with the other sources'.

        ``source``'s version replaces what the graph holds of it (written afterwards).
        """
        return self._merge(source, current, await self._others(source, list(current)))

    async def _others(self, source: str, ids: list[str]) -> dict[str, list[list[Any]]]:
        """Per node: [source, key, values (JSON)] of every other source's version."""
        rows = await self.store.read(sync.OTHER_SOURCE_RECORDS, {"ids": ids, "source": source})
        others: dict[str, list[list[Any]]] = defaultdict(list)
        for r in rows:
            others[str(r["id"])].append([r["source"], r["key"], r["props"]])
        return others

    def _merge(
        self,
        source: str,
        current: Mapping[str, tuple[str, Mapping[str, Any]]],
        others: Mapping[str, list[list[Any]]],
    ) -> dict[str, Merged]:
        rank = self.precedence.get(source, 0)
        out: dict[str, Merged] = {}
        for e, (k, p) in current.items():
            more = others.get(e)
            if more:
                versions = [Version(rank, source, k, p)] + [
                    Version(self.precedence.get(str(n), 0), str(n), str(key), json.loads(str(v)))
                    for n, key, v in more
                ]
                out[e] = merge(versions, self.field_precedence)
            else:
                # One version (most nodes): its values, as merge() would give them.
                # Not copied: no one changes a record's values once mapped.
                values = (
                    p if None not in p.values() else {f: v for f, v in p.items() if v is not None}
                )
                out[e] = Merged(values if type(values) is dict else dict(values), source, k, [])
        return out

    async def _resolve_refs(self, items: list[Item], rejects: list[Reject]) -> list[Item]:
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
        kept: list[Item] = []
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
                    Reject(item.location, f"refers to records not (yet) synced: {names}", None)
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

    async def write(self, source: str, plan: Plan, *, run_id: str, now: int) -> None:
        """Write what a planned batch changed."""
        changed = plan.changed
        # Per label: each record and its node's values (None: an event's correction,
        # written by itself, of which only the source record is left to write).
        nodes: dict[str, list[tuple[_Changed, Merged | None]]] = defaultdict(list)
        for c in changed:
            m = plan.merged.get(c.entity)
            if m is not None and c.item.label not in EVENT_LABELS:
                nodes[c.item.label].append((c, m))
        # Events are immutable: a new one is written once; a changed one is corrected
        # (a new version superseding the current one).
        for c in changed:
            label = c.item.label
            if label not in EVENT_LABELS:
                continue
            if c.inserted:
                nodes[label].append((c, Merged(c.item.primary.props, source, c.item.key, [])))
                continue
            props = {**c.item.primary.props, "source": source, "seenAt": now}
            props["sourceKey"] = c.item.key
            new_id = f"{c.item.key}~{c.item.final_hash()[:12]}"
            await self.store.write(
                events.correction(label),
                {"oldId": c.entity, "newId": new_id, "props": props, "at": now},
            )
            c.entity = new_id
            nodes[label].append((c, None))
        extra = {"source": source, "runId": run_id, "at": now}
        if all(len(c.item.upserts) == 1 for c in changed):
            # Records that describe their node alone: node and source record at once.
            for label, pairs in nodes.items():
                await self._write_records(
                    sync.UPSERT_NEW_RECORDS[label],
                    sync.UPSERT_RECORDS[label],
                    [(c, _node_row(source, c, m)) for c, m in pairs if m is not None],
                    {**extra, "label": label},
                )
            records = {label: [c for c, m in pairs if m is None] for label, pairs in nodes.items()}
        else:
            # The nodes, then the nodes they name (whose values win where both give
            # one), the relationships, and (below) the source records.
            for label, pairs in nodes.items():
                rows = [
                    {"id": c.entity, "props": _provenance(label, m, now)}
                    for c, m in pairs
                    if m is not None
                ]
                await self.store.write_rows(bulk.node_upsert(label), _dedupe(rows))
            await self._write_linked(source, changed, now)
            records = {label: [c for c, _ in pairs] for label, pairs in nodes.items()}
        # Last: a record counts as loaded only once the nodes it describes are.
        for label, done in records.items():
            await self._write_records(
                sync.CREATE_SOURCE_RECORDS,
                sync.SAVE_SOURCE_RECORDS,
                [(c, _record_row(c)) for c in done],
                {**extra, "label": label},
            )

    async def _write_records(
        self,
        new: Statement,
        known: Statement,
        rows: list[tuple[_Changed, list[Any]]],
        extra: dict[str, Any],
    ) -> None:
        """Records' rows: those the check found new with ``new`` (which creates their
        source records), the others with ``known`` (which merges them)."""
        for stmt, inserted in ((new, True), (known, False)):
            await self._write_lists(stmt, [r for c, r in rows if c.inserted is inserted], extra)

    async def _write_lists(
        self, stmt: Statement, rows: list[list[Any]], extra: dict[str, Any]
    ) -> None:
        """``stmt`` once per slice of ``rows`` (lists, bound to ``$rows``)."""
        for start in range(0, len(rows), DEFAULT_BATCH_SIZE):
            await self.store.write(
                stmt, {**extra, "rows": rows[start : start + DEFAULT_BATCH_SIZE]}
            )

    async def _write_linked(self, source: str, changed: list[_Changed], now: int) -> None:
        """The other nodes records name, then the relationships they give."""
        secondary: dict[str, list[Row]] = defaultdict(list)
        rels: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        for c in changed:
            primary = c.item.primary
            origin = {"source": source, "seenAt": now, "sourceKey": c.item.key}
            for u in c.item.upserts:
                if isinstance(u, NodeUpsert) and not u.primary:
                    secondary[u.label].append({"id": u.key, "props": u.props, **origin})
                elif isinstance(u, RelUpsert):
                    start = c.entity if u.start_key == primary.key else u.start_key
                    end = c.entity if u.end_key == primary.key else u.end_key
                    rels[(u.start_label, u.type, u.end_label)].append(
                        {"start": start, "end": end, "props": u.props, **origin}
                    )
        for label, batch in secondary.items():
            await self.store.write_rows(sync.SECONDARY_UPSERTS[label], _dedupe(batch))
        for triple, batch in rels.items():
            unique = _dedupe(batch, lambda r: (r["start"], r["end"]))
            await self.store.write_rows(sync.REL_UPSERTS[rel_key(*triple)], unique)


def _record_row(c: _Changed) -> list[Any]:
    """A record's row of :data:`sync.SAVE_SOURCE_RECORDS`."""
    item = c.item
    return [c.entity, item.key, item.final_hash(), item.props_json, item.location]


def _node_row(source: str, c: _Changed, m: Merged) -> list[Any]:
    """A record's row of :data:`sync.UPSERT_RECORDS`: provenance only where it is not
    this record's (the statement sets that), as in most rows."""
    row = _record_row(c)
    row.append(list(map(m.props.get, sync.UPSERT_FIELDS[c.item.label])))
    if m.source != source or m.key != c.item.key:
        row += [m.source, m.key]
    else:
        row += [None, None]
    row.append(m.conflicts or None)
    return row


def _provenance(label: str, m: Merged, now: int) -> dict[str, Any]:
    """A node's values with their provenance, for :func:`bulk.node_upsert`."""
    props = {**m.props, "source": m.source, "sourceKey": m.key, "seenAt": now}
    if label not in EVENT_LABELS:
        props["conflicts"] = m.conflicts
    return props


def _unique(items: list[Item], rejects: list[Reject]) -> list[Item]:
    """A key twice in one batch: the graph sees the batch at once, so the batch is
    de-duplicated here (across batches the graph tells, by run id)."""
    first_at: dict[str, str] = {}
    unique: list[Item] = []
    for item in items:
        if item.key in first_at:
            rejects.append(_duplicate(item, first_at[item.key]))
        else:
            first_at[item.key] = item.location
            unique.append(item)
    return unique


def _duplicate(item: Item, first: str) -> Reject:
    reason = f"duplicate key {item.key!r} in the source (first at {first})"
    return Reject(item.location, reason, None)


def _dedupe(rows: list[Row], key: Callable[[Row], Any] = lambda r: r["id"]) -> list[Row]:
    """One row per node (the first wins, as across batches, where the first creates it).

    A batch may name the same village or relationship many times; which record
    gets the provenance must not depend on how records fall into batches.
    """
    first: dict[Any, Row] = {}
    for r in rows:
        first.setdefault(key(r), r)
    return list(first.values())
