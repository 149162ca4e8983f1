"""What a connector declares: its source, its streams, and how records become graph upserts.

As in Meltano/dlt: a stream has a name, a primary key, a cursor field (or none:
re-read in full, unchanged records are recognised by hash), a record model
(pydantic: validation and the reasons of rejects), an extractor and a mapping.
Connectors get their configuration as parameters and never read the
environment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from connectors.core.records import Extracted

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class NodeUpsert:
    """A node the record describes; ``props`` hold the source's values of its fields.

    ``primary`` marks the node the record is about (one per record): its values are
    merged with other sources' by precedence, and its changes are what the run
    counts. Secondary nodes (e.g. a village a record names) are merged as given.
    """

    label: str
    key: str
    props: dict[str, Any]
    primary: bool = True


@dataclass(frozen=True)
class RelUpsert:
    """A relationship between two nodes of the model, by their keys."""

    start_label: str
    start_key: str
    type: str
    end_label: str
    end_key: str
    props: dict[str, Any] = field(default_factory=dict)


Upsert = NodeUpsert | RelUpsert

REF = "ref:"


def source_ref(source: str, label: str, key: str) -> str:
    """A node named by a source's own key (``SCAS-C00001``), for a relationship end.

    The engine replaces it with the node that record became (after identity
    resolution); a record naming a key its source never delivered is rejected.
    """
    return f"{REF}{source}|{label}|{key}"


@dataclass(frozen=True)
class Person:
    """Who a record is about, for identity resolution (children and guardians).

    The engine replaces the key of the record's primary node with that of the
    person already in the graph: by a valid resident ID number, else by name +
    birth date + village (a confident match), else a review item and a new node.
    """

    label: str  # "Child" or "Guardian"
    id_number: str | None
    name: str | None
    birth_date: str | None
    village_code: str | None
    gender: str | None = None


Extractor = Callable[[str | None], Iterator[Extracted] | AsyncIterator[Extracted]]


@dataclass(frozen=True)
class Stream(Generic[M]):
    """One stream of a source.

    ``extract(since)`` yields records in ascending cursor order from ``since``
    (inclusive; None: from the start). ``map(record)`` returns the upserts of a
    valid record, or raises ``ValueError`` with the reason to reject it.
    ``cursor`` gives a record's cursor value as a string that sorts like the
    cursor (ISO 8601 instants in UTC, or zero-padded numbers).
    """

    name: str
    model: type[M]
    primary_key: str
    extract: Extractor
    map: Callable[[M], list[Upsert]]
    cursor_field: str | None = None
    person: Callable[[M], Person | None] | None = None
    #: The cursor as the source takes it back (the bookmark is sent verbatim): ISO UTC
    #: by default; e.g. ``2026-03-05 09:30:00`` (China time) for a platform that wants it.
    cursor_format: Callable[[Any], str] | None = None
    #: The cursor is an instant: the bookmark is capped at the sync's start.
    instant_cursor: bool = True
    #: Only enrich people the program already has (e.g. school status from the education
    #: bureau): records about anyone else are skipped, never stored.
    enrich_only: bool = False

    def key_of(self, record: M) -> str:
        return str(getattr(record, self.primary_key))

    def cursor_of(self, record: M) -> str | None:
        if self.cursor_field is None:
            return None
        value = getattr(record, self.cursor_field)
        return None if value is None else self.format_cursor(value)

    def format_cursor(self, value: Any) -> str:
        return (self.cursor_format or cursor_text)(value)


def cursor_text(value: Any) -> str:
    """A cursor value as a string that sorts like the value."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a cursor instant needs a time zone")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, int):
        return f"{value:020d}"
    return str(value)


class Source(Protocol):
    """A configured source: a name (the provenance of what it writes) and its streams."""

    @property
    def name(self) -> str: ...

    def streams(self) -> list[Stream[Any]]: ...
