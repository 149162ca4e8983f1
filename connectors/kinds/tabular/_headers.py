"""Finding the header row and matching its columns to the spec's fields.

A ledger starts with a title (滕州市荆河街道困境儿童基本情况台账), a line of
填报单位/填报日期, and then its header, in one row or in two (a merged
监护人情况 over 姓名 | 关系 | 联系电话). Every row near the top is tried as a
one-row and as a two-row header; the reading that matches the most fields
unambiguously wins; ties go to the reading where more configured headers are
present at all, then to two rows tied by a cell merged over both (序号 merged
down), then to the reading whose body starts first, then to one row. So a
title above the header never becomes a "group", and a sub-header row never
becomes the first record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.kinds.tabular._cells import Cell, header_key, header_text, is_empty
from connectors.kinds.tabular._source import Merge, Row
from connectors.kinds.tabular._spec import TableSpec, alias_key


@dataclass(frozen=True, slots=True)
class Column:
    """A header column: ``监护人情况/姓名`` (full name) under a two-row header."""

    index: int
    name: str
    key: str  # full name, normalised
    leaf_key: str  # last part, normalised


class Matcher:
    """The spec's aliases, normalised once, and how columns are matched to fields."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.aliases = {
            name: [alias_key(alias) for alias in aliases] for name, aliases in spec.columns.items()
        }
        self.threshold = min(spec.header_min_matches, len(spec.columns))

    def match(self, columns: list[Column]) -> Mapping:
        """Fields → columns: full names first, then a leaf name shared by one column only."""
        full: dict[str, list[int]] = {}
        leaf: dict[str, list[int]] = {}
        for column in columns:
            full.setdefault(column.key, []).append(column.index)
            leaf.setdefault(column.leaf_key, []).append(column.index)
        found: dict[str, tuple[int, ...]] = {}
        claimed: set[int] = set()
        for name, keys in self.aliases.items():
            for key in keys:
                if hits := full.get(key):
                    found[name] = tuple(hits)
                    claimed.update(hits)
                    break
        by_index = {column.index: column for column in columns}
        ambiguous: dict[str, list[str]] = {}
        for name, keys in self.aliases.items():
            if name in found:
                continue
            for key in keys:
                hits = [index for index in leaf.get(key, ()) if index not in claimed]
                if not hits:
                    continue
                if len({by_index[index].key for index in hits}) == 1:
                    found[name] = tuple(hits)
                    claimed.update(hits)
                else:
                    ambiguous[name] = [by_index[index].name for index in hits]
                break
        return Mapping(found, ambiguous)


@dataclass(frozen=True)
class Mapping:
    """Which columns each field reads (several when a header is duplicated)."""

    fields: dict[str, tuple[int, ...]]
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    @property
    def score(self) -> int:
        """Fields matched to exactly one column: how much a header reading explains."""
        return sum(1 for hits in self.fields.values() if len(hits) == 1)

    @property
    def seen(self) -> int:
        """Fields whose header is there at all, even twice or ambiguously."""
        return len(self.fields) + len(self.ambiguous)


@dataclass(frozen=True)
class Header:
    """The header found: its first row's number, its height, its columns and their fields."""

    number: int
    height: int
    columns: list[Column]
    mapping: Mapping
    body_index: int  # index, in the rows searched, of the first row after the header
    merged: bool = False  # two rows tied by a cell merged over exactly both

    @property
    def last_number(self) -> int:
        return self.number + self.height - 1

    def names(self) -> str:
        return ", ".join(column.name for column in self.columns) or "(nothing)"


def find_header(rows: list[Row], merges: list[Merge], matcher: Matcher) -> Header | None:
    """The best header reading among ``rows`` (the top of a sheet), or None below the threshold."""
    if rows:
        merges = [merge for merge in merges if merge.top <= rows[-1].number]
    best: Header | None = None
    for index in range(len(rows)):
        for height in (1, 2):
            if index + height > len(rows):
                continue
            columns = header_columns(rows, index, height, merges)
            if not columns:
                continue
            number = rows[index].number
            merged = height == 2 and any(
                merge.top == number and merge.bottom == number + 1 for merge in merges
            )
            header = Header(number, height, columns, matcher.match(columns), index + height, merged)
            if best is None or _better(header, best):
                best = header
    if best is None or best.mapping.score < matcher.threshold:
        return None
    return best


def _better(one: Header, other: Header) -> bool:
    # Most fields matched unambiguously; then most headers present at all (an
    # ambiguous leaf still shows the second row is a header); then a cell
    # merged over both rows; then the body that starts first; then one row.
    if one.mapping.score != other.mapping.score:
        return one.mapping.score > other.mapping.score
    if one.mapping.seen != other.mapping.seen:
        return one.mapping.seen > other.mapping.seen
    if one.merged != other.merged:
        return one.merged
    if one.body_index != other.body_index:
        return one.body_index < other.body_index
    return one.height < other.height


def best_guess(rows: list[Row], merges: list[Merge]) -> Header | None:
    """Without a spec: the first all-text row at least half as full as the fullest row."""
    counts = [sum(1 for cell in row.cells if not is_empty(cell)) for row in rows]
    needed = max(2, (max(counts, default=0) + 1) // 2)
    for index, row in enumerate(rows):
        filled = [cell for cell in row.cells if not is_empty(cell)]
        if len(filled) >= needed and all(isinstance(cell, str) for cell in filled):
            height = 2 if _has_group(rows, index, merges) else 1
            columns = header_columns(rows, index, height, merges)
            return Header(row.number, height, columns, Mapping({}), index + height)
    return None


def _has_group(rows: list[Row], index: int, merges: list[Merge]) -> bool:
    number = rows[index].number
    return index + 1 < len(rows) and any(
        merge.top == number and merge.bottom == number and merge.right > merge.left
        for merge in merges
    )


def header_columns(rows: list[Row], index: int, height: int, merges: list[Merge]) -> list[Column]:
    """The columns named by ``height`` rows from ``rows[index]``, merged cells filled in."""
    lines = _filled(rows, index, height, merges)
    top = [header_text(cell) for cell in lines[0]]
    if height == 1:
        return [
            Column(c, name, header_key(name), header_key(name))
            for c, name in enumerate(top)
            if name
        ]
    bottom = [header_text(cell) for cell in lines[1]]
    bottom += [""] * (len(top) - len(bottom))
    top += [""] * (len(bottom) - len(top))
    _spread_groups(top, bottom)
    columns = []
    for c, (upper, lower) in enumerate(zip(top, bottom, strict=True)):
        if upper and lower and upper != lower:
            key = f"{header_key(upper)}/{header_key(lower)}"
            columns.append(Column(c, f"{upper}/{lower}", key, header_key(lower)))
        elif upper or lower:
            name = upper or lower
            columns.append(Column(c, name, header_key(name), header_key(name)))
    return columns


def _spread_groups(top: list[str], bottom: list[str]) -> None:
    # Without merge information (CSV, or a sheet someone unmerged) a group
    # heading sits over its first sub-column only: carry it right while the
    # row below goes on with sub-columns.
    group = ""
    for c, (upper, lower) in enumerate(zip(top, bottom, strict=True)):
        if upper:
            group = upper if lower else ""
        elif lower and group:
            top[c] = group
        else:
            group = ""


def _filled(rows: list[Row], index: int, height: int, merges: list[Merge]) -> list[list[Cell]]:
    lines = [list(row.cells) for row in rows[index : index + height]]
    numbers = [row.number for row in rows[index : index + height]]
    if not merges:
        return lines
    by_number = {row.number: row.cells for row in rows}
    for merge in merges:
        for line, number in zip(lines, numbers, strict=True):
            if not merge.top <= number <= merge.bottom:
                continue
            source = by_number.get(merge.top, [])
            value = source[merge.left] if merge.left < len(source) else ""
            if len(line) <= merge.right:
                line.extend([""] * (merge.right + 1 - len(line)))
            for c in range(merge.left, merge.right + 1):
                line[c] = value
    return lines
