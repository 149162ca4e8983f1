"""SQL databases as a source kind: one table (or one declared query), read incrementally.

A stream names a table, which is checked against the tables the database
reports, or a query by name from the allow-list its connector declares
(:class:`NamedQuery`): no SQL text comes from the configuration, so none can be
injected through it. Reading follows the cursor rules of the sync engine::

    SELECT … FROM students WHERE updated_at >= :since ORDER BY updated_at, id

an inclusive lower bound in ascending order (rows stamped in the same second
as the bookmark are read again; the engine de-duplicates them by key), with a
server-side cursor fetched ``batch_size`` rows at a time so memory stays flat
however large the table. Values come out as plain Python: dates and times as
ISO strings, ``Decimal`` as ``int`` or ``float``.

The password is never in the sources file: the loader passes it from the
environment or a file as ``password`` and :func:`make_engine` sets it on the
URL. No message of this module contains it.

SQLite stores dates as text in whatever format the writer chose; there the
cursor is compared and ordered through ``datetime()``/``date()``, which read
every ISO variant (at the cost of an index the samples do not need).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal, LiteralString
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType, TypeEngine

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.errors import ConfigError, SourceError

__all__ = ["NamedQuery", "SqlSpec", "make_engine", "read_sql"]

_Kind = Literal["datetime", "date", "time", "other"]


class SqlSpec(BaseModel):
    """Where and what to read: a database URL, a table or named query, cursor and keys."""

    # Validation errors must not echo the input: it holds the URL (and maybe a password).
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    url: str = Field(
        description="SQLAlchemy URL without the password, e.g. "
        "'postgresql+psycopg://reader@db.example/xueji' or 'sqlite:///xueji.sqlite'"
    )
    password: SecretStr | None = Field(
        None, description="the database password, from the environment or a file"
    )
    db_schema: str | None = Field(None, description="the database schema of the table")
    table: str | None = Field(None, description="a table or view of the database")
    query: str | None = Field(None, description="a query the connector declares, by name")
    cursor_column: str | None = Field(
        None, description="the column read incrementally (a last-change timestamp)"
    )
    key_columns: tuple[str, ...] = Field(min_length=1, description="the row's unique key")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="our field name → the column; empty: every column under its own name",
    )
    batch_size: int = Field(1000, ge=1, le=50_000, description="rows fetched per round trip")
    connect_timeout_s: int = Field(10, ge=1, le=300, description="how long to wait to connect")

    @field_validator("url")
    @classmethod
    def _url_without_password(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("url is not a SQLAlchemy database URL") from None
        if url.password is not None:
            raise ValueError(
                "url must not contain the password: give it as password "
                "(password_env or password_file in the sources file)"
            )
        return value

    @model_validator(mode="after")
    def _table_or_query(self) -> SqlSpec:
        if (self.table is None) == (self.query is None):
            raise ValueError("give either table or query")
        if len(set(self.key_columns)) != len(self.key_columns):
            raise ValueError("key_columns repeat a column")
        return self


@dataclass(frozen=True)
class NamedQuery:
    """A query a connector declares (the configuration picks it by name, never writes SQL).

    ``sql`` is a literal string (a type checker refuses one built at run time);
    it is used as a subquery, so the cursor condition and the ordering apply to
    its result. ``columns`` declares its result columns and their types.
    """

    sql: LiteralString
    columns: Mapping[str, TypeEngine[Any] | type[TypeEngine[Any]]]


def make_engine(spec: SqlSpec) -> Engine:
    """An engine for ``spec.url`` with the password set (share one across a source's streams)."""
    url: URL = make_url(spec.url)
    if spec.password is not None:
        url = url.set(password=spec.password.get_secret_value())
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = spec.connect_timeout_s
    elif url.get_backend_name() == "sqlite":
        connect_args["timeout"] = spec.connect_timeout_s
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def read_sql(
    spec: SqlSpec,
    since: Any | None,
    *,
    engine: Engine | None = None,
    queries: Mapping[str, NamedQuery] | None = None,
) -> Iterator[Extracted]:
    """Rows from ``since`` (inclusive; None: all) in cursor order, as records.

    A record's location is the table (or query) and its key: ``"students id=17"``.

    ``engine`` is the caller's (kept open) or, when None, one made for this
    read and disposed after it. Raises :class:`ConfigError` for a table,
    query or column the database does not have, :class:`SourceError` when
    the database cannot be reached or fails while streaming.
    """
    own = engine is None
    try:
        active = make_engine(spec) if engine is None else engine
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"sql source {_safe_url(spec)}: {_first_line(exc, spec)}") from None
    try:
        yield from _read(active, spec, since, queries or {})
    except SQLAlchemyError as exc:
        # Not chained: a driver's exception may carry the connection string.
        raise SourceError(_describe(exc, spec)) from None
    finally:
        if own:
            active.dispose()


@dataclass(frozen=True)
class _Column:
    name: str  # in the database
    field: str  # in the record
    kind: _Kind
    python_type: type | None

    @property
    def convert(self) -> Callable[[Any], Any]:
        return _CONVERTERS[self.kind]


def _read(
    engine: Engine, spec: SqlSpec, since: Any | None, queries: Mapping[str, NamedQuery]
) -> Iterator[Extracted]:
    with engine.connect() as connection:
        name, source = _source(connection, spec, queries)
        columns = _columns(source, spec, name)
        by_name = {c.name: c for c in columns}
        sqlite = connection.dialect.name == "sqlite"
        # Raw values (no SQLAlchemy result processing): a malformed date in one row
        # becomes that row's reject instead of an exception ending the stream. Rows
        # are read by position (two fields may map one column).
        statement = sa.select(
            *(
                sa.type_coerce(source.c[c.name], NullType()).label(f"c{i}")
                for i, c in enumerate(columns)
            )
        )
        order: list[ColumnElement[Any]] = []
        if spec.cursor_column is not None:
            cursor = by_name[spec.cursor_column]
            compared = _comparable(source.c[cursor.name], cursor.kind, sqlite)
            if since is not None:
                bound = _since(since, cursor, sqlite)
                statement = statement.where(compared >= bound)
            order.append(compared)
            if compared is not source.c[cursor.name]:
                order.append(source.c[cursor.name])
        elif since is not None:
            raise ConfigError(f"sql source {name}: a bookmark was given but no cursor_column")
        order.extend(source.c[k] for k in spec.key_columns)
        statement = statement.order_by(*order)
        result = connection.execution_options(
            stream_results=True, yield_per=spec.batch_size
        ).execute(statement)
        keys = [(k, [c.name for c in columns].index(k)) for k in spec.key_columns]
        converters = [(c.field, c.convert) for c in columns]
        try:
            for partition in result.partitions():
                for row in partition:
                    yield _record(name, row, converters, keys)
        finally:
            # A caller that stops early must not leave a server-side cursor open.
            result.close()


def _source(
    connection: Connection, spec: SqlSpec, queries: Mapping[str, NamedQuery]
) -> tuple[str, sa.Table | sa.Subquery]:
    if spec.query is not None:
        declared = queries.get(spec.query)
        if declared is None:
            known = ", ".join(sorted(queries)) or "none"
            raise ConfigError(f"sql source: unknown query {spec.query!r} (declared: {known})")
        text = sa.text(declared.sql).columns(
            *(sa.column(n, t) for n, t in declared.columns.items())
        )
        return spec.query, text.subquery(spec.query)
    assert spec.table is not None
    inspector = sa.inspect(connection)
    known_tables = set(inspector.get_table_names(schema=spec.db_schema))
    known_tables |= set(inspector.get_view_names(schema=spec.db_schema))
    if spec.table not in known_tables:
        where = f" in schema {spec.db_schema}" if spec.db_schema else ""
        raise ConfigError(f"sql source: no table or view {spec.table!r}{where}")
    table = sa.Table(spec.table, sa.MetaData(), autoload_with=connection, schema=spec.db_schema)
    return spec.table, table


def _columns(source: sa.Table | sa.Subquery, spec: SqlSpec, name: str) -> list[_Column]:
    available = {c.name: c for c in source.c}
    wanted = dict(spec.columns) or {c: c for c in available}
    # Keys and the cursor always come along (under their own name unless mapped):
    # the engine needs them to de-duplicate and to move the bookmark.
    mapped = set(wanted.values())
    for extra in (*spec.key_columns, *([spec.cursor_column] if spec.cursor_column else [])):
        if extra not in mapped:
            wanted[extra] = extra
            mapped.add(extra)
    missing = sorted(c for c in mapped if c not in available)
    if missing:
        raise ConfigError(
            f"sql source {name}: no column {', '.join(map(repr, missing))} "
            f"(it has {', '.join(available)})"
        )
    return [
        _Column(column, field, *_kind(available[column].type)) for field, column in wanted.items()
    ]


def _kind(type_: TypeEngine[Any]) -> tuple[_Kind, type | None]:
    try:
        python_type: type | None = type_.python_type
    except NotImplementedError:
        return "other", None
    if python_type is datetime:
        return "datetime", python_type
    if python_type is date:
        return "date", python_type
    if python_type is time:
        return "time", python_type
    return "other", python_type


def _comparable(column: Any, kind: _Kind, sqlite: bool) -> ColumnElement[Any]:
    if sqlite and kind == "datetime":
        return sa.func.datetime(column)
    if sqlite and kind == "date":
        return sa.func.date(column)
    result: ColumnElement[Any] = column
    return result


def _since(since: Any, cursor: _Column, sqlite: bool) -> Any:
    """The bookmark as a value of the cursor's type (the engine stores it as text)."""
    try:
        if cursor.kind == "datetime":
            moment = since if isinstance(since, datetime) else _to_datetime(since)
            if sqlite:
                return sa.func.datetime(sa.literal(moment.isoformat(sep=" "), sa.String()))
            return moment
        if cursor.kind == "date":
            day = since if isinstance(since, date) else date.fromisoformat(str(since)[:10])
            if sqlite:
                return sa.func.date(sa.literal(day.isoformat(), sa.String()))
            return day
        if isinstance(since, str) and cursor.python_type is int:
            return int(since)
        if isinstance(since, str) and cursor.python_type in (float, Decimal):
            return Decimal(since)
    except (TypeError, ValueError):
        raise ConfigError(
            f"bookmark {since!r} does not fit cursor column {cursor.name!r} ({cursor.kind})"
        ) from None
    return since


def _to_datetime(value: Any) -> datetime:
    if isinstance(value, date):
        return datetime.combine(value, time())
    return datetime.fromisoformat(str(value))


class _BadValue(ValueError):
    pass


def _record(
    name: str,
    row: Sequence[Any],
    columns: list[tuple[str, Callable[[Any], Any]]],
    keys: list[tuple[str, int]],
) -> Extracted:
    location = f"{name} " + " ".join(f"{k}={_key_text(row[i])}" for k, i in keys)
    try:
        # One comprehension for the common case: this is the reader's hot path.
        data = {field: convert(v) for (field, convert), v in zip(columns, row, strict=True)}
    except _BadValue:
        return _reject(location, row, columns)
    return RawRecord(data, location)


def _reject(
    location: str, row: Sequence[Any], columns: list[tuple[str, Callable[[Any], Any]]]
) -> RawReject:
    data: dict[str, Any] = {}
    problems: list[str] = []
    for (field, convert), value in zip(columns, row, strict=True):
        try:
            data[field] = convert(value)
        except _BadValue as exc:
            problems.append(f"{field}: {exc}")
    return RawReject(location, "; ".join(problems), data)


def _key_text(value: Any) -> str:
    try:
        return str(_plain(value))
    except _BadValue:
        return repr(value)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """A database value as plain Python (str, int, float, bool, None, lists and dicts)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        raise _BadValue("binary data (map only text, number and date columns)")
    return value


def _plain_datetime(value: Any) -> Any:
    """A timestamp; as text (SQLite) it is checked and returned in ISO form."""
    if type(value) is not str:
        return _plain(value)
    try:
        return datetime.fromisoformat(value.strip()).isoformat() if value.strip() else None
    except ValueError:
        raise _BadValue(f"not a date and time: {value!r}") from None


def _plain_date(value: Any) -> Any:
    if type(value) is not str:
        return _plain(value)
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise _BadValue(f"not a date: {value!r}") from None


def _plain_time(value: Any) -> Any:
    if type(value) is not str:
        return _plain(value)
    try:
        return time.fromisoformat(value.strip()).isoformat() if value.strip() else None
    except ValueError:
        raise _BadValue(f"not a time: {value!r}") from None


_CONVERTERS: dict[_Kind, Callable[[Any], Any]] = {
    "datetime": _plain_datetime,
    "date": _plain_date,
    "time": _plain_time,
    "other": _plain,
}


def _safe_url(spec: SqlSpec) -> str:
    try:
        return make_url(spec.url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


def _first_line(exc: BaseException, spec: SqlSpec) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if spec.password is not None and spec.password.get_secret_value():
        text = text.replace(spec.password.get_secret_value(), "***")
    return text


def _describe(exc: SQLAlchemyError, spec: SqlSpec) -> str:
    cause: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    where = spec.table or spec.query
    return f"sql source {where} at {_safe_url(spec)}: {_first_line(cause, spec)}"
