"""The SQL source kind, on SQLite and on a real PostgreSQL, over the education sample."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from connectors.core.records import Extracted, RawRecord, RawReject
from connectors.errors import ConfigError, SourceError
from connectors.kinds.sql import NamedQuery, SqlSpec, make_engine, read_sql
from connectors.samples.education import SQL_PATH, SQLITE_PATH
from connectors.samples.education.generate import SCHEMA, students
from tests.support.memory import peak_of

SAMPLE_ROWS = list(students())
FIELDS = {
    "studentNo": "student_no",
    "name": "name",
    "idNumber": "id_number",
    "gender": "gender",
    "birthDate": "birth_date",
    "status": "status",
    "statusChangedAt": "status_changed_at",
    "villageCode": "village_code",
    "updatedAt": "updated_at",
}

# The allow-list a connector would declare: the configuration may only name these.
QUERIES = {
    "students_with_school": NamedQuery(
        """
        SELECT s.id, s.name, s.status, s.updated_at, sc.name AS school, sc.town_code
        FROM students s JOIN schools sc ON sc.id = s.school_id
        """,
        {
            "id": sa.Integer(),
            "name": sa.String(),
            "status": sa.String(),
            "updated_at": sa.DateTime(),
            "school": sa.String(),
            "town_code": sa.String(),
        },
    )
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The education sample on each backend (a private copy of the SQLite file)."""
    if request.param == "sqlite":
        copy = tmp_path / "education.sqlite"
        shutil.copyfile(SQLITE_PATH, copy)
        return f"sqlite:///{copy}"
    value: str = request.getfixturevalue("postgres_url")
    return value


def spec(url: str, **changes: Any) -> SqlSpec:
    settings: dict[str, Any] = {
        "url": url,
        "table": "students",
        "cursor_column": "updated_at",
        "key_columns": ["id"],
        "columns": FIELDS,
        "batch_size": 50,
    }
    settings.update(changes)
    return SqlSpec.model_validate(settings)


def records(items: Iterator[Extracted]) -> list[RawRecord]:
    out = list(items)
    assert all(isinstance(r, RawRecord) for r in out), [r for r in out if isinstance(r, RawReject)]
    return [r for r in out if isinstance(r, RawRecord)]


def expected_order(since: datetime | None = None) -> list[int]:
    rows = [r for r in SAMPLE_ROWS if since is None or r["updated_at"] >= since]
    return [r["id"] for r in sorted(rows, key=lambda r: (r["updated_at"], r["id"]))]


# --- reading --------------------------------------------------------------------------------


def test_reads_every_row_in_cursor_order(url: str) -> None:
    found = records(read_sql(spec(url), None))
    assert [r.data["id"] for r in found] == expected_order()
    assert found[0].location == f"students id={found[0].data['id']}"


def test_values_are_plain_python_with_iso_dates(url: str) -> None:
    by_id = {r.data["id"]: r.data for r in records(read_sql(spec(url), None))}
    for row in SAMPLE_ROWS:
        data = by_id[row["id"]]
        assert set(data) == {*FIELDS, "id"}  # the key comes along under its column name
        assert data["name"] == row["name"]  # as typed: trailing spaces are the mapping's job
        assert data["idNumber"] == row["id_number"]
        assert data["updatedAt"] == row["updated_at"].isoformat()
        born = row["birth_date"]
        assert data["birthDate"] == (born.isoformat() if born else None)
        assert data["statusChangedAt"] == row["status_changed_at"].isoformat()
        assert all(type(v) in {str, int, type(None)} for v in data.values())


def test_the_sample_keeps_its_messiness(url: str) -> None:
    found = records(read_sql(spec(url), None))
    names = [r.data["name"] for r in found]
    numbers = [r.data["idNumber"] for r in found]
    assert any(n.endswith((" ", "\u3000")) for n in names)
    assert {"·", "•", "．"} <= {c for n in names for c in n}
    assert any(n is None for n in numbers)
    assert any(n and n.endswith("x") for n in numbers)
    assert any(n and len(n.strip()) == 17 for n in numbers)
    assert {r.data["gender"] for r in found} >= {"男", "女", "1", "2", None}
    assert {r.data["status"] for r in found} == {"在读", "休学", "辍学", "转学"}


def test_sqlite_and_postgresql_give_the_same_records(tmp_path: Path, postgres_url: str) -> None:
    copy = tmp_path / "education.sqlite"
    shutil.copyfile(SQLITE_PATH, copy)
    lite = records(read_sql(spec(f"sqlite:///{copy}", columns={}), None))
    pg = records(read_sql(spec(postgres_url, columns={}), None))
    assert lite == pg


# --- incremental ----------------------------------------------------------------------------


def test_the_lower_bound_is_inclusive(url: str) -> None:
    # The second nightly batch stamped several rows with one timestamp: all come back.
    batch = datetime(2024, 11, 2, 2, 0)
    stamped = [r["id"] for r in SAMPLE_ROWS if r["updated_at"] == batch]
    assert len(stamped) > 1
    found = records(read_sql(spec(url), batch.isoformat()))
    assert [r.data["id"] for r in found] == expected_order(batch)
    assert [r.data["id"] for r in found[: len(stamped)]] == sorted(stamped)


@pytest.mark.parametrize(
    "since",
    ["2024-11-02T02:00:00", "2024-11-02 02:00:00", datetime(2024, 11, 2, 2, 0)],
)
def test_bookmarks_as_text_or_datetime(url: str, since: Any) -> None:
    found = records(read_sql(spec(url), since))
    assert [r.data["id"] for r in found] == expected_order(datetime(2024, 11, 2, 2, 0))


def test_a_bookmark_past_the_last_change_reads_nothing(url: str) -> None:
    assert list(read_sql(spec(url), "2030-01-01T00:00:00")) == []


def test_resuming_from_the_last_bookmark_misses_nothing(url: str) -> None:
    """Stop after any record, resume from its cursor: every row is seen, only ties repeat."""
    first = records(read_sql(spec(url), None))
    for stop in (10, 44, 45, 100):
        seen = first[:stop]
        bookmark = seen[-1].data["updatedAt"]
        again = records(read_sql(spec(url), bookmark))
        keys = {r.data["id"] for r in seen} | {r.data["id"] for r in again}
        assert keys == {r["id"] for r in SAMPLE_ROWS}
        repeated = {r.data["id"] for r in seen} & {r.data["id"] for r in again}
        assert all(r.data["updatedAt"] == bookmark for r in again if r.data["id"] in repeated)


def test_without_a_cursor_the_table_is_read_in_key_order(url: str) -> None:
    found = records(read_sql(spec(url, cursor_column=None), None))
    assert [r.data["id"] for r in found] == sorted(r["id"] for r in SAMPLE_ROWS)
    with pytest.raises(ConfigError, match="no cursor_column"):
        list(read_sql(spec(url, cursor_column=None), "2024-11-02T02:00:00"))


def test_an_unusable_bookmark_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="does not fit cursor column 'updated_at'"):
        list(read_sql(spec(url), "yesterday"))


def test_two_fields_may_read_one_column(url: str) -> None:
    both = spec(url, columns={"studentNo": "student_no", "sourceKey": "student_no"})
    found = records(read_sql(both, None))
    assert all(r.data["studentNo"] == r.data["sourceKey"] for r in found)
    assert set(found[0].data) == {"studentNo", "sourceKey", "id", "updated_at"}


def test_composite_keys_name_every_part_in_the_location(url: str) -> None:
    found = records(read_sql(spec(url, key_columns=["school_id", "id"]), None))
    assert found[0].location.startswith("students school_id=")
    assert " id=" in found[0].location


# --- named queries --------------------------------------------------------------------------


def test_a_declared_query_is_read_incrementally(url: str) -> None:
    query_spec = spec(url, table=None, query="students_with_school", columns={})
    found = records(read_sql(query_spec, "2024-11-02T02:00:00", queries=QUERIES))
    assert [r.data["id"] for r in found] == expected_order(datetime(2024, 11, 2, 2, 0))
    assert found[0].location.startswith("students_with_school id=")
    assert all(r.data["school"].startswith("滕州市") for r in found)
    assert {r.data["town_code"] for r in found} <= {"370481001", "370481110", "370481114"}


def test_only_declared_queries_run(url: str) -> None:
    query_spec = spec(url, table=None, query="DELETE FROM students", columns={})
    with pytest.raises(ConfigError, match=r"unknown query .* \(declared: students_with_school\)"):
        list(read_sql(query_spec, None, queries=QUERIES))


# --- configuration errors -------------------------------------------------------------------


def test_the_table_must_exist(url: str) -> None:
    with pytest.raises(ConfigError, match="no table or view 'pupils'"):
        list(read_sql(spec(url, table="pupils"), None))


def test_a_table_name_is_never_interpolated(url: str) -> None:
    hostile = "students; DROP TABLE schools; --"
    with pytest.raises(ConfigError, match="no table or view"):
        list(read_sql(spec(url, table=hostile), None))
    assert records(read_sql(spec(url, table="schools", columns={}), None))


def test_columns_must_exist(url: str) -> None:
    with pytest.raises(ConfigError, match=r"no column 'xm' \(it has id, student_no"):
        list(read_sql(spec(url, columns={"name": "xm"}), None))
    with pytest.raises(ConfigError, match="no column 'changed'"):
        list(read_sql(spec(url, cursor_column="changed"), None))


def test_spec_validation() -> None:
    with pytest.raises(ValidationError, match="either table or query"):
        spec("sqlite://", query="students_with_school")
    with pytest.raises(ValidationError, match="either table or query"):
        spec("sqlite://", table=None)
    with pytest.raises(ValidationError, match="key_columns"):
        spec("sqlite://", key_columns=[])
    with pytest.raises(ValidationError, match="repeat"):
        spec("sqlite://", key_columns=["id", "id"])
    with pytest.raises(ValidationError, match="Extra inputs"):
        spec("sqlite://", where="1=1")
    with pytest.raises(ValidationError, match="not a SQLAlchemy database URL"):
        spec("not a url")


def test_a_password_in_the_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as caught:
        spec("postgresql+psycopg://reader:hunter2-secret@db.example/xueji")
    assert "must not contain the password" in str(caught.value)
    assert "hunter2-secret" not in str(caught.value)


def test_the_password_is_set_on_the_url_and_never_shown() -> None:
    given = spec("postgresql+psycopg://reader@db.example/xueji", password="hunter2-secret")
    assert "hunter2-secret" not in repr(given)
    engine = make_engine(given)
    try:
        assert engine.url.password == "hunter2-secret"
        assert "hunter2-secret" not in str(engine.url)
    finally:
        engine.dispose()


# --- source errors --------------------------------------------------------------------------


def test_an_unreachable_postgresql_is_a_source_error_without_the_password(tmp_path: Path) -> None:
    nowhere = spec(
        f"postgresql+psycopg://reader@/xueji?host={tmp_path / 'no-server'}",
        password="hunter2-secret",
        connect_timeout_s=2,
    )
    with pytest.raises(SourceError) as caught:
        list(read_sql(nowhere, None))
    message = str(caught.value)
    assert message.startswith("sql source students at postgresql+psycopg://reader@/xueji?host=")
    assert "no-server" in message
    assert "hunter2-secret" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_a_missing_sqlite_file_is_a_source_error(tmp_path: Path) -> None:
    missing = spec(f"sqlite:///{tmp_path / 'no-such-dir' / 'xueji.sqlite'}")
    with pytest.raises(SourceError, match="unable to open database file"):
        list(read_sql(missing, None))


def test_an_unknown_driver_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="sql source"):
        list(read_sql(spec("nosuchdb://reader@host/db"), None))


# --- odd values -----------------------------------------------------------------------------


def test_a_malformed_date_rejects_its_row_and_reading_goes_on(tmp_path: Path) -> None:
    copy = tmp_path / "education.sqlite"
    shutil.copyfile(SQLITE_PATH, copy)
    with closing(sqlite3.connect(copy)) as connection:  # SQLite stores any text it is given
        connection.execute("UPDATE students SET birth_date = '2012/08/15' WHERE id = 7")
        connection.commit()
    found = list(read_sql(spec(f"sqlite:///{copy}"), None))
    rejects = [r for r in found if isinstance(r, RawReject)]
    assert len(found) == len(SAMPLE_ROWS)
    assert len(rejects) == 1
    assert rejects[0].location == "students id=7"
    assert rejects[0].reason == "birthDate: not a date: '2012/08/15'"
    assert rejects[0].data is not None
    assert rejects[0].data["id"] == 7


KINDS_TABLE = sa.Table(
    "kinds",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("amount", sa.Numeric(10, 2)),
    sa.Column("whole", sa.Numeric(12, 0)),
    sa.Column("at", sa.DateTime),
    sa.Column("day", sa.Date),
    sa.Column("clock", sa.Time),
    sa.Column("flag", sa.Boolean),
    sa.Column("photo", sa.LargeBinary),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def kinds_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        target = f"sqlite:///{tmp_path / 'kinds.sqlite'}"
    else:
        target = request.getfixturevalue("postgres").create_database("kinds")
    engine = sa.create_engine(target)
    with engine.begin() as connection:
        KINDS_TABLE.drop(connection, checkfirst=True)
        KINDS_TABLE.create(connection)
        connection.execute(
            KINDS_TABLE.insert(),
            {
                "id": 1,
                "amount": Decimal("1234.50"),
                "whole": Decimal("88"),
                "at": datetime(2024, 9, 2, 2, 0, 0, 500),
                "day": date(2024, 9, 2),
                "clock": time(7, 30),
                "flag": True,
                "photo": None,
            },
        )
        connection.execute(KINDS_TABLE.insert(), {"id": 2, "photo": b"\x89PNG"})
    engine.dispose()
    return target


def test_numbers_dates_and_times_become_plain(kinds_url: str) -> None:
    read = read_sql(
        SqlSpec(url=kinds_url, table="kinds", key_columns=("id",), cursor_column="id"), None
    )
    first, second = list(read)
    assert isinstance(first, RawRecord)
    assert first.data == {
        "id": 1,
        "amount": 1234.5,
        "whole": 88,
        "at": "2024-09-02T02:00:00.000500",
        "day": "2024-09-02",
        "clock": "07:30:00",
        "flag": True,
        "photo": None,
    }
    assert type(first.data["whole"]) is int
    assert isinstance(second, RawReject)
    assert second.reason == "photo: binary data (map only text, number and date columns)"


def test_an_integer_cursor_accepts_a_text_bookmark(kinds_url: str) -> None:
    kinds = SqlSpec(url=kinds_url, table="kinds", key_columns=("id",), cursor_column="id")
    assert [r.location for r in read_sql(kinds, "2")] == ["kinds id=2"]


# --- resources ------------------------------------------------------------------------------


def test_a_given_engine_stays_open_and_its_connection_returns(url: str) -> None:
    given = spec(url)
    engine = make_engine(given)
    try:
        reading = read_sql(given, None, engine=engine)
        assert len([next(reading) for _ in range(5)]) == 5
        assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        reading.close()  # the caller stops early
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert len(list(read_sql(given, None, engine=engine))) == len(SAMPLE_ROWS)
    finally:
        engine.dispose()


GROWN = 313 * len(SAMPLE_ROWS)  # 50 080 rows
SMALL = 32 * len(SAMPLE_ROWS)  # 5 120


def _grow_sqlite(tmp_path: Path, rows: int) -> str:
    target = tmp_path / f"students-{rows}.sqlite"
    with closing(sqlite3.connect(target)) as connection:
        connection.executescript(SCHEMA)
        connection.executemany(
            "INSERT INTO students VALUES (" + ", ".join("?" * 15) + ")",
            ([str(v) if isinstance(v, datetime) else v for v in r.values()] for r in SAMPLE_ROWS),
        )
        _copy_rows(connection.execute, rows, sqlite=True)
        connection.commit()
    return f"sqlite:///{target}"


def _copy_rows(execute: Callable[[str], Any], rows: int, *, sqlite: bool) -> None:
    """Fill ``students`` to ``rows`` rows with copies of the sample (new ids), in SQL."""
    copies = rows // len(SAMPLE_ROWS) - 1
    names = list(SAMPLE_ROWS[0])
    picked = ", ".join(f"s.id + {len(SAMPLE_ROWS)} * n.i" if c == "id" else f"s.{c}" for c in names)
    series = (
        f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies}) "
        "SELECT i FROM n) AS n"
        if sqlite
        else f"generate_series(1, {copies}) AS n(i)"
    )
    execute(f"INSERT INTO students ({', '.join(names)}) SELECT {picked} FROM students s, {series}")


@pytest.fixture(params=["sqlite", "postgresql"])
def grown(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[int], str]:
    """Make a students table of a given size on each backend; its URL."""

    def make(rows: int) -> str:
        if request.param == "sqlite":
            return _grow_sqlite(tmp_path, rows)
        server = request.getfixturevalue("postgres")
        target: str = server.create_database(f"students_{rows}", SQL_PATH.read_text("utf-8"))
        engine = sa.create_engine(target)
        with engine.begin() as connection:
            _copy_rows(lambda sql: connection.exec_driver_sql(sql), rows, sqlite=False)
        engine.dispose()
        return target

    return make


def _peak(url: str, rows: int) -> int:
    peak, count = peak_of(
        "from tests.connectors.kinds.test_sql import narrow_read\n"
        "narrow_read(sys.argv[1])  # warm up: imports, dialect caches",
        "narrow_read(sys.argv[1])",
        url,
    )
    assert count == rows
    return peak


def narrow_read(url: str) -> int:
    narrow = spec(url, columns={"name": "name", "updatedAt": "updated_at"}, batch_size=1000)
    return sum(1 for _ in read_sql(narrow, None))


def test_memory_stays_flat_however_large_the_table(grown: Callable[[int], str]) -> None:
    small, large = grown(SMALL), grown(GROWN)
    assert _peak(large, GROWN) <= 1.5 * _peak(small, SMALL)


def test_postgresql_reads_through_a_server_side_cursor(postgres_url: str) -> None:
    import psycopg

    given = spec(postgres_url)
    engine = make_engine(given)
    cursors: list[type] = []
    sa.event.listen(
        engine, "before_cursor_execute", lambda _c, cursor, *_: cursors.append(type(cursor))
    )
    try:
        assert len(list(read_sql(given, None, engine=engine))) == len(SAMPLE_ROWS)
    finally:
        engine.dispose()
    assert cursors[-1] is psycopg.ServerCursor
