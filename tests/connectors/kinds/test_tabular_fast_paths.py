"""The reader's shortcuts for the common cells and CSV read a block at a time give what
the full clean-up and a line at a time give."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connectors.core.records import RawRecord, RawReject
from connectors.kinds.tabular import TableSpec, read_table
from connectors.kinds.tabular._cells import CellError, date_value, id_value, number_value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1", 1),
        ("600.0", 600),
        ("1,180", 1180),
        ("1,180.5", 1180.5),
        ("-3.25", -3.25),
        (".5", 0.5),
        ("1,2", None),  # not thousands: refused below
        ("１,２００", 1200),  # full-width: the full clean-up
        (" 35 元", 35),
        ("null", "none"),
    ],
)
def test_numbers(cell: str, value: object) -> None:
    if value is None:
        with pytest.raises(CellError):
            number_value(cell)
    elif value == "none":
        assert number_value(cell) is None
    else:
        got = number_value(cell)
        assert got == value
        assert type(got) is type(value)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("370481201512290035", "370481201512290035"),
        ("37048120151229003x", "37048120151229003X"),
        ("null", None),
        ("NULL", None),
        ("'370481201512290035", "370481201512290035"),
        ("３７０４８１", "370481"),
    ],
)
def test_identifiers(cell: str, value: str | None) -> None:
    assert id_value(cell) == value


@pytest.mark.parametrize("cell", ["12E5", "3.70481E+17"])
def test_identifiers_in_scientific_notation_are_refused(cell: str) -> None:
    with pytest.raises(CellError, match="lost precision"):
        id_value(cell)


def test_a_date_text_read_again_is_the_same_date() -> None:
    assert date_value("2015年12月29日") == date(2015, 12, 29)
    assert date_value("2015年12月29日") == date(2015, 12, 29)
    with pytest.raises(CellError):
        date_value("2015年2月30日")
    with pytest.raises(CellError):  # a refusal is not remembered as a date
        date_value("2015年2月30日")


SPEC = TableSpec(columns={"seq": ["序号"], "name": ["姓名"]}, number_fields=["seq"])


def test_a_csv_longer_than_a_block_keeps_its_line_numbers_and_a_cut_last_row(
    tmp_path: Path,
) -> None:
    lines = ["序号,姓名\n", *(f"{i},名字{i}\n" for i in range(1, 20_001))]
    data = "".join(lines).encode("utf-8")
    bad = data.index("15000,名字15000".encode())
    # a byte lost in a line far past the first block, and the last line cut short
    data = data[:bad] + b"\xff" + data[bad:]
    data = data[: data.rindex(b"\n")] + b"\n20001"
    path = tmp_path / "long.csv"
    path.write_bytes(data)
    out = list(read_table(path, SPEC))
    records = [r for r in out if isinstance(r, RawRecord)]
    rejects = [r for r in out if isinstance(r, RawReject)]
    assert [r.location for r in rejects] == ["long.csv:15001", "long.csv:20002"]
    assert rejects[0].reason.startswith("line 15001: byte(s) ff")
    assert "the file ends in the middle of this row" in rejects[1].reason
    assert len(records) == 19_999
    assert records[-1].location == "long.csv:20001"
    assert records[-1].data == {"seq": 20000, "name": "名字20000"}
