"""Generated read statements: keyset pages, counts, lookups, relationship pages, aggregates.

A :class:`ListSpec` declares, for one label, what may be filtered, sorted and
grouped; from it this module generates fixed statements whose every filter is
a parameter that may be null (``($p IS NULL OR n.x = $p)``). One statement per
label × sort key × direction thus serves every combination of filters, stays
a named statement the Cypher lint and the statement tests see, and keeps the
query text constant (both engines cache plans by text).

Only allow-listed names reach the text: labels and relationship types from
:mod:`graph.model`, property names from the specs below; values always travel
as parameters.

Keyset pagination orders by ``(sort key, id)`` and resumes strictly after the
cursor's pair, so rows inserted meanwhile never shift a page (no OFFSET).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.model import INSTANTS, NODES, RELS
from graph.statements import Mode, Statement, statement

Kind = Literal["text", "key", "date", "int", "float", "bool", "list"]
Direction = Literal["asc", "desc"]

#: Operators per value kind: free text, keys and codes (enumerations, division
#: codes), ISO dates (compared as strings, which orders them), numbers, flags, lists.
OPS: dict[Kind, tuple[str, ...]] = {
    "text": ("eq", "contains", "startsWith"),
    "key": ("eq", "in"),
    "date": ("gte", "lte"),
    "int": ("eq", "gte", "lte"),
    "float": ("gte", "lte"),
    "bool": ("eq",),
    "list": ("any",),
}

_CONDITION = {
    "eq": "n.{p} = ${v}",
    "in": "n.{p} IN ${v}",
    "contains": "n.{p} CONTAINS ${v}",
    "startsWith": "n.{p} STARTS WITH ${v}",
    "gte": "n.{p} >= ${v}",
    "lte": "n.{p} <= ${v}",
    # FalkorDB 4.16 answers `<` and `<=` on an indexed *string* property from the
    # range index wrongly (every node matches); toString() keeps the index out.
    "lte_str": "toString(n.{p}) <= ${v}",
    "any": "any(x IN coalesce(n.{p}, []) WHERE x IN ${v})",
}

#: A value of each kind that makes a condition run in the statement tests.
_SAMPLE: dict[str, Any] = {
    "eq": "x",
    "in": ["x"],
    "contains": "x",
    "startsWith": "x",
    "gte": 0,
    "lte": 0,
    "any": ["x"],
}


@dataclass(frozen=True)
class Filter:
    """A filterable property and its value kind (which decides the operators)."""

    prop: str
    kind: Kind

    def params(self) -> Iterator[tuple[str, str]]:
        for op in OPS[self.kind]:
            yield op, param_name(self.prop, op)


@dataclass(frozen=True)
class Predicate:
    """A named, label-specific predicate with one parameter (e.g. "no visit since").

    ``text`` uses ``n`` for the node and ``$value`` for the parameter; it may
    only name labels and relationship types of the model. FalkorDB cannot
    evaluate a pattern comprehension inside WHERE, so a predicate that needs
    one declares it as ``bind``: it is computed in a WITH (only when the
    parameter is set) and ``text`` refers to it as ``$bound``.
    """

    name: str
    text: str
    bind: str | None = None

    @property
    def param(self) -> str:
        return param_name(self.name, "value")

    @property
    def alias(self) -> str:
        return f"p_{self.name}"

    def condition(self) -> str:
        return self.text.replace("$value", "$" + self.param).replace("$bound", self.alias)


@dataclass(frozen=True)
class ListSpec:
    """What may be asked of one label's list."""

    label: str
    sorts: tuple[str, ...] = ("id",)
    filters: tuple[Filter, ...] = ()
    predicates: tuple[Predicate, ...] = ()
    region: str | None = None  # property holding a division code; matched by prefix
    groups: Mapping[str, str] = field(default_factory=dict)  # dimension -> expression on n
    sums: tuple[str, ...] = ()  # numeric properties aggregates may sum
    #: Row-level scopes the access policy applies (never offered as filters), e.g.
    #: "the children paired with director $value".
    scopes: tuple[Predicate, ...] = ()
    #: Rows outside the reader's regions may be opened one by one (break-the-glass
    #: grants: ``$granted`` ids widen ``$scope``).
    grantable: bool = False

    def __post_init__(self) -> None:
        node = NODES.get(self.label)
        if node is None:
            raise ValueError(f"unknown label {self.label}")
        known = set(node.all_properties)
        for prop in (*self.sorts, *(f.prop for f in self.filters), *self.sums):
            if prop not in known:
                raise ValueError(f"{self.label}.{prop} is not in the model")
        if self.region is not None and self.region not in known:
            raise ValueError(f"{self.label}.{self.region} is not in the model")

    def numeric(self, prop: str) -> bool:
        """Whether ``prop`` holds numbers (instants, counts, scores) rather than strings."""
        if prop in INSTANTS:
            return True
        return any(f.prop == prop and f.kind in ("int", "float") for f in self.filters)

    @property
    def event(self) -> bool:
        return NODES[self.label].event

    def param_names(self) -> list[str]:
        names = [v for f in self.filters for _, v in f.params()]
        names += [p.param for p in (*self.predicates, *self.scopes)]
        if self.region is not None:
            names += ["region", "scope", "scopeOne"]
            if self.grantable:
                names.append("granted")
        return names


def param_name(prop: str, op: str) -> str:
    return f"f_{prop}_{op}"


Used = frozenset[str]


@dataclass(frozen=True)
class _Parts:
    bindings: str
    where: str


def _parts(spec: ListSpec, used: Used, carry: str = "n", *, current: bool = True) -> _Parts:
    """The WITH (bound predicates) and WHERE body of ``spec`` for the parameters ``used``.

    ``current``: of an event label, only the current versions (lists); look-ups
    by key (``node(id:)``) may reach a superseded version.
    """
    conditions: list[str] = []
    for f in spec.filters:
        for op, v in f.params():
            if v in used:
                form = "lte_str" if op == "lte" and f.kind in ("date", "key", "text") else op
                conditions.append(_CONDITION[form].format(p=f.prop, v=v))
    bound: list[str] = []
    for p in (*spec.predicates, *spec.scopes):
        if p.param in used:
            if p.bind:
                bound.append(f"{p.bind} AS {p.alias}")
            conditions.append(p.condition())
    if spec.region is not None:
        if "region" in used:
            conditions.append(f"n.{spec.region} STARTS WITH $region")
        # Row-level scope: the reader's regions. One region (the usual reader) is a
        # plain prefix test, ~3x cheaper per row than the general form.
        scope = ""
        if "scopeOne" in used:
            scope = f"n.{spec.region} STARTS WITH $scopeOne"
        elif "scope" in used:
            scope = _in_regions(f"n.{spec.region}")
        if scope:
            if "granted" in used:
                scope = f"({scope} OR n.id IN $granted)"
            conditions.append(scope)
    if spec.event and current:
        # Only the current version of an event. A pattern check here costs a
        # traversal per row on FalkorDB (~10 µs: half a second over 50k visits);
        # the one property a correction sets on the version it replaces is cheap.
        conditions.append("n.supersededAt IS NULL")
    with_ = f"WITH {carry}, {', '.join(bound)}" if bound else ""
    return _Parts(with_, " AND ".join(conditions))


#: Lengths of division codes: province, city, county, town, village.
CODE_LENGTHS = (2, 4, 6, 9, 12)


def _in_regions(code: str) -> str:
    """``code`` lies in one of the regions ``$scope`` (codes whose subtrees it covers).

    Not ``any(r IN $scope WHERE code STARTS WITH r)``: after a WITH, FalkorDB
    4.16 evaluates a list predicate that refers to a matched node as false for
    every row (relationship pages would be empty). A division code's ancestors
    are its prefixes of the standard lengths, so membership tests do the same.
    """
    prefixes = [f"substring({code}, 0, {n}) IN $scope" for n in CODE_LENGTHS[:-1]]
    return "(" + " OR ".join([*prefixes, f"{code} IN $scope"]) + ")"


def _and(*parts: str) -> str:
    body = " AND ".join(p for p in parts if p)
    return f"WHERE {body}" if body else ""


def _keyset(sort: str, direction: Direction, var: str, *, numeric: bool) -> str:
    cmp = ">" if direction == "asc" else "<"
    # See _CONDITION: a string `<` must not be answered from FalkorDB's index.
    key = f"{var}.{sort}" if numeric or cmp == ">" else f"toString({var}.{sort})"
    ident = f"{var}.id" if cmp == ">" else f"toString({var}.id)"
    return f"({key} {cmp} $afterKey OR ({var}.{sort} = $afterKey AND {ident} {cmp} $afterId))"


def _suffix(used: Used) -> str:
    return f"[{','.join(sorted(used))}]" if used else ""


Projection = frozenset[str] | None


def _project(var: str, props: Projection) -> str:
    """``n {.*}`` or ``n {.id, .name}``: only what the caller will read crosses the wire."""
    if props is None:
        return f"{var} {{.*}}"
    return f"{var} {{{', '.join('.' + p for p in sorted(props | {'id'}))}}}"


def _psuffix(props: Projection) -> str:
    return "" if props is None else "{" + ",".join(sorted(props | {"id"})) + "}"


def sample_params(spec: ListSpec, used: Used) -> dict[str, Any]:
    """Values for the parameters ``used`` that make a composition run in tests."""
    values: dict[str, Any] = {}
    for f in spec.filters:
        for op, v in f.params():
            if v in used:
                values[v] = True if f.kind == "bool" else _SAMPLE[op]
    for p in (*spec.predicates, *spec.scopes):
        if p.param in used:
            values[p.param] = 0 if p.bind else "x"
    if "region" in used:
        values["region"] = "37"
    if "scope" in used:
        values["scope"] = ["37"]
    if "scopeOne" in used:
        values["scopeOne"] = "37"
    if "granted" in used:
        values["granted"] = ["x"]
    return values


@dataclass(frozen=True)
class RelSpec:
    """A relationship field: from a parent label, along a type, to the spec's label.

    ``outgoing`` is the direction seen from the parent; ``many`` says whether
    the field is a connection or a single node.
    """

    name: str
    parent: str
    type: str
    child: str
    outgoing: bool
    many: bool = False

    def __post_init__(self) -> None:
        start, end = (self.parent, self.child) if self.outgoing else (self.child, self.parent)
        if (start, self.type, end) not in RELS:
            raise ValueError(f"({start})-[:{self.type}]->({end}) is not in the model")

    def pattern(self) -> str:
        # The parent is matched first, behind a WITH: without that barrier
        # FalkorDB plans a filtered relationship page as a scan of the child
        # label (1 s for eleven children's visits instead of 1 ms).
        arrow = f"-[:{self.type}]->" if self.outgoing else f"<-[:{self.type}]-"
        return f"MATCH (p:{self.parent} {{id: key}}) WITH key, p MATCH (p){arrow}(n:{self.child})"


class Catalog:
    """Composes and caches the read statements of the list and relationship specs."""

    def __init__(self) -> None:
        self.specs: dict[str, ListSpec] = {}
        self.rels: dict[str, RelSpec] = {}
        self._cache: dict[tuple[Any, ...], Statement] = {}

    # -- declaration -----------------------------------------------------------------
    def add_list(self, spec: ListSpec) -> None:
        """Declare a list spec; register its checked compositions and lookups."""
        self.specs[spec.label] = spec
        # Every condition is checked once in place (all of them, in one page), every
        # order, count and grouping once without conditions: a composition only ANDs
        # checked conditions into a checked frame. (The Neo4j lint costs ~3 s for a
        # statement with every condition, so each is checked once, not per frame.)
        every = frozenset(spec.param_names())
        none: Used = frozenset()
        first = spec.sorts[0]
        self._register(self.page(spec.label, first, "asc", every, cursor=True))
        self._register(self.page(spec.label, first, "asc", none))
        for sort in spec.sorts:
            for direction in ("asc", "desc"):
                self._register(self.page(spec.label, sort, direction, none, cursor=True))
        self._register(self.count(spec.label, none))
        for dims in _dimension_sets(spec):
            self._register(self.aggregate(spec.label, dims, none))
        self._register(self.by_id(spec.label))
        scoped = frozenset(_scope_params(spec))
        if scoped:
            self._register(self.by_id(spec.label, used=scoped))
        # The explicit projection of every property, checked once per label.
        self._register(self.by_id(spec.label, frozenset(NODES[spec.label].all_properties)))

    def add_rel(self, rel: RelSpec) -> None:
        """Declare a relationship field; register its checked compositions."""
        self.rels[rel.name] = rel
        if not rel.many:
            self._register(self.rel_one(rel.name))
            scoped = frozenset(_scope_params(self.specs[rel.child]))
            if scoped:
                self._register(self.rel_one(rel.name, used=scoped))
            return
        spec = self.specs[rel.child]
        every = frozenset(spec.param_names()) - {"region"}
        none: Used = frozenset()
        sorts = self.rel_sorts(rel.name)
        if any(p.bind for p in spec.predicates):
            # Bound predicates carry `key` through their WITH here: check that frame.
            self._register(self.rel_page(rel.name, sorts[0], "asc", every, cursor=True))
        self._register(self.rel_page(rel.name, sorts[0], "asc", none))
        for sort in sorts:
            for direction in ("asc", "desc"):
                self._register(self.rel_page(rel.name, sort, direction, none, cursor=True))

    def rel_sorts(self, rel: str) -> tuple[str, ...]:
        # Relationship pages sort by the child's first two keys: enough for
        # nested lists, and it keeps the statements in check.
        return self.specs[self.rels[rel].child].sorts[:2]

    @staticmethod
    def _register(stmt: Statement) -> None:
        # Into the global registry, so the lint and the statement tests see it.
        statement(stmt.name, stmt.text, stmt.mode, params=stmt.params, sample=stmt.sample)

    # -- composition -----------------------------------------------------------------
    def by_id(self, label: str, props: Projection = None, used: Used = frozenset()) -> Statement:
        """Nodes of ``label`` by key (``$ids``), one row per key found (and in scope)."""
        key = ("by_id", label, props, used)
        if key not in self._cache:
            parts = _parts(self.specs[label], used, "key, n", current=False)
            self._cache[key] = self._named(
                f"list.{label}.by_id{_suffix(used)}{_psuffix(props)}",
                f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) "
                f"{parts.bindings} {_and(parts.where)} "
                f"RETURN key, {_project('n', props)} AS node",
                ("ids", *sorted(used)),
                {**sample_params(self.specs[label], used), "ids": ["none"]},
            )
        return self._cache[key]

    def rel_one(
        self, rel_name: str, props: Projection = None, used: Used = frozenset()
    ) -> Statement:
        """The node at the end of a to-one relationship, per parent key (``$keys``)."""
        key = ("rel_one", rel_name, props, used)
        if key not in self._cache:
            rel = self.rels[rel_name]
            parts = _parts(self.specs[rel.child], used, "key, n", current=False)
            self._cache[key] = self._named(
                f"rel.{rel_name}.one{_suffix(used)}{_psuffix(props)}",
                f"UNWIND $keys AS key {rel.pattern()} {parts.bindings} {_and(parts.where)} "
                f"RETURN key, {_project('n', props)} AS node",
                ("keys", *sorted(used)),
                {**sample_params(self.specs[rel.child], used), "keys": ["none"]},
            )
        return self._cache[key]

    def page(
        self,
        label: str,
        sort: str,
        direction: Direction,
        used: Used,
        *,
        cursor: bool = False,
        props: Projection = None,
    ) -> Statement:
        """A keyset page of ``label``: ``$limit`` rows after (``$afterKey``, ``$afterId``)."""
        key = ("page", label, sort, direction, used, cursor, props)
        if key in self._cache:
            return self._cache[key]
        spec = self.specs[label]
        if sort not in spec.sorts:
            raise KeyError(f"{label} cannot be sorted by {sort}")
        parts = _parts(spec, used)
        d = "ASC" if direction == "asc" else "DESC"
        keyset = _keyset(sort, direction, "n", numeric=spec.numeric(sort)) if cursor else ""
        # Sort and cut before projecting: projecting every row's properties first
        # costs 230 ms over 55k visits instead of 16 ms.
        name = (
            f"list.{label}.page.{sort}.{direction}{'.after' if cursor else ''}"
            f"{_suffix(used)}{_psuffix(props)}"
        )
        params = ("limit", *(("afterKey", "afterId") if cursor else ()), *sorted(used))
        sample = {**sample_params(spec, used), "limit": 1}
        if cursor:
            sample.update(afterKey="", afterId="")
        stmt = self._cache[key] = self._named(
            name,
            f"""
            MATCH (n:{label})
            {parts.bindings}
            {_and(parts.where, keyset)}
            WITH n ORDER BY n.{sort} {d}, n.id {d} LIMIT $limit
            RETURN {_project("n", _with_sort(props, sort))} AS node
            """,
            params,
            sample,
        )
        return stmt

    def count(self, label: str, used: Used) -> Statement:
        key = ("count", label, used)
        if key not in self._cache:
            spec = self.specs[label]
            parts = _parts(spec, used)
            self._cache[key] = self._named(
                f"list.{label}.count{_suffix(used)}",
                f"MATCH (n:{label}) {parts.bindings} {_and(parts.where)} RETURN count(n) AS total",
                tuple(sorted(used)),
                sample_params(spec, used),
            )
        return self._cache[key]

    def aggregate(self, label: str, dims: tuple[str, ...], used: Used) -> Statement:
        """Counts (and sums) of ``label`` grouped by up to two allowed dimensions."""
        key = ("aggregate", label, dims, used)
        if key not in self._cache:
            spec = self.specs[label]
            for d in dims:
                if d not in spec.groups:
                    raise KeyError(f"{label} cannot be grouped by {d}")
            parts = _parts(spec, used)
            keys = "".join(f"{spec.groups[d]} AS {d}, " for d in dims)
            sums = "".join(f", sum(n.{s}) AS sum_{s}" for s in spec.sums)
            self._cache[key] = self._named(
                f"list.{label}.aggregate.{'_'.join(dims) or 'all'}{_suffix(used)}",
                f"""
                MATCH (n:{label})
                {parts.bindings}
                {_and(parts.where)}
                RETURN {keys}count(n) AS count{sums}
                """,
                tuple(sorted(used)),
                sample_params(spec, used),
            )
        return self._cache[key]

    def rel_page(
        self,
        rel_name: str,
        sort: str,
        direction: Direction,
        used: Used,
        *,
        cursor: bool = False,
        props: Projection = None,
    ) -> Statement:
        """A page per parent key of a to-many relationship, for a whole loader batch.

        One row per parent key that has related nodes (a key without a row has
        none), with the parent's total and its page.
        """
        key = ("rel_page", rel_name, sort, direction, used, cursor, props)
        if key in self._cache:
            return self._cache[key]
        rel = self.rels[rel_name]
        if sort not in self.rel_sorts(rel_name):
            raise KeyError(f"{rel_name} cannot be sorted by {sort}")
        spec = self.specs[rel.child]
        parts = _parts(spec, used, carry="key, n")
        d = "ASC" if direction == "asc" else "DESC"
        # Properties are projected for the page only, not for every related node.
        page = (
            f"[x IN rows WHERE {_keyset(sort, direction, 'x', numeric=spec.numeric(sort))}]"
            "[..$limit]"
            if cursor
            else "rows[..$limit]"
        )
        name = (
            f"rel.{rel_name}.page.{sort}.{direction}{'.after' if cursor else ''}"
            f"{_suffix(used)}{_psuffix(props)}"
        )
        params = ("keys", "limit", *(("afterKey", "afterId") if cursor else ()), *sorted(used))
        sample = {**sample_params(spec, used), "keys": ["none"], "limit": 1}
        if cursor:
            sample.update(afterKey="", afterId="")
        stmt = self._cache[key] = self._named(
            name,
            f"""
            UNWIND $keys AS key
            {rel.pattern()}
            {parts.bindings}
            {_and(parts.where)}
            WITH key, n ORDER BY n.{sort} {d}, n.id {d}
            WITH key, collect(n) AS rows
            RETURN key, size(rows) AS total,
                   [r IN {page} | {_project("r", _with_sort(props, sort))}] AS page
            """,
            params,
            sample,
        )
        return stmt

    @staticmethod
    def _named(name: str, text: str, params: tuple[str, ...], sample: dict[str, Any]) -> Statement:
        return Statement(
            name=name, text=" ".join(text.split()), mode=Mode.READ, params=params, sample=sample
        )


def _with_sort(props: Projection, sort: str) -> Projection:
    # Cursors are made of the sort key and the id, so both are always read.
    return None if props is None else props | {sort}


def _scope_params(spec: ListSpec) -> list[str]:
    """The parameters of the row scopes of ``spec`` (what the access policy may bind)."""
    names = [p.param for p in spec.scopes]
    if spec.region is not None:
        names += ["scope", "scopeOne"]
        if spec.grantable:
            names.append("granted")
    return names


def _dimension_sets(spec: ListSpec) -> Iterator[tuple[str, ...]]:
    dims = sorted(spec.groups)
    yield ()
    for i, a in enumerate(dims):
        yield (a,)
        for b in dims[i + 1 :]:
            yield (a, b)
