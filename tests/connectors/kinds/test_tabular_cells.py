"""Cell values of spreadsheet and CSV exports: text, dates, months, numbers, ID numbers."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from connectors.kinds.tabular._cells import (
    Cell,
    CellError,
    clean_text,
    date_value,
    header_key,
    header_text,
    id_value,
    month_value,
    number_value,
    text_value,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("张  三", "张三"),  # padded to line up with three-character names
        (" 张\u3000三 ", "张三"),
        ("荆河街道\n荆庄社区", "荆河街道荆庄社区"),
        ("ＡＢ１２３", "AB123"),
        ("Room  3\tB", "Room 3 B"),
        ("监护人（祖母）：王秀兰", "监护人（祖母）：王秀兰"),  # Chinese punctuation stays
        ("①号楼", "①号楼"),
        ("\u200b荆庄\ufeff", "荆庄"),
    ],
)
def test_text_is_cleaned_without_touching_chinese_punctuation(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (13812345678.0, "13812345678"),  # a phone number Excel kept as a number
        (35.0, "35"),
        (2.5, "2.5"),
        (3.704812010050312e17, "3.704812010050312e+17"),  # no made-up digits
        (datetime(2023, 5, 1), "2023-05-01"),
        (datetime(2023, 5, 1, 14, 30), "2023-05-01 14:30:00"),
        (date(2023, 5, 1), "2023-05-01"),
        (time(8, 30), "08:30:00"),
        (True, "是"),
        ("", None),
        ("  \u3000 ", None),
        (None, None),
    ],
)
def test_any_cell_reads_as_text(raw: Cell, text: str | None) -> None:
    assert text_value(raw) == text


def test_headers_compare_without_spaces_line_breaks_widths_or_marks() -> None:
    assert header_key("出生\n日期") == header_key("出生日期") == "出生日期"
    assert header_key(" *姓 名") == "姓名"
    assert header_key("保障金额（元/月）") == "保障金额(元/月)"
    assert header_key("QQ号") == "qq号"
    assert header_text("保障金额\n（元/月）") == "保障金额（元/月）"
    assert header_text(2023.0) == "2023"


@pytest.mark.parametrize(
    "raw",
    [
        "2023年5月1日",
        "2023年05月01日",
        "2023 年 5 月 1 日",
        "2023年5月1号",
        "２０２３年５月１日",
        "2023.5.1",
        "2023.05.01",
        "2023/05/01",
        "2023/5/1 0:00",
        "2023-5-1",
        "2023-05-01T00:00:00",
        "20230501",
        "２０２３０５０１",
        "45047",  # an Excel serial that a CSV export kept as text
        45047,
        45047.0,
        45047.75,  # a serial with a time of day
        20230501,  # typed as a number
        datetime(2023, 5, 1, 9, 30),
        date(2023, 5, 1),
    ],
)
def test_dates_in_every_form_clerks_write_them(raw: Cell) -> None:
    assert date_value(raw) == date(2023, 5, 1)


@pytest.mark.parametrize("raw", ["", None, "  ", "/", "—", "无", "不详", "－"])
def test_empty_and_placeholder_dates_are_none(raw: Cell) -> None:
    assert date_value(raw) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2023年2月30日", "'2023年2月30日' is not a valid date"),
        ("2023-13-01", "is not a valid date"),
        ("2023年5月", "'2023年5月' is not a date"),
        ("23.5.1", "is not a date"),
        ("二〇二三年五月一日", "is not a date"),
        ("2025年", "is not a date"),
        (2026, "is not a date"),  # a year, not a serial
        (99999, "is not a date"),
        (True, "is not a date"),
    ],
)
def test_bad_dates_say_which_value(raw: Cell, reason: str) -> None:
    with pytest.raises(CellError, match=reason.replace("(", r"\(")):
        date_value(raw)


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2026年3月", "2026-03"),
        ("2026年03月", "2026-03"),
        ("2026-03", "2026-03"),
        ("2026.3", "2026-03"),
        ("2026/3", "2026-03"),
        ("２０２６/６", "2026-06"),
        ("202603", "2026-03"),
        (202603, "2026-03"),
        (2026.3, "2026-03"),
        (2026.12, "2026-12"),
        ("2026年3月15日", "2026-03"),
        (date(2026, 3, 1), "2026-03"),
        (46082, "2026-03"),  # serial of 2026-03-01
    ],
)
def test_months(raw: Cell, month: str) -> None:
    assert month_value(raw) == month


def test_a_month_typed_as_a_number_with_one_decimal_is_ambiguous() -> None:
    with pytest.raises(CellError, match="January or October"):
        month_value(2026.1)
    with pytest.raises(CellError, match="not a valid month"):
        month_value("2026年13月")


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1,200", 1200),
        ("1,234,567.50", 1234567.5),
        ("３５", 35),
        ("３８．５", 38.5),
        (" 600 ", 600),
        ("600元", 600),
        ("35.0", 35),
        (35.0, 35),
        (38.5, 38.5),
        (7, 7),
        ("-3", -3),
        ("", None),
        ("/", None),
    ],
)
def test_numbers_stored_as_text_or_floats(raw: Cell, number: float | None) -> None:
    value = number_value(raw)
    assert value == number
    assert type(value) is type(number)


@pytest.mark.parametrize("raw", ["六百元", "约120", "45.6万", "1.2.3", True, date(2026, 1, 1)])
def test_what_is_not_a_number(raw: Cell) -> None:
    with pytest.raises(CellError, match="is not a number"):
        number_value(raw)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("37048120100503123x", "37048120100503123X"),
        ("３７０４８１２０１００５０３１２３ｘ", "37048120100503123X"),
        ("370481 20100503 1234", "370481201005031234"),
        ("\t370481201005031234", "370481201005031234"),  # the tab that keeps Excel away
        ("'370481201005031234", "370481201005031234"),
        ('="370481201005031234"', "370481201005031234"),
        (370481100503123, "370481100503123"),  # 15 digits: exact even as a number
        ("1234", "1234"),  # not checked here: checksums are the identity module's job
        ("", None),
    ],
)
def test_id_numbers_are_normalised_only(raw: Cell, normalised: str | None) -> None:
    assert id_value(raw) == normalised


@pytest.mark.parametrize(
    "raw", [3.70481201001011e17, 370481201001011000, "3.70481E+17", "3.70481201001011e+17", 1.5]
)
def test_id_numbers_stored_as_numbers_lost_their_digits(raw: Cell) -> None:
    with pytest.raises(CellError, match=r"ID number lost precision \(stored as a number\)"):
        id_value(raw)
