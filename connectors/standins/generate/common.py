"""What the three platforms' samples share: places, names, ID numbers, coordinates, times.

The places are real (NBS 2023 statistical division codes of Tengzhou, the same
as ``hub/demo/data/tengzhou.csv``: ten communities and villages of 荆河街道, a
few of 滨湖镇 and 官桥镇; their coordinates are approximate); the people are
invented. Every draw comes from a :class:`random.Random` seeded by a fixed
string, so the files are the same on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))

#: The samples' window, the demo data set's program year (2025-12 to 2026-11).
WINDOW_START = datetime(2025, 12, 1, 8, 0, tzinfo=CST)
WINDOW_END = datetime(2026, 11, 27, 18, 0, tzinfo=CST)


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    town_code: str
    town_name: str
    lat: float
    lng: float

    @property
    def short_name(self) -> str:
        """荆庄社区居民委员会 → 荆庄社区, 田桥村委会 → 田桥村."""
        for suffix in ("居民委员会", "村民委员会", "村委会"):
            if self.name.endswith(suffix):
                stem = self.name[: -len(suffix)]
                return stem if stem.endswith(("社区", "村")) else stem + "村"
        return self.name


_TOWNS = {
    "370481001": ("荆河街道", 35.085, 117.155),
    "370481104": ("滨湖镇", 34.955, 117.020),
    "370481110": ("官桥镇", 34.960, 117.280),
}
_VILLAGES = (
    ("370481001001", "荆庄社区居民委员会"),
    ("370481001002", "魏庄社区居民委员会"),
    ("370481001006", "蕃阳社区居民委员会"),
    ("370481001007", "西南园社区居民委员会"),
    ("370481001015", "城南社区居民委员会"),
    ("370481001200", "韩桥村村民委员会"),
    ("370481001201", "鲁西村村民委员会"),
    ("370481001202", "柳楼村村民委员会"),
    ("370481001203", "孙楼村村民委员会"),
    ("370481001204", "东倪村村民委员会"),
    ("370481104200", "田桥村委会"),
    ("370481104201", "西董村委会"),
    ("370481104205", "邱村村委会"),
    ("370481104208", "小刘庄村委会"),
    ("370481110201", "车站村委会"),
    ("370481110202", "太平庄村委会"),
    ("370481110206", "狄坡村委会"),
)


def villages() -> list[Village]:
    """The sample villages, each placed a few kilometres around its town."""
    rng = random.Random("weibao-samples:villages")  # noqa: S311 - reproducible, not secret
    out = []
    for code, name in _VILLAGES:
        town_name, lat, lng = _TOWNS[code[:9]]
        out.append(
            Village(
                code,
                name,
                code[:9],
                town_name,
                round(lat + rng.uniform(-0.03, 0.03), 5),
                round(lng + rng.uniform(-0.03, 0.03), 5),
            )
        )
    return out


_SURNAMES = "王王王李李李张张张刘刘陈陈杨赵黄周吴徐孙胡朱高林何郭马宋郑韩唐冯于董曹袁许颜孔褚"
_GIVEN = {
    ("男", 0): "建国军民华强明志平福德文海山林春成忠祥",
    ("女", 0): "桂英秀兰玉凤珍芳淑华翠香梅荣琴霞云莲",
    ("男", 1): "伟磊勇杰涛斌超鹏辉波浩凯健俊旭宁龙飞鑫峰",
    ("女", 1): "丽静敏燕娟艳娜霞玲婷芳颖倩雪慧琳晶洁红丹",
    ("男", 2): "子轩浩宇俊博文泽航睿诺晨阳梓豪铭煜嘉皓天佑",
    ("女", 2): "梓涵欣怡雨萱诗琪佳怡子涵可馨若曦语桐思彤梦瑶",
}


def person_name(rng: random.Random, gender: str, birth_year: int, surname: str = "") -> str:
    """A plausible name for the gender and generation (a grandmother is 桂英, a girl 梓涵)."""
    generation = 0 if birth_year < 1975 else 1 if birth_year < 2000 else 2
    chars = _GIVEN[(gender, generation)]
    given = "".join(rng.sample(chars, k=1 if rng.random() < 0.3 else 2))
    return (surname or rng.choice(_SURNAMES)) + given


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check(first17: str) -> str:
    """The GB 11643 check character of 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id(rng: random.Random, birth: date, gender: str, region: str = "370481") -> str:
    """A valid 18-character resident ID number (odd sequence for men, even for women)."""
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check(first17)


def old_resident_id(rng: random.Random, birth: date, gender: str) -> str:
    """A 15-digit first-generation ID number (YYMMDD, no check character), still on file."""
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
    return f"370481{birth:%y%m%d}{seq:03d}"


def spoil_check(number: str) -> str:
    """The same number with a wrong check character (a typo on entry)."""
    right = number[17].upper()
    return number[:17] + next(c for c in "0123456789X" if c != right and c != "X")


def id_with_x(rng: random.Random, birth: date, gender: str) -> str:
    """A valid ID number whose check character is X (written here in lower case, as entered)."""
    for _ in range(10_000):
        number = resident_id(rng, birth, gender)
        if number.endswith("X"):
            return number[:17] + "x"
    raise RuntimeError("no X check character found")  # pragma: no cover


def phone(rng: random.Random) -> str:
    """A mobile number of a Shandong carrier's ranges (synthetic)."""
    return rng.choice(("138", "139", "150", "151", "152", "158", "187", "188", "135", "176")) + (
        f"{rng.randrange(0, 10**8):08d}"
    )


def birth_between(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))


def near(rng: random.Random, lat: float, lng: float, metres: float) -> tuple[float, float]:
    """A point within about ``metres`` of (lat, lng), rounded like a phone reports it."""
    dlat = rng.uniform(-metres, metres) / 111_195
    dlng = rng.uniform(-metres, metres) / 91_000  # a degree of longitude at 35°N
    return round(lat + dlat, 6), round(lng + dlng, 6)


def moment_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole second between two instants, in office hours when it can."""
    seconds = int((end - start).total_seconds())
    moment = start + timedelta(seconds=rng.randrange(max(1, seconds)))
    if not 8 <= moment.hour < 19:
        moment = moment.replace(hour=rng.randint(8, 18))
    return min(moment, end)


def iso(moment: datetime) -> str:
    """ISO 8601 with the +08:00 offset, as the civil-affairs platform and the hotline write it."""
    return moment.astimezone(CST).isoformat(timespec="seconds")


def local(moment: datetime) -> str:
    """``2026-03-05 09:30:00``: Beijing time without an offset, as many platforms write it."""
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def photo_hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"
