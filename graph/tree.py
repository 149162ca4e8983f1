"""Nested reads in one statement: a root page (or one node by key) with its relationship
fields, to any depth.

The GraphQL layer answers a query of known shape (lists, relationship pages,
to-one fields, plain properties) with one of these instead of one statement per
field: a round trip to the graph costs more than the rest of a small query.
Each level is composed from the same checked parts as the flat statements of
:mod:`graph.listing` (its label's filters, the reader's row scope, the keyset
of its page), so a level of a tree returns exactly the rows the flat statement
would. A level's parameters are its own, prefixed ``t<i>_`` (``i``: the level's
place in pre-order, root 0), so the same filter may be given at two levels.

Shape of a level: ``OPTIONAL MATCH`` the related nodes, sort them, cut the page
(``size + 1`` rows, to tell whether there is more), ``UNWIND`` the page (a
parent with no page keeps its row through ``[null]``), compute the level's own
branches, then ``collect`` the nodes back per parent in page order. The page is
cut before deeper levels run, so the work follows the page sizes, not how many
nodes a parent has further down.

A row of the result is one root node as a map: its projected properties and,
per branch, ``<key>`` (the page, a list of maps, or the node or null) and for
a page ``<key>_total`` (the parent's whole count).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.listing import (
    Catalog,
    Direction,
    Used,
    _and,
    _keyset,
    _parts,
    sample_params,
)
from graph.statements import Mode, Statement

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Branch:
    """A relationship field under a level, answered under ``key`` of the level's map.

    ``sort``, ``direction`` and ``cursor`` apply to pages (to-many relationships).
    """

    key: str
    rel: str
    level: Level
    sort: str = "id"
    direction: Direction = "asc"
    cursor: bool = False
    total: bool = False


@dataclass(frozen=True)
class Level:
    """One label's nodes: the parameters in use, the properties to project, the branches.

    ``props`` is all that is projected: every property costs the wire and the
    client's parsing, so the caller names only what it reads (the id and the sort
    key only when it makes ids or cursors of them).
    """

    label: str
    used: Used = frozenset()
    props: frozenset[str] = frozenset()
    branches: tuple[Branch, ...] = field(default=())


@dataclass(frozen=True)
class Tree:
    """A root page of ``root.label`` (``by_key``: the one node ``$key``) and its branches."""

    root: Level
    by_key: bool = False
    sort: str = "id"
    direction: Direction = "asc"
    cursor: bool = False


def tree_params(levels: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The statement's parameters from each level's own, given in pre-order (root first)."""
    return {f"t{i}_{k}": v for i, params in enumerate(levels) for k, v in params.items()}


def tree_statement(catalog: Catalog, tree: Tree) -> Statement:
    """The one statement answering ``tree`` (composed once per shape, then cached)."""
    cache = _CACHE.setdefault(id(catalog), {})
    found = cache.get(tree)
    if found is None:
        found = cache[tree] = _Composer(catalog).compose(tree)
    return found


_CACHE: dict[int, dict[Tree, Statement]] = {}


def _rename(fragment: str, index: int) -> str:
    return _PARAM.sub(lambda m: f"$t{index}_{m.group(1)}", fragment)


def _dir(direction: Direction) -> str:
    return "ASC" if direction == "asc" else "DESC"


class _Composer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.lines: list[str] = []
        self.count = 0
        self.params: list[str] = []
        self.sample: dict[str, Any] = {}

    def _level_index(self, level: Level, *, page: bool, cursor: bool) -> int:
        index = self.count
        self.count += 1
        spec = self.catalog.specs[level.label]
        own = {**sample_params(spec, level.used)}
        if page:
            own["limit"] = 1
        if cursor:
            own.update(afterKey="", afterId="")
        names = sorted(level.used) + (["limit"] if page else [])
        if cursor:
            names += ["afterKey", "afterId"]
        self.params += [f"t{index}_{n}" for n in names]
        self.sample.update({f"t{index}_{k}": v for k, v in own.items()})
        return index

    def compose(self, tree: Tree) -> Statement:
        root = tree.root
        spec = self.catalog.specs[root.label]
        if tree.by_key:
            index = self._level_index(root, page=False, cursor=False)
            self.params.append(f"t{index}_key")
            self.sample[f"t{index}_key"] = "none"
            parts = _parts(spec, root.used, current=False)
            self.lines.append(
                _rename(f"MATCH (n:{root.label} {{id: $key}}) {_and(parts.where)}", index)
            )
        else:
            index = self._level_index(root, page=True, cursor=tree.cursor)
            parts = _parts(spec, root.used)
            keyset = (
                _keyset(tree.sort, tree.direction, "n", numeric=spec.numeric(tree.sort))
                if tree.cursor
                else ""
            )
            d = _dir(tree.direction)
            self.lines.append(
                _rename(
                    f"MATCH (n:{root.label}) {_and(parts.where, keyset)} "
                    f"WITH n ORDER BY n.{tree.sort} {d}, n.id {d} LIMIT $limit",
                    index,
                )
            )
        var = f"a{index}"
        self.lines.append(f"WITH n AS {var}")
        scope = [var]
        value = self._level(root, var, scope)
        if not tree.by_key:
            d = _dir(tree.direction)
            self.lines.append(
                f"WITH {', '.join(scope)} ORDER BY {var}.{tree.sort} {d}, {var}.id {d}"
            )
        self.lines.append(f"RETURN {value} AS node")
        text = " ".join(" ".join(self.lines).split())
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        return Statement(
            name=f"tree.{root.label}.{digest}",
            text=text,
            mode=Mode.READ,
            params=tuple(self.params),
            sample=self.sample,
        )

    def _level(self, level: Level, var: str, scope: list[str]) -> str:
        """Append the level's branches; return the map expression of its node ``var``.

        ``scope`` is what every WITH carries; the branches' results join it.
        """
        # An empty projection is not valid everywhere: the id stands in.
        entries = [f".{p}" for p in sorted(level.props or {"id"})]
        for branch in level.branches:
            if self.catalog.rels[branch.rel].many:
                entries += self._page(branch, var, scope)
            else:
                entries += self._one(branch, var, scope)
        return f"{var} {{{', '.join(entries)}}}"

    def _match(self, branch: Branch, var: str, index: int, *, current: bool) -> None:
        rel = self.catalog.rels[branch.rel]
        arrow = f"-[:{rel.type}]->" if rel.outgoing else f"<-[:{rel.type}]-"
        spec = self.catalog.specs[rel.child]
        parts = _parts(spec, branch.level.used, current=current)
        self.lines.append(
            _rename(f"OPTIONAL MATCH ({var}){arrow}(n:{rel.child}) {_and(parts.where)}", index)
        )

    def _page(self, branch: Branch, var: str, scope: list[str]) -> list[str]:
        rel = self.catalog.rels[branch.rel]
        spec = self.catalog.specs[rel.child]
        i = self._level_index(branch.level, page=True, cursor=branch.cursor)
        self._match(branch, var, i, current=True)
        carried = ", ".join(scope)
        d = _dir(branch.direction)
        rows = f"l{i}"
        page = (
            f"[x IN {rows} WHERE "
            f"{_keyset(branch.sort, branch.direction, 'x', numeric=spec.numeric(branch.sort))}]"
            if branch.cursor
            else rows
        )
        child = f"a{i}"
        self.lines += [
            f"WITH {carried}, n ORDER BY n.{branch.sort} {d}, n.id {d}",
            f"WITH {carried}, collect(n) AS {rows}",
        ]
        if not branch.level.branches:
            # A leaf: project the page in a list comprehension, no second pass.
            value = self._level(branch.level, "x", [])
            self.lines.append(
                _rename(
                    f"WITH {carried}, size({rows}) AS t{i}, "
                    f"[x IN {page}[..$limit] | {value}] AS r{i}",
                    i,
                )
            )
            scope += [f"t{i}", f"r{i}"]
            return self._page_entries(branch, i)
        self.lines += [
            _rename(f"WITH {carried}, size({rows}) AS t{i}, {page}[..$limit] AS g{i}", i),
            f"UNWIND CASE WHEN size(g{i}) = 0 THEN [null] ELSE g{i} END AS {child}",
        ]
        inner = [*scope, f"t{i}", child]
        value = self._level(branch.level, child, inner)
        self.lines += [
            f"WITH {', '.join(inner)} ORDER BY {child}.{branch.sort} {d}, {child}.id {d}",
            f"WITH {carried}, t{i}, "
            f"collect(CASE WHEN {child} IS NULL THEN null ELSE {value} END) AS r{i}",
        ]
        scope += [f"t{i}", f"r{i}"]
        return self._page_entries(branch, i)

    @staticmethod
    def _page_entries(branch: Branch, i: int) -> list[str]:
        entries = [f"{branch.key}: r{i}"]
        if branch.total:
            entries.append(f"{branch.key}_total: t{i}")
        return entries

    def _one(self, branch: Branch, var: str, scope: list[str]) -> list[str]:
        i = self._level_index(branch.level, page=False, cursor=False)
        # A to-one field may reach a superseded version of an event (as its flat
        # statement does): the version the relationship was made with.
        self._match(branch, var, i, current=False)
        child = f"a{i}"
        if not branch.level.branches:
            value = self._level(branch.level, "n", [])
            # FalkorDB projects a null node as a map of nulls: hence the CASE.
            self.lines.append(
                f"WITH {', '.join(scope)}, "
                f"head(collect(CASE WHEN n IS NULL THEN null ELSE {value} END)) AS r{i}"
            )
            scope.append(f"r{i}")
            return [f"{branch.key}: r{i}"]
        # Not head(collect(n)): FalkorDB cannot MATCH from a node taken out of a list
        # by a function, only from one UNWIND gives back.
        self.lines += [
            f"WITH {', '.join(scope)}, collect(n)[..1] AS g{i}",
            f"UNWIND CASE WHEN size(g{i}) = 0 THEN [null] ELSE g{i} END AS {child}",
        ]
        inner = [*scope, child]
        value = self._level(branch.level, child, inner)
        self.lines.append(
            f"WITH {', '.join(scope)}, CASE WHEN {child} IS NULL THEN null ELSE {value} END AS r{i}"
        )
        scope.append(f"r{i}")
        return [f"{branch.key}: r{i}"]
