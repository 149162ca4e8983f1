"""Tolerant comparison of Chinese names: homophones, dialect, pinyin spellings, middle dots."""

from __future__ import annotations

import pytest

from connectors.identity.names import (
    SCORES,
    NameKind,
    fuzzy_key,
    is_chinese,
    normalise,
    same_name,
    similarity,
    syllables,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("王晓明", "王晓明"),
        (" 王晓明  ", "王晓明"),  # trailing spaces from a fixed-width column
        ("王 晓明", "王晓明"),  # a space between surname and given name
        ("王\u3000晓明", "王晓明"),  # ideographic space
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),  # bullet
        ("阿依古丽‧买买提", "阿依古丽·买买提"),  # hyphenation point
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot (Japanese IME)
        ("阿依古丽･买买提", "阿依古丽·买买提"),  # half-width katakana middle dot
        ("阿依古丽.买买提", "阿依古丽·买买提"),  # a full stop typed for the dot
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("阿依古丽··买买提", "阿依古丽·买买提"),
        ("·阿依古丽", "阿依古丽"),
        (" WANG  Xiaoming ", "wang xiaoming"),
        ("Ｗａｎｇ Ｘｉａｏｍｉｎｇ", "wang xiaoming"),  # full-width Latin
        ("Lü Xin", "lv xin"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_is_chinese() -> None:
    assert is_chinese("王晓明")
    assert is_chinese("阿依古丽·买买提")
    assert is_chinese("王A")
    assert not is_chinese("Wang Xiaoming")
    assert not is_chinese("")


def test_syllables_read_surnames_as_surnames() -> None:
    assert syllables("王晓明") == ("wang", "xiao", "ming")
    assert syllables("曾小贤") == ("zeng", "xiao", "xian")  # not "ceng" as in 曾经
    assert syllables("单田芳") == ("shan", "tian", "fang")  # not "dan"
    assert syllables("吕欣") == ("lv", "xin")
    assert syllables("阿依古丽·买买提") == ("a", "yi", "gu", "li", "mai", "mai", "ti")
    assert syllables("Wang Xiaoming") == ("wang", "xiao", "ming")


@pytest.mark.parametrize(
    ("syllable", "key"),
    [
        ("zhang", "zang"),
        ("chen", "cen"),
        ("cheng", "cen"),
        ("shi", "si"),
        ("ning", "lin"),
        ("neng", "len"),
        ("ming", "min"),
        ("lv", "lu"),
        ("wang", "wang"),  # unaffected
        ("zhong", "zong"),  # ong is not eng
        ("er", "er"),
    ],
)
def test_fuzzy_key(syllable: str, key: str) -> None:
    assert fuzzy_key(syllable) == key


def test_the_score_table_is_ordered() -> None:
    order: list[NameKind] = ["exact", "dot", "homophone", "fuzzy", "partial", "different"]
    values = [SCORES[k] for k in order]
    assert values == sorted(values, reverse=True)
    assert all(0.0 <= v <= 1.0 for v in SCORES.values())


@pytest.mark.parametrize(
    ("a", "b", "kind", "detail"),
    [
        # exact once normalised
        ("王晓明", "王晓明", "exact", ""),
        ("王晓明 ", "王 晓明", "exact", ""),
        ("阿依古丽·买买提", "阿依古丽•买买提", "exact", ""),
        ("Wang Xiaoming", "WANG XIAO-MING", "exact", ""),
        # the dot left out
        ("阿依古丽·买买提", "阿依古丽买买提", "dot", ""),
        ("迪丽娜尔·艾力", "迪丽娜尔艾力", "dot", ""),
        # homophones the input method offered
        ("王晓明", "王小明", "homophone", "wang xiao ming"),
        ("张静怡", "张婧怡", "homophone", "zhang jing yi"),
        ("李子涵", "李梓涵", "homophone", "li zi han"),
        ("沈世成", "沈诗程", "homophone", "shen shi cheng"),
        ("曾小贤", "增小贤", "homophone", "zeng xiao xian"),  # surname reading
        ("阿依古丽·买买提", "阿依古力·买买提", "homophone", "a yi gu li mai mai ti"),
        # Shandong data entry: zh/z, ch/c, sh/s, n/l, eng/en, ing/in
        ("张晓明", "臧晓明", "fuzzy", "zhang/zang xiao ming"),
        ("王晓明", "王晓民", "fuzzy", "wang xiao ming/min"),
        ("陈晨", "程晨", "fuzzy", "chen/cheng chen"),
        ("刘能", "牛能", "fuzzy", "liu/niu neng"),
        ("孙胜利", "孙森丽", "fuzzy", "sun sheng/sen li"),
        ("史志强", "史子强", "fuzzy", "shi zhi/zi qiang"),
        ("宁静", "林静", "fuzzy", "ning/lin jing"),
        # typed in pinyin where the form only took Latin letters
        ("王晓明", "Wang Xiaoming", "pinyin", "wang xiao ming"),
        ("王晓明", "wangxiaoming", "pinyin", "wang xiao ming"),
        ("王晓明", "WANG Xiao Ming", "pinyin", "wang xiao ming"),
        ("王晓明", "Xiaoming Wang", "pinyin", "wang xiao ming"),  # surname last
        ("曾小贤", "Zeng Xiaoxian", "pinyin", "zeng xiao xian"),
        ("吕欣", "Lyu Xin", "pinyin", "lv xin"),  # passport spelling of ü
        ("吕欣", "Lü Xin", "pinyin", "lv xin"),
        ("西安", "Xi'an", "pinyin", "xi an"),  # the apostrophe cuts syllables
        ("阿依古丽·买买提", "Ayiguli Maimaiti", "pinyin", "a yi gu li mai mai ti"),
        ("Wang Xiaoming", "Xiaoming Wang", "pinyin", "wang xiao ming"),
        # pinyin with dialect slips
        ("张晓明", "Zang Xiaomin", "fuzzy", "zhang/zang xiao ming/min"),
        ("吕欣", "Lu Xin", "fuzzy", "lv/lu xin"),
    ],
)
def test_similar_names(a: str, b: str, kind: str, detail: str) -> None:
    found = similarity(a, b)
    assert (found.kind, found.detail) == (kind, detail)
    assert found.score == SCORES[found.kind]
    assert similarity(b, a).kind == kind  # symmetric in kind


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("王晓明", "王晓东", 0.35, 0.45),  # twins: two syllables of three
        ("王明", "王晓明", 0.45, 0.5),  # a syllable dropped
        ("阿依古丽·买买提", "阿依古丽", 0.4, 0.5),  # the father's name cut off
        ("王晓明", "Wang Xiaodong", 0.35, 0.45),
    ],
)
def test_partly_similar_names(a: str, b: str, low: float, high: float) -> None:
    found = similarity(a, b)
    assert found.kind == "partial"
    assert low <= found.score <= high
    assert found.score < SCORES["fuzzy"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("王晓明", "李建国"),
        ("张伟", "刘芳"),
        ("王晓明", "Li Jianguo"),
        ("王晓明", ""),
        ("", ""),
        ("王晓明", "John Smith"),  # not pinyin at all
    ],
)
def test_different_names(a: str, b: str) -> None:
    found = similarity(a, b)
    assert (found.kind, found.score) == ("different", 0.0)


def test_homophones_rank_above_dialect_above_partial() -> None:
    exact = similarity("王晓明", "王晓明").score
    homophone = similarity("王晓明", "王小明").score
    dialect = similarity("王晓明", "王晓民").score
    partial = similarity("王晓明", "王晓东").score
    assert exact > homophone > dialect > partial > 0


def test_same_name() -> None:
    assert same_name("阿依古丽•买买提 ", "阿依古丽·买买提")
    assert not same_name("王晓明", "王小明")


def test_a_long_latin_string_stays_fast() -> None:
    # Many ways to cut "xianxianxian…" into syllables: the search is bounded.
    found = similarity("冼先贤仙", "xian" * 12)
    assert found.kind in {"partial", "different"}
