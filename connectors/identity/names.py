"""Tolerant comparison of Chinese personal names, typed by different clerks in different systems.

The same child is 王晓明 in one ledger, 王小明 in another (the input method
offered the wrong homophone), 王晓民 where a Shandong clerk's ear does not
separate ``-ing`` and ``-in``, and ``Wang Xiaoming`` where the field only took
Latin letters. Minority names carry a middle dot (阿依古丽·买买提) typed as
any of ``· • ‧ ・ .`` or left out. :func:`similarity` grades two names:

============================  =====  ======================================
kind                          score  meaning
============================  =====  ======================================
``exact``                     1.00   equal once normalised
``dot``                       0.97   equal apart from a missing middle dot
``homophone``                 0.90   same pinyin without tones
``pinyin``                    0.90   Latin pinyin equal to the Chinese name's
``fuzzy``                     0.80   same pinyin under the dialect rules below
``partial``                   ≤0.60  0.6 × the syllable sequences' similarity
``different``                 0.00   nothing in common
============================  =====  ======================================

The dialect rules (:data:`FUZZY_INITIALS`, :data:`FUZZY_FINALS`) are the
confusions common in data typed in Shandong: zh/z, ch/c, sh/s, n/l, eng/en,
ing/in (and lü/lu, which Latin spellings blur). A homophone is not proof of
identity; :mod:`connectors.identity.matching` weighs the name with the birth
date and the village.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Literal

from pypinyin import Style, lazy_pinyin, pinyin

__all__ = [
    "FUZZY_FINALS",
    "FUZZY_INITIALS",
    "SCORES",
    "NameKind",
    "NameSimilarity",
    "fuzzy_key",
    "is_chinese",
    "normalise",
    "same_name",
    "similarity",
    "syllables",
]

NameKind = Literal["exact", "dot", "homophone", "pinyin", "fuzzy", "partial", "different"]

SCORES: dict[NameKind, float] = {
    "exact": 1.0,
    "dot": 0.97,
    "homophone": 0.9,
    "pinyin": 0.9,
    "fuzzy": 0.8,
    "partial": 0.6,  # the ceiling; scaled by how much of the names agree
    "different": 0.0,
}

#: Initials merged before a fuzzy comparison (applied to the start of a syllable).
FUZZY_INITIALS: tuple[tuple[str, str], ...] = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
#: Finals merged before a fuzzy comparison (applied to the end of a syllable).
FUZZY_FINALS: tuple[tuple[str, str], ...] = (("eng", "en"), ("ing", "in"), ("v", "u"))

MIDDLE_DOT = "·"
# Middle-dot look-alikes typed in minority names (NFKC already maps ･ U+FF65 to ・).
_DOTS = re.compile(r"[·•‧・∙⋅･.．。]")
_SPACES = re.compile(r"\s+")
_LATIN_SPLIT = re.compile(r"[\s'’\-·.]+")

# Readings of characters that are surnames read differently from the common word
# (曾 is "zeng" as a surname, "ceng" in 曾经). Only applied to a name's first character.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou",
    "查": "zha", "盖": "ge", "乐": "yue", "尉": "yu", "覃": "qin", "繁": "po",
    "员": "yun", "缪": "miao", "召": "shao", "翟": "zhai", "种": "chong", "秘": "bi",
    "冼": "xian", "过": "guo", "能": "nai", "长": "chang", "重": "chong", "柏": "bai",
}  # fmt: skip

# The syllables of Mandarin (from pypinyin's dictionary; ü written v), for cutting
# Latin-typed names like "xiaoming" into "xiao ming".
_SYLLABLE_TEXT = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
    can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng
    di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen
    feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
    ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian
    jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku
    kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin
    ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao
    mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning
    niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin
    ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re
    ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
    shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su
    suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue
    xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen
    zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang
    zhui zhun zhuo zi zong zou zu zuan zui zun zuo"""
_SYLLABLES = frozenset(_SYLLABLE_TEXT.split())
_MAX_SEGMENTATIONS = 32  # a name cuts into very few ways; stop runaway inputs


@dataclass(frozen=True)
class NameSimilarity:
    """How alike two names are: ``score`` in [0, 1], the ``kind`` of match, and a detail.

    ``detail`` is the pinyin that made the match (``"wang xiao ming"``), for the
    reasons a reviewer reads.
    """

    score: float
    kind: NameKind
    detail: str = ""


def normalise(name: str) -> str:
    """A name as compared: half-width, one kind of middle dot, no stray spaces.

    Chinese names lose all whitespace (``"王 晓明 "`` → ``"王晓明"``); Latin ones
    are lower-cased with single spaces (``" WANG  Xiaoming"`` → ``"wang xiaoming"``).
    """
    text = unicodedata.normalize("NFKC", name).strip()
    if is_chinese(text):
        text = _SPACES.sub("", text)
        text = _DOTS.sub(MIDDLE_DOT, text).strip(MIDDLE_DOT)
        return re.sub(f"{MIDDLE_DOT}+", MIDDLE_DOT, text)
    text = text.replace("ü", "v").replace("u:", "v")
    return _SPACES.sub(" ", text).lower()


def is_chinese(text: str) -> bool:
    """True when ``text`` contains a CJK ideograph (then it is read as a Chinese name)."""
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


def syllables(name: str) -> tuple[str, ...]:
    """The toneless pinyin of a Chinese name as read aloud, one syllable per character.

    Middle dots are dropped; a surname with its own reading is read as one
    (曾小贤 → ``zeng xiao xian``, not ``ceng``).
    """
    text = normalise(name).replace(MIDDLE_DOT, "")
    if not is_chinese(text):
        return _latin_cuts(text)[0] if _latin_cuts(text) else ()
    spoken = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    if len(text) > 1 and text[0] in _SURNAME_READINGS:
        spoken[0] = _SURNAME_READINGS[text[0]]
    return tuple(spoken)


def fuzzy_key(syllable: str) -> str:
    """A syllable with the dialect confusions merged: ``zhang`` → ``zang``, ``ning`` → ``lin``."""
    for long, short in FUZZY_INITIALS:
        if syllable.startswith(long) and len(syllable) > len(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in FUZZY_FINALS:
        if syllable.endswith(long) and len(syllable) > len(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


def same_name(a: str, b: str) -> bool:
    """True when the two names are equal once normalised (dots and spacing aside)."""
    return normalise(a) == normalise(b)


def similarity(a: str, b: str) -> NameSimilarity:
    """Grade two names (Chinese or Latin pinyin, in any combination); see the module table."""
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return NameSimilarity(0.0, "different")
    if left == right or _latin_equal(left, right):
        return NameSimilarity(SCORES["exact"], "exact")
    left_zh, right_zh = is_chinese(left), is_chinese(right)
    if left_zh and right_zh:
        if left.replace(MIDDLE_DOT, "") == right.replace(MIDDLE_DOT, ""):
            return NameSimilarity(SCORES["dot"], "dot")
        return _compare(_readings(left), [_readings(right)], "homophone")
    if left_zh:
        return _compare(_readings(left), _latin_readings(right), "pinyin")
    if right_zh:
        return _compare(_readings(right), _latin_readings(left), "pinyin")
    # Both Latin: compare their best cuts into syllables.
    left_cuts = _latin_readings(left)
    return max(
        (_compare(cut, _latin_readings(right), "pinyin") for cut in left_cuts),
        key=lambda found: found.score,
        default=NameSimilarity(0.0, "different"),
    )


# Per syllable position, the possible readings, the likeliest first.
Readings = tuple[tuple[str, ...], ...]


def _compare(readings: Readings, others: list[Readings], equal_kind: NameKind) -> NameSimilarity:
    """The best grade of ``readings`` against any of ``others`` (cuts of a Latin name)."""
    best = NameSimilarity(0.0, "different")
    for other in others:
        if len(other) == len(readings):
            shared = _shared(readings, other)
            if shared is not None:
                return NameSimilarity(SCORES[equal_kind], equal_kind, " ".join(shared))
            fuzzy = _fuzzy_shared(readings, other)
            if fuzzy is not None and best.score < SCORES["fuzzy"]:
                best = NameSimilarity(SCORES["fuzzy"], "fuzzy", " ".join(fuzzy))
        ratio = 2 * _common_length(readings, other) / (len(readings) + len(other))
        partial = round(SCORES["partial"] * ratio, 3)
        if partial > best.score:
            best = NameSimilarity(partial, "partial", f"{ratio:.0%} of syllables")
    return best


def _shared(left: Readings, right: Readings) -> list[str] | None:
    """The likeliest common reading of each position, or None when a position has none."""
    common: list[str] = []
    for a, b in zip(left, right, strict=True):
        found = next((s for s in a if s in b), None)
        if found is None:
            return None
        common.append(found)
    return common


def _fuzzy_shared(left: Readings, right: Readings) -> list[str] | None:
    """Like :func:`_shared` under the dialect rules; differing positions read ``zhang/zang``."""
    parts: list[str] = []
    for a, b in zip(left, right, strict=True):
        same = next((s for s in a if s in b), None)
        if same is not None:
            parts.append(same)
            continue
        pair = next(((x, y) for x in a for y in b if fuzzy_key(x) == fuzzy_key(y)), None)
        if pair is None:
            return None
        parts.append(f"{pair[0]}/{pair[1]}")
    return parts


def _common_length(left: Readings, right: Readings) -> int:
    """Longest common subsequence of syllables, positions alike under the dialect rules."""
    keys_left = [{fuzzy_key(s) for s in r} for r in left]
    keys_right = [{fuzzy_key(s) for s in r} for r in right]
    previous = [0] * (len(right) + 1)
    for a in keys_left:
        current = [0]
        for j, b in enumerate(keys_right):
            current.append(previous[j] + 1 if a & b else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@lru_cache(maxsize=4096)
def _readings(chinese: str) -> Readings:
    """Per character: a surname's own reading, the reading in context, two common readings."""
    chars = [c for c in chinese if c != MIDDLE_DOT]
    text = "".join(chars)
    in_context = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    heteronyms = pinyin(text, style=Style.NORMAL, heteronym=True, errors="default")
    if len(in_context) != len(chars) or len(heteronyms) != len(chars):
        # Non-Han characters grouped into one token: fall back to the characters themselves.
        return tuple((c.lower(),) for c in chars)
    readings = []
    for index, (char, word, options) in enumerate(zip(chars, in_context, heteronyms, strict=True)):
        found = [word, *options[:2]]
        if index == 0 and len(chars) > 1 and char in _SURNAME_READINGS:
            found.insert(0, _SURNAME_READINGS[char])
        readings.append(tuple(dict.fromkeys(found)))
    return tuple(readings)


@lru_cache(maxsize=4096)
def _latin_cuts(latin: str) -> tuple[tuple[str, ...], ...]:
    """Every way to cut a Latin name into pinyin syllables (its own spaces are cuts)."""
    words = [w for w in _LATIN_SPLIT.split(latin) if w]
    words = [_spelling(w) for w in words]
    per_word = [_segmentations(w) for w in words]
    if not per_word or any(not cuts for cuts in per_word):
        return ()
    orders = [per_word]
    if len(per_word) > 1:
        # "Xiaoming Wang": the surname written last, as on a passport or English form.
        orders.append([per_word[-1], *per_word[:-1]])
    cuts: list[tuple[str, ...]] = []
    for order in orders:
        for combination in product(*order):
            cut = tuple(s for word in combination for s in word)
            if cut not in cuts:
                cuts.append(cut)
            if len(cuts) >= _MAX_SEGMENTATIONS:
                return tuple(cuts)
    return tuple(cuts)


def _latin_readings(latin: str) -> list[Readings]:
    return [tuple((s,) for s in cut) for cut in _latin_cuts(latin)]


def _latin_equal(left: str, right: str) -> bool:
    """Two Latin spellings of one name: same letters once separators are ignored."""
    if is_chinese(left) or is_chinese(right):
        return False
    return _LATIN_SPLIT.sub("", left) == _LATIN_SPLIT.sub("", right)


def _spelling(word: str) -> str:
    """Passport and keyboard spellings of ü: ``lyu``/``lu:``/``lü`` → ``lv``."""
    return re.sub(r"([ln])(yu|u:|ü)", r"\1v", word)


def _segmentations(word: str) -> list[tuple[str, ...]]:
    """All cuts of one word into syllables, fewest syllables first."""
    found: list[tuple[str, ...]] = []

    def cut(start: int, sofar: tuple[str, ...]) -> None:
        if len(found) >= _MAX_SEGMENTATIONS:
            return
        if start == len(word):
            found.append(sofar)
            return
        for end in range(min(len(word), start + 6), start, -1):
            piece = word[start:end]
            if piece in _SYLLABLES:
                cut(end, (*sofar, piece))

    cut(0, ())
    return sorted(found, key=len)
