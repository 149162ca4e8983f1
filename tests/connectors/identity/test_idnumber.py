"""Resident ID numbers: the checksum, dates, regions, 15-digit upgrades, typed messiness."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.identity.idnumber import (
    IdError,
    IdNumber,
    check_character,
    mask,
    normalise,
    parse,
    upgrade15,
    validate,
)

TODAY = date(2025, 3, 1)

# Valid numbers (check characters computed by hand from the GB 11643 weights).
VALID = {
    "370481201005031231": (date(2010, 5, 3), "male"),
    "370481201208150046": (date(2012, 8, 15), "female"),
    "37048120170101008X": (date(2017, 1, 1), "female"),
    "370481200802290020": (date(2008, 2, 29), "female"),  # a leap day
    "370481197803120512": (date(1978, 3, 12), "male"),
    "11010519491231002X": (date(1949, 12, 31), "female"),  # the standard's own example
}


@pytest.mark.parametrize(("number", "facts"), VALID.items())
def test_valid_numbers_parse_with_birth_date_gender_and_region(
    number: str, facts: tuple[date, str]
) -> None:
    parsed = parse(number, today=TODAY)
    assert isinstance(parsed, IdNumber)
    assert (parsed.value, parsed.birth_date, parsed.gender) == (number, *facts)
    assert parsed.region == number[:6]
    assert not parsed.upgraded
    assert parsed.note is None
    assert validate(number, today=TODAY)


def test_check_character_follows_the_weights() -> None:
    # 3·7 + 7·9 + 0·10 + 4·5 + 8·8 + 1·4 + 2·2 + 0·1 + 1·6 + 0·3 + 0·7 + 5·9 + 0·10 + 3·5
    # + 1·8 + 2·4 + 3·2 = 264 = 24·11: remainder 0 → "1"
    assert check_character("37048120100503123") == "1"
    assert check_character("37048120170101008") == "X"
    with pytest.raises(ValueError, match="17 digits"):
        check_character("3704812010050312")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("37048120170101008x", "37048120170101008X"),  # lower-case x
        (" 370481201005031231 ", "370481201005031231"),  # padding
        ("３７０４８１２０１００５０３１２３１", "370481201005031231"),  # full-width digits
        ("３７０４８１２０１７０１０１００８ｘ", "37048120170101008X"),  # full-width x
        ("370481 20100503 1231", "370481201005031231"),  # grouped for reading
        ("370481-20100503-1231", "370481201005031231"),
        ("370481\u300020100503\t1231", "370481201005031231"),  # ideographic space, tab
        ("37048120170101008×", "37048120170101008X"),  # multiplication sign for x
        (370481201005031231, "370481201005031231"),  # an int from a spreadsheet cell
        (None, ""),
    ],
)
def test_normalise_cleans_typed_numbers(raw: object, expected: str) -> None:
    assert normalise(raw) == expected


def test_parse_accepts_messy_input_after_normalising() -> None:
    parsed = parse(" 370481-20170101-008x ", today=TODAY)
    assert isinstance(parsed, IdNumber)
    assert parsed.value == "37048120170101008X"


def test_validate_is_strict_about_the_stored_form() -> None:
    assert not validate("37048120170101008x", today=TODAY)  # normalise first
    assert validate(normalise("37048120170101008x"), today=TODAY)
    assert not validate("370481780312051", today=TODAY)  # 15 digits: upgrade first


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "missing"),
        ("   ", "missing"),
        (None, "missing"),
        ("370481201005031232", "bad checksum: expected 1, got 2"),
        ("370481201005031321", "bad checksum: expected X, got 1"),  # two digits swapped
        ("37048120170101008", "wrong length: 17 characters (expected 18, or 15 for an old number)"),
        ("3704812010050312311", "wrong length: 19 characters"),
        ("3704812O1005031231", "bad character 'O' at position 8"),  # letter O for zero
        ("370481X01005031231", "bad character 'X' at position 7"),  # X only at the end
        ("990481201005031231", "unknown province code 99"),
        ("000000201005031231", "unknown province code 00"),
        ("370481200902290028", "impossible birth date 20090229"),  # 2009 is no leap year
        ("370481201013011234", "impossible birth date 20101301"),
        ("370481203001010010", "birth date 2030-01-01 is in the future"),
        ("440524188001010014", "birth date 1880-01-01 is before 1900"),  # the standard's example
        ("3.70481201005031E+17", "scientific notation"),  # Excel turned it into a float
        ("37048178031205X", "bad character 'X' at position 15"),  # 15 digits have no X
        ("370481781312051", "impossible birth date 19781312"),
    ],
)
def test_invalid_numbers_say_why(raw: str | None, reason: str) -> None:
    parsed = parse(raw, today=TODAY)
    assert isinstance(parsed, IdError)
    assert reason in parsed.reason


def test_a_future_birth_date_depends_on_today() -> None:
    number = "37048120250302" + "001"
    number += check_character(number)
    assert isinstance(parse(number, today=date(2025, 3, 1)), IdError)
    assert isinstance(parse(number, today=date(2025, 3, 2)), IdNumber)
    assert validate(number, today=date(2025, 3, 2))
    assert not validate(number, today=TODAY)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("110105491231002", "11010519491231002X"),  # the standard's example
        ("370481780312051", "370481197803120512"),
        ("370481650101002", "370481196501010022"),
    ],
)
def test_fifteen_digit_numbers_are_upgraded(old: str, new: str) -> None:
    assert upgrade15(old) == new
    parsed = parse(old, today=TODAY)
    assert isinstance(parsed, IdNumber)
    assert parsed.value == new
    assert parsed.upgraded
    assert parsed.note == "15-digit number upgraded"
    assert parsed.birth_date.year < 2000


def test_upgrade15_refuses_anything_else() -> None:
    with pytest.raises(ValueError, match="15 digits"):
        upgrade15("370481201005031231")
    with pytest.raises(ValueError, match="15 digits"):
        upgrade15("37048178031205X")


def test_gender_comes_from_the_seventeenth_digit() -> None:
    male = parse("370481197803120512", today=TODAY)
    female = parse("370481196501010022", today=TODAY)
    assert isinstance(male, IdNumber)
    assert male.gender == "male"
    assert isinstance(female, IdNumber)
    assert female.gender == "female"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("37048120170101008X", "370481********008X"),
        ("370481201005031231", "370481********1231"),
        ("37048120170101008x", "370481********008X"),
        ("370481780312051", "370481*****2051"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_keeps_region_and_last_four(value: str, masked: str) -> None:
    assert mask(value) == masked
