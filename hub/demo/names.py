"""Plausible Chinese personal and organisation names, from small embedded lists.

Surnames are weighted roughly by frequency (the commonest ones cover most of
the population, as in Shandong). Given-name characters depend on gender and
generation, so a grandmother is 桂英 and a granddaughter 梓涵: reviewers of a
demo notice when they are not.
"""

from __future__ import annotations

import random
from itertools import accumulate

# Surnames in tiers of roughly equal frequency (weight per mille, then the surnames).
_SURNAME_TIERS: tuple[tuple[float, str], ...] = (
    (70, "王李张"),
    (53, "刘"),
    (45, "陈"),
    (31, "杨"),
    (21, "赵黄周吴"),
    (15, "徐孙"),
    (12, "胡朱高"),
    (11, "林何郭马"),
    (8, "罗梁"),
    (6, "宋郑谢韩唐冯于"),
    (5, "董程曹袁邓许"),
    (4, "傅沈曾彭吕苏卢蒋蔡贾"),
    (3, "丁魏薛叶阎余潘杜戴夏田任姜范方石姚"),
    (2, "谭邹金陆郝孔白崔康毛邱秦史侯邵孟段"),
    (1, "尹常武乔殷颜褚满鲍庞葛耿牛仲申"),
)
_SURNAMES = [(name, weight) for weight, names in _SURNAME_TIERS for name in names]
_SURNAME_LIST = [s for s, _ in _SURNAMES]
_SURNAME_CUM = list(accumulate(w for _, w in _SURNAMES))

# Given-name characters by gender and generation (born before 1975, 1975–1999, 2000 on).
_GIVEN: dict[tuple[str, int], str] = {
    ("male", 0): "建国军民华强明志平福德文海山林春成忠祥立生庆荣永刚宝",
    ("female", 0): "桂英秀兰玉凤珍芳淑华翠香梅荣琴霞云莲娥爱兰美凤",
    ("male", 1): "伟磊勇杰涛斌超鹏辉波浩凯健俊帅旭宁龙飞鑫刚亮峰军强明",
    ("female", 1): "丽静敏燕娟艳娜霞玲婷芳颖倩雪慧琳晶洁红丹萍莉蕾",
    ("male", 2): "子轩浩宇俊博文泽宇航睿一诺晨阳梓豪铭煜嘉皓天佑思远锦程",
    ("female", 2): "梓涵欣怡雨萱诗琪佳怡子涵可馨若曦语桐思彤一诺梦瑶雅琪依诺",
}


def _generation(birth_year: int) -> int:
    if birth_year < 1975:
        return 0
    return 1 if birth_year < 2000 else 2


def surname(rng: random.Random) -> str:
    """A surname drawn by frequency."""
    return rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]


def given_name(rng: random.Random, gender: str, birth_year: int) -> str:
    """A one- or two-character given name fitting gender and generation."""
    chars = _GIVEN[(gender, _generation(birth_year))]
    length = 1 if rng.random() < 0.3 else 2
    return "".join(rng.choice(chars) for _ in range(length))


def person_name(
    rng: random.Random, gender: str, birth_year: int, family_name: str | None = None
) -> str:
    """A full name; ``family_name`` when the person belongs to a known family."""
    return (family_name or surname(rng)) + given_name(rng, gender, birth_year)


# Words for organisation names (滕州市心悦社会工作服务中心 and the like).
ORG_WORDS = (  # noqa: SIM905 - a compact list
    "心悦 阳光 启航 守望 益心 同心 善水 暖阳 向日葵 春苗 爱馨 明德 和润 荷风 彩虹 晨曦 "
    "蒲公英 希望 乐群 仁和"
).split()
LAW_WORDS = "正衡 鲁信 泰和 明理 德衡 博睿".split()  # noqa: SIM905


def short_place_name(division_name: str) -> str:
    """A village or community committee's everyday name (荆庄社区 for 荆庄社区居民委员会)."""
    for suffix in ("居民委员会", "村民委员会", "村民居委会", "委员会", "村委会", "居委会"):
        if division_name.endswith(suffix) and len(division_name) > len(suffix):
            name = division_name[: -len(suffix)]
            if name.endswith(("村", "社区", "区")):
                return name
            return name + ("社区" if "居" in suffix else "村")
    return division_name
