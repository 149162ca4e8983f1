"""Queries of known shape answered in one graph statement per root field.

Most of what partners and the program's apps ask is a tree of lists: a root list
or ``node(id:)``, relationship pages and to-one fields below, plain properties
at the leaves. Executed field by field, such a query costs one graph round trip
per level and, in strawberry and graphql-core, tens of microseconds per
resolved field: a town's villages with their directors and facilities took
eleven milliseconds for what the graph answers in under two.

This module answers such an operation without the field-by-field executor:
the selection becomes one :class:`graph.tree.Tree` per root field (the same
checked parts as the flat statements, the same policy: rows limited by the
reader's scope, hidden personal properties never read, masked ones masked,
every returned personal field noted for the audit event), and the rows become
the response directly. The arguments pass through the same functions as the
resolvers' (:func:`schema.core.fields.root_page_query`, ``rel_page_query``).

Anything else takes the general path, unchanged: mutations, fields with their
own resolvers, directives, introspection, and anything the policy refuses or
that would be an error (so errors are always the resolvers' own). A fallback
after the graph was read restores what the attempt noted for the audit.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    get_operation_ast,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField
from strawberry.types.graphql import OperationType as ExecutedType

from graph.model import DATES, INSTANTS, NODES
from graph.queries.catalog import CATALOG, RELATIONS, SPECS
from graph.statements import Statement
from graph.tree import Branch, Level, Tree, tree_params, tree_statement
from schema.access.audit import record_access
from schema.access.policy import REVEALING, Access
from schema.core.fields import (
    FIELD_KINDS,
    FieldKind,
    PageArgs,
    PageQuery,
    rel_page_query,
    root_page_query,
)
from schema.core.ids import from_global_id, to_global_id
from schema.core.pagination import PageRequest, encode_cursor
from schema.core.registry import NODE_KINDS
from schema.core.rows import _date, _instant, _plain, camel
from schema.errors import BadArgument

Row = dict[str, Any]
#: How a row (and the request's policy, which redacts and notes for the audit)
#: becomes a value of the answer.
Shape = Callable[[Row, Access], Any]
Finish = Callable[[list[Row], int | None, Access], Any]


class NotCompiled(Exception):
    """The operation takes the general path (the reason is for tests and debugging)."""


@dataclass
class _Plan:
    """One root field: its statement's tree and parameters, and how rows become the answer."""

    key: str
    tree: Tree | None  # None: nothing to read (an unknown id answers null)
    params: dict[str, Any]
    finish: Finish
    count: tuple[Statement, dict[str, Any]] | None = None  # root totalCount: statement, params
    #: ``node(id: $v)``: the variable whose key each request binds (see ``_id_variables``).
    key_variable: str | None = None
    statement: Statement | None = None

    def __post_init__(self) -> None:
        if self.tree is not None:
            self.statement = tree_statement(CATALOG, self.tree)

    def bind(self, variables: Mapping[str, Any] | None) -> dict[str, Any]:
        """The statement's parameters for this request's variables."""
        if self.key_variable is None or variables is None:
            return self.params
        _, key = from_global_id(str(variables[self.key_variable]))
        return {**self.params, "t0_key": key}


@dataclass
class _Build:
    """What a level's selection needs: properties, branches, per-level parameters."""

    props: set[str] = field(default_factory=set)
    branches: list[Branch] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)

    def level(self, label: str, used: frozenset[str]) -> Level:
        """The level this selection reads, of ``label`` with the parameters ``used``."""
        return Level(label, _unbound(label, used), frozenset(self.props), tuple(self.branches))


class _Compiler:
    def __init__(
        self,
        schema: GraphQLSchema,
        strawberry_schema: Any,
        document: Any,
        variables: Any,  # graphql-core's coerced variable values
        access: Access,
        id_variables: frozenset[str] = frozenset(),
    ) -> None:
        self.id_variables = id_variables
        self.schema = schema
        self.strawberry_schema = strawberry_schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = variables
        self.access = access

    # -- selections ------------------------------------------------------------------
    def collect(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode | None
    ) -> dict[str, list[FieldNode]]:
        """Fields by response key, fragments applied for ``type_`` (graphql-core's rule)."""
        out: dict[str, list[FieldNode]] = {}
        self._collect(type_, selection_set, out)
        return out

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode | None,
        out: dict[str, list[FieldNode]],
    ) -> None:
        if selection_set is None:
            return
        for sel in selection_set.selections:
            if sel.directives:
                raise NotCompiled("directives")
            if isinstance(sel, FieldNode):
                key = sel.alias.value if sel.alias else sel.name.value
                out.setdefault(key, []).append(sel)
            elif isinstance(sel, InlineFragmentNode):
                if self._applies(sel.type_condition, type_):
                    self._collect(type_, sel.selection_set, out)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = self.fragments.get(sel.name.value)
                if fragment is None:
                    raise NotCompiled("unknown fragment")
                if self._applies(fragment.type_condition, type_):
                    self._collect(type_, fragment.selection_set, out)

    def _applies(self, condition: Any, type_: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        named = self.schema.get_type(condition.name.value)
        if named is None:
            raise NotCompiled("unknown type condition")
        if named is type_:
            return True
        return self.schema.is_sub_type(named, type_)  # type: ignore[arg-type]

    def arguments(self, parent: GraphQLObjectType, node: FieldNode) -> dict[str, Any]:
        gfield = parent.fields[node.name.value]
        definition = _definition(gfield)
        raw = get_argument_values(gfield, node, self.variables)
        return convert_arguments(
            raw,
            definition.arguments,
            scalar_registry=self.strawberry_schema.schema_converter.scalar_registry,
            config=self.strawberry_schema.config,
        )

    # -- root fields -----------------------------------------------------------------
    def root(self, key: str, nodes: list[FieldNode]) -> _Plan:
        query = self.schema.query_type
        assert query is not None
        name = nodes[0].name.value
        if name == "__typename":
            return _Plan(key, None, {}, lambda rows, total, access: query.name)
        gfield = query.fields.get(name)
        if gfield is None:
            raise NotCompiled(name)
        kind = _kind(gfield)
        if kind is None:
            raise NotCompiled(f"root field {name}")
        args = self.arguments(query, nodes[0])
        if kind.kind == "node":
            return self._node(key, nodes, args)
        if kind.kind != "list":
            raise NotCompiled(name)
        return self._list(key, nodes, args, kind.name, kind.type_name, gfield.type)

    def _node(self, key: str, nodes: list[FieldNode], args: dict[str, Any]) -> _Plan:
        type_name, ident = from_global_id(str(args["id"]))
        kind = NODE_KINDS.get(type_name)
        if kind is None or not self.access.can_read(kind.label):
            return _Plan(key, None, {}, lambda rows, total, access: None)
        type_ = self.schema.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType)
        fields = self.merged(type_, nodes)
        build = _Build()
        scope = self.access.row_params(kind.label)
        build.params.append({**scope, "key": ident})
        shape = self.node_shape(type_, kind.label, fields, build, cursor_sort=None)
        level = build.level(kind.label, frozenset(scope))
        grantable = self.access.needs_grants and SPECS[kind.label].grantable

        def finish(rows: list[Row], total: int | None, access: Access) -> Any:
            if not rows:
                if grantable:
                    # Perhaps under a break-the-glass grant: the resolver looks it up.
                    raise NotCompiled("outside the regions")
                return None
            return shape(rows[0]["node"], access)

        argument = next(a for a in nodes[0].arguments or () if a.name.value == "id")
        variable = argument.value.name.value if isinstance(argument.value, VariableNode) else None
        return _Plan(
            key,
            Tree(level, by_key=True),
            tree_params(build.params),
            finish,
            key_variable=variable if variable in self.id_variables else None,
        )

    def _list(
        self,
        key: str,
        nodes: list[FieldNode],
        args: dict[str, Any],
        label: str,
        type_name: str,
        gtype: GraphQLOutputType,
    ) -> _Plan:
        query = root_page_query(
            self.access,
            label,
            f"`{nodes[0].name.value}`",
            PageArgs.of(args),
            args.get("in_region"),
        )
        build = _Build()
        build.params.append({**query.params, **query.page.params()})
        conn = _object(gtype)
        finish_page, wants_total = self.page_shape(conn, label, type_name, nodes, query, build)
        level = build.level(label, frozenset(query.params))
        tree = Tree(
            level,
            sort=query.sort,
            direction=query.direction,
            cursor=query.page.cursor is not None,
        )
        count = (
            (CATALOG.count(label, frozenset(query.params)), query.params) if wants_total else None
        )

        def finish(rows: list[Row], total: int | None, access: Access) -> Any:
            return finish_page([r["node"] for r in rows], total, access)

        return _Plan(key, tree, tree_params(build.params), finish, count)

    # -- objects ---------------------------------------------------------------------
    def merged(
        self, type_: GraphQLObjectType, nodes: Sequence[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        out: dict[str, list[FieldNode]] = {}
        for node in nodes:
            for key, found in self.collect(type_, node.selection_set).items():
                out.setdefault(key, []).extend(found)
        return out

    def node_shape(
        self,
        type_: GraphQLObjectType,
        label: str,
        fields: dict[str, list[FieldNode]],
        build: _Build,
        cursor_sort: str | None,
    ) -> Shape:
        """How one node's row becomes its answer; notes what the level must read."""
        kind = NODE_KINDS.get(type_.name)
        if kind is None or kind.label != label:
            raise NotCompiled(f"type {type_.name}")
        plain = _plain_fields(kind.cls)
        hidden = self.access.hidden(label)
        makers: list[tuple[str, Shape]] = []
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                makers.append((key, _const(type_.name)))
                continue
            gfield = type_.fields.get(name)
            if gfield is None:
                raise NotCompiled(name)
            definition = _definition(gfield)
            if definition.base_resolver is None:
                python = definition.python_name
                if python == "id":
                    build.props.add("id")
                    makers.append((key, _global_id(type_.name)))
                    continue
                if python not in plain:
                    raise NotCompiled(f"{type_.name}.{name}")
                prop = plain[python]
                if prop not in hidden:
                    build.props.add(prop)
                makers.append((key, _leaf(gfield.type, prop)))
                continue
            fkind = _kind(gfield)
            if fkind is None or fkind.kind not in ("page", "one"):
                raise NotCompiled(f"{type_.name}.{name}")
            if fkind.name in REVEALING:
                raise NotCompiled(f"{fkind.name} reveals a protected field")
            branch_key = f"b{len(build.branches)}"
            makers.append(
                (
                    key,
                    self._branch(
                        type_, gfield.type, fkind.name, fkind.type_name, nodes, build, branch_key
                    ),
                )
            )
        if cursor_sort is not None:
            build.props.update(("id", cursor_sort))
        if not build.props.isdisjoint(NODES[label].sensitive):
            build.props.add("id")  # the audit notes the records whose personal data it returns

        def shape(row: Row, access: Access) -> Any:
            row = access.redact(label, row)
            return {key: make(row, access) for key, make in makers}

        return shape

    def _branch(
        self,
        parent: GraphQLObjectType,
        gtype: GraphQLOutputType,
        rel_name: str,
        type_name: str,
        nodes: list[FieldNode],
        build: _Build,
        branch_key: str,
    ) -> Shape:
        rel = RELATIONS[rel_name]
        args = self.arguments(parent, nodes[0])
        child = _Build()
        index = len(build.params)
        build.params.append({})  # this level's place in pre-order; filled below
        if rel.many:
            query = rel_page_query(self.access, rel_name, PageArgs.of(args))
            build.params[index] = {**query.params, **query.page.params()}
            conn = _object(gtype)
            finish_page, wants_total = self.page_shape(
                conn, rel.child, type_name, nodes, query, child
            )
            build.params.extend(child.params)
            build.branches.append(
                Branch(
                    branch_key,
                    rel_name,
                    child.level(rel.child, frozenset(query.params)),
                    sort=query.sort,
                    direction=query.direction,
                    cursor=query.page.cursor is not None,
                    total=wants_total,
                )
            )
            total_key = f"{branch_key}_total"
            return lambda row, access: finish_page(row[branch_key], row.get(total_key), access)
        self.access.require_rows(rel.child, f"`{rel_name}`")
        scope = self.access.row_params(rel.child)
        build.params[index] = scope
        type_ = _object(gtype)
        shape = self.node_shape(
            type_, rel.child, self.merged(type_, nodes), child, cursor_sort=None
        )
        build.params.extend(child.params)
        build.branches.append(
            Branch(
                branch_key,
                rel_name,
                child.level(rel.child, frozenset(scope)),
            )
        )

        def one(row: Row, access: Access) -> Any:
            found = row[branch_key]
            return None if found is None else shape(found, access)

        return one

    def page_shape(
        self,
        conn: GraphQLObjectType,
        label: str,
        type_name: str,
        nodes: list[FieldNode],
        query: PageQuery,
        build: _Build,
    ) -> tuple[Finish, bool]:
        """How a page's rows (``size + 1`` read) become a connection's answer."""
        page = query.page
        sort = query.sort
        fields = self.merged(conn, nodes)
        node_type = self.schema.get_type(type_name)
        assert isinstance(node_type, GraphQLObjectType)
        # Per response key of the connection: what it is and, for edges and
        # pageInfo, their own fields (each alias has its own selection).
        parts: list[tuple[str, str]] = []
        node_shapes: dict[str, Shape] = {}
        edge_fields: dict[str, list[tuple[str, str, Shape | None]]] = {}
        info_fields: dict[str, list[tuple[str, str]]] = {}
        needs_cursor = False
        wants_total = False
        for key, found in fields.items():
            name = found[0].name.value
            parts.append((key, name))
            if name == "totalCount":
                wants_total = True
            elif name == "nodes":
                node_shapes[key] = self.node_shape(
                    node_type, label, self.merged(node_type, found), build, None
                )
            elif name == "pageInfo":
                info_type = _object(conn.fields[name].type)
                info_fields[key] = [
                    (sub, f[0].name.value) for sub, f in self.merged(info_type, found).items()
                ]
                needs_cursor |= any(n in ("startCursor", "endCursor") for _, n in info_fields[key])
            elif name == "edges":
                edge_type = _object(conn.fields[name].type)
                entries: list[tuple[str, str, Shape | None]] = []
                for sub, f in self.merged(edge_type, found).items():
                    what = f[0].name.value
                    if what == "node":
                        shape = self.node_shape(
                            node_type, label, self.merged(node_type, f), build, None
                        )
                        entries.append((sub, what, shape))
                    elif what == "__typename":
                        entries.append((sub, edge_type.name, None))
                    else:
                        entries.append((sub, what, None))
                        needs_cursor |= what == "cursor"
                edge_fields[key] = entries
            elif name != "__typename":
                raise NotCompiled(f"{conn.name}.{name}")
        if needs_cursor:
            build.props.update(("id", sort))
        conn_name = conn.name

        def finish(rows: list[Row], total: int | None, access: Access) -> Any:
            more = len(rows) > page.size
            rows = rows[: page.size]
            if page.backward:
                rows.reverse()
            out: dict[str, Any] = {}
            cursors = (
                [encode_cursor(r.get(sort), str(r["id"])) for r in rows] if needs_cursor else []
            )
            for key, name in parts:
                if name == "nodes":
                    shape = node_shapes[key]
                    out[key] = [shape(r, access) for r in rows]
                elif name == "totalCount":
                    out[key] = total
                elif name == "__typename":
                    out[key] = conn_name
                elif name == "pageInfo":
                    out[key] = _page_info(info_fields[key], page, more, cursors)
                else:  # edges
                    out[key] = [
                        {
                            sub: (
                                cursors[i]
                                if what == "cursor"
                                else make(r, access)
                                if make is not None
                                else what  # the edge type's name, for __typename
                            )
                            for sub, what, make in edge_fields[key]
                        }
                        for i, r in enumerate(rows)
                    ]
            return out

        return finish, wants_total


def _page_info(
    fields: list[tuple[str, str]], page: PageRequest, more: bool, cursors: list[str]
) -> dict[str, Any]:
    values = {
        "hasNextPage": more if not page.backward else page.cursor is not None,
        "hasPreviousPage": more if page.backward else page.cursor is not None,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
        "__typename": "PageInfo",
    }
    return {key: values[name] for key, name in fields}


def _unbound(label: str, used: frozenset[str]) -> frozenset[str]:
    """``used``, unless it holds a predicate computed in a WITH (a tree cannot place one)."""
    spec = SPECS[label]
    if any(p.bind and p.param in used for p in (*spec.predicates, *spec.scopes)):
        raise NotCompiled(f"a bound predicate of {label}")
    return used


def _definition(gfield: Any) -> StrawberryField:
    definition = (gfield.extensions or {}).get("strawberry-definition")
    if not isinstance(definition, StrawberryField):
        raise NotCompiled("not a strawberry field")
    return definition


def _kind(gfield: Any) -> FieldKind | None:
    definition = _definition(gfield)
    resolver = definition.base_resolver
    if resolver is None:
        return None
    return FIELD_KINDS.get(resolver.wrapped_func)  # type: ignore[arg-type]


def _object(gtype: Any) -> GraphQLObjectType:
    while isinstance(gtype, GraphQLNonNull | GraphQLList):
        gtype = gtype.of_type
    if not isinstance(gtype, GraphQLObjectType):
        raise NotCompiled("not an object type")
    return gtype


_PLAIN_CACHE: dict[type, dict[str, str]] = {}


def _plain_fields(cls: type) -> dict[str, str]:
    """Python attribute → graph property of a node type's plain (resolver-less) fields."""
    found = _PLAIN_CACHE.get(cls)
    if found is None:
        found = _PLAIN_CACHE[cls] = {
            f.name: camel(f.name.rstrip("_"))
            for f in dataclasses.fields(cls)
            if f.init and f.name not in ("id", "key")
        }
    return found


def _const(value: Any) -> Shape:
    return lambda row, access: value


def _global_id(type_name: str) -> Shape:
    return lambda row, access: to_global_id(type_name, str(row["id"]))


def _leaf(gtype: Any, prop: str) -> Shape:
    """A plain field: the row's value as the resolver path converts and serializes it."""
    convert = _instant if prop in INSTANTS else _date if prop in DATES else _plain
    non_null = isinstance(gtype, GraphQLNonNull)
    inner = gtype.of_type if non_null else gtype
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        items_non_null = isinstance(item, GraphQLNonNull)
        if items_non_null:
            item = item.of_type
        if not isinstance(item, GraphQLScalarType | GraphQLEnumType):
            raise NotCompiled("list of objects")
        serialize_item = item.serialize

        def serialize(value: Any) -> Any:
            if items_non_null and any(v is None for v in value):
                raise NotCompiled("null in a list of non-null")
            return [None if v is None else serialize_item(v) for v in value]

    elif isinstance(inner, GraphQLScalarType | GraphQLEnumType):
        serialize = inner.serialize  # type: ignore[assignment]
    else:
        raise NotCompiled("not a leaf")

    if convert is _plain and not non_null and inner in (GraphQLString, GraphQLID):
        # The commonest leaf: a nullable text, which graphql-core returns unchanged.
        def text(row: Row, access: Access) -> Any:
            value = row.get(prop)
            return value if value is None or type(value) is str else serialize(value)

        return text

    def make(row: Row, access: Access) -> Any:
        value = convert(row.get(prop))
        if value is None:
            if non_null:
                raise NotCompiled("null in a non-null field")  # the resolver path's error
            return None
        return serialize(value)

    return make


#: Plans by query text, operation, variables and the reader's policy: partners and
#: apps repeat the same few queries, and planning costs about as much as the read.
_PLANS: OrderedDict[Hashable, list[_Plan]] = OrderedDict()
PLAN_CACHE_SIZE = 512


#: Keys whose planning failed, with why: such queries go straight to the general path.
_REFUSED: OrderedDict[Hashable, Exception] = OrderedDict()


def forget_plans() -> None:
    """Empty the plan cache (benchmarks measure planning with it)."""
    _PLANS.clear()
    _REFUSED.clear()


def _plan_keys_bound() -> int:
    """How many cached root plans bind their key per request (for tests)."""
    return sum(p.key_variable is not None for plans in _PLANS.values() for p in plans)


_ID_VARIABLES: OrderedDict[tuple[str, str | None], frozenset[str]] = OrderedDict()


def _id_variables(
    query_text: str, operation_name: str | None, document: DocumentNode
) -> frozenset[str]:
    """Variables used only as the id of a root ``node(id:)``.

    A plan depends on such an id's type, not its key: one plan serves every
    child's file, the key bound per request (:meth:`_Plan.bind`).
    """
    found = _ID_VARIABLES.get((query_text, operation_name))
    if found is None:
        operation = get_operation_ast(document, operation_name)
        candidates: set[str] = set()
        if operation is not None:
            for sel in operation.selection_set.selections:
                if isinstance(sel, FieldNode) and sel.name.value == "node" and not sel.directives:
                    for arg in sel.arguments or ():
                        if arg.name.value == "id" and isinstance(arg.value, VariableNode):
                            candidates.add(arg.value.name.value)
        # Used anywhere else (another argument, a directive): the value is part of the plan.
        uses: dict[str, int] = {}
        for definition in document.definitions:
            _count_variables(definition, uses)
        found = frozenset(v for v in candidates if uses.get(v) == 1)
        _ID_VARIABLES[(query_text, operation_name)] = found
        if len(_ID_VARIABLES) > PLAN_CACHE_SIZE:
            _ID_VARIABLES.popitem(last=False)
    return found


def _count_variables(node: Any, uses: dict[str, int]) -> None:
    if isinstance(node, VariableNode):
        uses[node.name.value] = uses.get(node.name.value, 0) + 1
        return
    if isinstance(node, VariableDefinitionNode):
        return  # the declaration, not a use
    if isinstance(node, Node):
        for key in node.keys:
            _count_variables(getattr(node, key), uses)
    elif isinstance(node, tuple | list):
        for item in node:
            _count_variables(item, uses)


def _signature(variables: Mapping[str, Any] | None, ids: frozenset[str]) -> str | None:
    """The variables as a plan depends on them (ids by their type), or None if unkeyable."""
    values = dict(variables or {})
    for name in ids:
        value = values.get(name)
        if isinstance(value, str):
            # Not an id: planned (and refused) with the value itself.
            with contextlib.suppress(BadArgument):
                values[name] = ["id of type", from_global_id(value)[0]]
    try:
        return json.dumps(values, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return None


def plan_operation(
    strawberry_schema: Any,
    document: DocumentNode,
    operation_name: str | None,
    raw_variables: Mapping[str, Any] | None,
    access: Access,
    id_variables: frozenset[str] = frozenset(),
) -> list[_Plan]:
    """The plans of a query's root fields; :class:`NotCompiled` if it is not of known shape."""
    schema: GraphQLSchema = strawberry_schema._schema
    operation = get_operation_ast(document, operation_name)
    if not isinstance(operation, OperationDefinitionNode):
        raise NotCompiled("no operation")
    if operation.operation is not OperationType.QUERY:
        raise NotCompiled("not a query")
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(raw_variables or {})
    )
    if isinstance(coerced, list):
        raise NotCompiled("variables")
    compiler = _Compiler(schema, strawberry_schema, document, coerced, access, id_variables)
    query = schema.query_type
    assert query is not None
    roots = compiler.collect(query, operation.selection_set)
    return [compiler.root(key, nodes) for key, nodes in roots.items()]


def cached_plans(
    query_text: str,
    operation_name: str | None,
    raw_variables: Mapping[str, Any] | None,
    access: Access,
) -> list[_Plan] | None:
    """The plans this query text was compiled to before, for these variables and this policy."""
    ids = _ID_VARIABLES.get((query_text, operation_name))
    if ids is None:
        return None
    signature = _signature(raw_variables, ids)
    if signature is None:
        return None
    plans = _PLANS.get((query_text, operation_name, signature, access.policy_key()))
    return plans


async def execute_compiled(
    strawberry_schema: Any,
    query_text: str | None,
    document: DocumentNode,
    operation_name: str | None,
    raw_variables: Mapping[str, Any] | None,
    context: Any,
) -> dict[str, Any]:
    """The answer of a query of known shape; :class:`NotCompiled` if it is not one."""
    access: Access = context.access
    key: Hashable | None = None
    plans: list[_Plan] | None = None
    ids = frozenset[str]()
    if query_text is not None:
        ids = _id_variables(query_text, operation_name, document)
        signature = _signature(raw_variables, ids)
        if signature is not None:
            key = (query_text, operation_name, signature, access.policy_key())
            plans = _PLANS.get(key)
    if plans is not None:
        return await run_plans(plans, raw_variables, context)
    refused = _REFUSED.get(key) if key is not None else None
    if refused is not None:
        raise refused.with_traceback(None)
    try:
        plans = plan_operation(
            strawberry_schema, document, operation_name, raw_variables, access, ids
        )
    except Exception as error:
        # Planning depends only on the key (text, variables, policy): it is not tried again.
        if key is not None:
            _REFUSED[key] = error
            if len(_REFUSED) > PLAN_CACHE_SIZE:
                _REFUSED.popitem(last=False)
        raise
    data = await run_plans(plans, raw_variables, context)
    if key is not None:  # kept only once it has answered
        _PLANS[key] = plans
        if len(_PLANS) > PLAN_CACHE_SIZE:
            _PLANS.popitem(last=False)
    return data


async def run_plans(
    plans: list[_Plan], raw_variables: Mapping[str, Any] | None, context: Any
) -> dict[str, Any]:
    """Read each root field's statement and turn the rows into the answer."""
    access: Access = context.access
    store = context.store

    async def run(plan: _Plan) -> tuple[list[Row], int | None]:
        if plan.statement is None:
            return [], None
        params = plan.bind(raw_variables)
        if plan.count is None:
            return await store.read(plan.statement, params), None
        rows, counted = await asyncio.gather(
            store.read(plan.statement, params), store.read(plan.count[0], plan.count[1])
        )
        return rows, int(counted[0]["total"])

    if len(plans) == 1:
        results = [await run(plans[0])]
    else:
        results = list(await asyncio.gather(*(run(p) for p in plans)))
    noted = (set(access.records), set(access.fields), access.break_glass)
    try:
        return {
            plan.key: plan.finish(rows, total, access)
            for plan, (rows, total) in zip(plans, results, strict=True)
        }
    except BaseException:
        # Nothing of this attempt is returned: nothing of it is audited either.
        access.records, access.fields, access.break_glass = noted
        raise


class CompiledSchema(strawberry.Schema):
    """The schema, answering a query it compiled before straight from its plan.

    A plan is cached only after its query text parsed, validated and compiled on
    the ordinary path, so a text seen again needs none of that: parsing (cached),
    validation (cached) and strawberry's extension machinery still cost ~150 µs a
    request, a quarter of a child's file. The access event is recorded as the
    audit extension records it. Anything else takes the ordinary path.
    """

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[ExecutedType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        from schema.context import Context

        if (
            query is not None
            and isinstance(context_value, Context)
            and context_value.compile_queries
            and root_value is None
            and not operation_extensions
            and (allowed_operation_types is None or ExecutedType.QUERY in allowed_operation_types)
        ):
            plans = cached_plans(query, operation_name, variable_values, context_value.access)
            if plans is not None:
                try:
                    data = await run_plans(plans, variable_values, context_value)
                except Exception as error:
                    # The ordinary path answers, with its own errors if any.
                    context_value.execution_path = f"general: {type(error).__name__}: {error}"
                else:
                    context_value.execution_path = "compiled"
                    result = ExecutionResult(data=data, errors=None, extensions={})
                    record_access(context_value, result)
                    return result
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )


class CompiledQueries(SchemaExtension):
    """Answers queries of known shape in one statement per root field (see the module)."""

    async def on_execute(self) -> AsyncIterator[None]:
        from schema.context import Context

        ec = self.execution_context
        context = ec.context
        if (
            isinstance(context, Context)
            and context.compile_queries
            and ec.graphql_document is not None
            and not ec.result
            and ec.operation_type is ExecutedType.QUERY
        ):
            try:
                data = await execute_compiled(
                    ec.schema,
                    ec.query,
                    ec.graphql_document,
                    ec.operation_name,
                    ec.variables,
                    context,
                )
            except NotCompiled as reason:
                context.execution_path = f"general: {reason}"
            except Exception as error:
                # Refusals (bad arguments, forbidden lists) and graph errors alike: the
                # resolvers raise them again, in place, as the field errors clients expect.
                context.execution_path = f"general: {type(error).__name__}: {error}"
            else:
                context.execution_path = "compiled"
                ec.result = GraphQLExecutionResult(data=data, errors=None)
        yield
