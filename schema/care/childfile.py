"""``childFile(id, asOf)``: one child, one file (一人一档), as it stands or stood.

The file is the child's timeline across systems — who was paired with them,
visits, screenings, reports and their steps, services, category changes —
each entry the version that was current on the day asked for, with where it
came from. Entries pass through the same field policy as any list (personal
data masked or dropped, every read noted for the audit trail), and only
kinds of records the reader may read at all are included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from graph.model import CST
from graph.queries import childfile as q
from schema.care.common import key_of
from schema.care.types import Event
from schema.children.types import Child
from schema.context import Info
from schema.core.fields import load_grants
from schema.core.ids import to_global_id
from schema.core.registry import kind_of_label
from schema.core.rows import from_row
from schema.errors import BadArgument

#: When each kind of record happened (its place on the timeline).
_WHEN = {
    "Visit": "startedAt",
    "Screening": "screenedAt",
    "MandatoryReport": "reportedAt",
    "ReportStep": "at",
    "Service": "deliveredAt",
    "Assignment": "at",
    "CategoryChange": "changedAt",
    "VisitReview": "reviewedAt",
}
_KIND = {
    "Visit": "visit",
    "Screening": "screening",
    "MandatoryReport": "mandatory-report",
    "ReportStep": "report-step",
    "Service": "service",
    "Assignment": "assignment",
    "CategoryChange": "category-change",
    "VisitReview": "visit-review",
}


@strawberry.type(description="Where a child's record came from: one system's version of it.")
class FileSource:
    system: str
    key: str = strawberry.field(description="The record's key in the hub's source ledger")
    location: str | None = strawberry.field(description="Row, sheet or page it was read from")
    seen_at: dt.datetime | None


@strawberry.type(description="One entry of a child's file: an event as it stood on the day.")
class FileEntry:
    at: dt.datetime | None = strawberry.field(description="When it happened")
    kind: str = strawberry.field(
        description="visit, screening, mandatory-report, report-step, service, assignment, "
        "category-change, visit-review"
    )
    record_id: str = strawberry.field(description="Shared by all versions of the record")
    version: int
    corrected: bool = strawberry.field(description="This version corrects an earlier one")
    source: str | None = strawberry.field(description="The system it came from")
    record: Event = strawberry.field(description="The record itself")


@strawberry.type(description="One child, one file (一人一档).")
class ChildFile:
    as_of: dt.date = strawberry.field(description="The day the file is shown as of")
    child: Child
    categories: list[str] | None = strawberry.field(
        description="The child's categories on that day (from the category log)"
    )
    entries: list[FileEntry] = strawberry.field(description="The timeline, oldest first")
    sources: list[FileSource] = strawberry.field(description="Systems the record came from")


def _end_of(day: dt.date) -> int:
    """The last millisecond of ``day`` in China Standard Time."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CST)
    return int(start.timestamp() * 1000) - 1


@strawberry.type
class ChildFileQueries:
    @strawberry.field(
        description="A child's whole file across systems, as it stands, or as it stood at the "
        "end of `asOf` (China Standard Time): corrections made later are not shown, the "
        "versions they replaced are. Null when there is no such child or it is out of the "
        "reader's scope."
    )
    async def child_file(
        self, info: Info, id: strawberry.ID, as_of: dt.date | None = None
    ) -> ChildFile | None:
        access = info.context.access
        access.require_rows("Child", "childFile")
        key = key_of(id, "Child", "id")
        today = dt.datetime.fromtimestamp(info.context.clock(), CST).date()
        day = as_of or today
        if day > today:
            raise BadArgument("`asOf` cannot be in the future")
        if access.needs_grants:
            access.grants = await load_grants(info)
        loader = info.context.loaders.by_id("Child", None, access.row_params("Child"))
        row = await loader.load(key)
        if row is None:
            return None
        child = from_row(Child, access.redact("Child", row))
        store = info.context.store
        rows = await store.read(q.TIMELINE, {"id": key, "asOf": _end_of(day)})
        entries = [e for e in (_entry(info, r) for r in rows) if e is not None]
        entries.sort(key=lambda e: (e.at is None, e.at or dt.datetime.min.replace(tzinfo=CST)))
        changes = [e for e in entries if e.kind == "category-change"]
        categories = row.get("categories") if not changes else _categories(changes[-1])
        sources = [
            FileSource(
                system=str(s["system"]),
                key=str(s["key"]),
                location=s.get("location"),
                seen_at=_instant(s.get("seenAt")),
            )
            for s in await store.read(q.SOURCES, {"id": key})
        ]
        if not sources and row.get("source"):
            sources = [
                FileSource(
                    system=str(row["source"]),
                    key=str(row.get("sourceKey") or key),
                    location=None,
                    seen_at=_instant(row.get("seenAt")),
                )
            ]
        return ChildFile(
            as_of=day, child=child, categories=categories, entries=entries, sources=sources
        )


def _categories(entry: FileEntry) -> list[str] | None:
    value = getattr(entry.record, "categories", None)
    return list(value) if value is not None else None


def _instant(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(int(value) / 1000, CST)


def _entry(info: Info, row: dict[str, Any]) -> FileEntry | None:
    label = str(row["label"])
    access = info.context.access
    if label not in _KIND or not access.can_read(label):
        return None
    props = dict(row["props"])
    kind = kind_of_label(label)
    record = from_row(kind.cls, access.redact(label, props), type_name=kind.type_name)
    version = int(props.get("version") or 1)
    return FileEntry(
        at=_instant(props.get(_WHEN[label])),
        kind=_KIND[label],
        record_id=to_global_id(kind.type_name, str(props.get("recordId") or props["id"])),
        version=version,
        corrected=version > 1,
        source=props.get("source"),
        record=record,
    )
