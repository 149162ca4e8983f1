"""Samples of the 12345 government hotline: work orders (工单) about minors.

A work order is taken by the hotline (phone, website, WeChat, mayor's mailbox),
dispatched to a unit (a town's minor-protection station, the civil affairs or
education bureau), handled, answered and followed up. Callers' phone numbers
are masked by the hotline itself. The mess (in ``manifest.json``): locations
given by town name only, or not at all, free text with line breaks and stray
spaces, a child's age written as text, and orders re-opened after closing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from connectors.standins.generate.common import (
    WINDOW_END,
    WINDOW_START,
    iso,
    moment_between,
    person_name,
    villages,
)

Record = dict[str, Any]

_TOPICS = (
    (
        "监护缺失",
        "反映{place}有一名约{age}岁的{gender}孩，父母长期在外务工，由年迈的奶奶照看，"
        "孩子经常独自在外玩耍到深夜，希望有关部门关注。",
    ),
    (
        "疑似家庭暴力",
        "来电人称邻居家{age}岁{gender}孩身上多次出现淤青，夜间常听到打骂声，"
        "担心孩子遭受家庭暴力，请求核实处理。",
    ),
    (
        "辍学",
        "反映{place}一名{age}岁{gender}孩已经一个多月没有上学，家长称孩子不愿去学校，"
        "希望教育部门和村里帮助孩子复学。",
    ),
    (
        "困境儿童救助",
        "来电人为{place}居民，家中{age}岁{gender}孩患重病，家庭经济困难，"
        "咨询能否申请困境儿童基本生活保障和医疗救助。",
    ),
    (
        "校园周边安全",
        "反映{place}附近学校门口上下学时段车辆乱停、有流动摊贩售卖三无食品，"
        "存在安全隐患，希望加强管理。",
    ),
    (
        "网吧接纳未成年人",
        "反映{place}一家网吧接纳未成年人上网，多名中小学生晚上在内上网，请求文化执法部门查处。",
    ),
)
_CHANNELS = ("电话", "电话", "电话", "网站", "微信公众号", "市长信箱")
_STAGES = ("已受理", "已转办", "办理中", "已办结", "已回访")
_UNITS = ("{town}未成年人保护工作站", "滕州市民政局", "滕州市教育和体育局", "{town}人民政府")
_REPLIES = {
    "监护缺失": "经核实，已由村儿童主任入户走访，将孩子纳入重点关爱对象，定期回访。",
    "疑似家庭暴力": "已会同派出所、妇联入户核实，对监护人进行训诫教育，儿童主任持续跟踪。",
    "辍学": "已联系学校和家长，孩子已于本周返校上课。",
    "困境儿童救助": "已协助家庭申请困境儿童基本生活保障和临时救助，并链接慈善资源。",
    "校园周边安全": "已联合交警、市场监管部门开展检查，规范停车并取缔无证摊贩。",
    "网吧接纳未成年人": "文化市场综合执法大队已对该网吧立案查处，责令整改。",
}


@dataclass
class Hotline:
    orders: list[Record] = field(default_factory=list)
    manifest: dict[str, list[str]] = field(default_factory=dict)

    def mark(self, fault: str, record_id: str) -> None:
        self.manifest.setdefault(fault, []).append(record_id)


def generate() -> Hotline:
    """150 work orders over the program year, deterministic."""
    rng = random.Random("weibao-samples:hotline")  # noqa: S311 - reproducible, not secret
    places = villages()
    out = Hotline()
    for number in range(1, 151):
        village = rng.choice(places)
        sub_category, template = rng.choice(_TOPICS)
        created = moment_between(rng, WINDOW_START, WINDOW_END - timedelta(days=3))
        stage = rng.choices(range(len(_STAGES)), weights=(5, 10, 15, 35, 35))[0]
        updated = min(WINDOW_END, created + timedelta(hours=rng.randint(1, 24 * (stage + 1) * 3)))
        gender = rng.choice(("男", "女"))
        age = rng.randint(3, 16)
        place = f"{village.town_name}{village.short_name}"
        caller_gender = rng.choice(("先生", "女士"))
        unit = rng.choice(_UNITS).format(town=village.town_name)
        closed = stage >= 3
        order: Record = {
            "order_no": f"12345-{created:%Y%m%d}-{number:05d}",
            "channel": rng.choice(_CHANNELS),
            "category": "未成年人保护",
            "sub_category": sub_category,
            "title": f"关于{place}{sub_category}的诉求",
            "content": template.format(place=place, age=age, gender=gender),
            "caller": {
                "name": person_name(rng, "男", 1980)[0] + caller_gender,
                "phone": f"1{rng.randint(30, 89)}****{rng.randrange(10000):04d}",
                "anonymous": rng.random() < 0.15,
            },
            "location": {
                "town_code": village.town_code,
                "town_name": village.town_name,
                "village_name": village.short_name,
                "address": f"滕州市{place}",
            },
            "child": {"age": age, "gender": gender},
            "urgency": "紧急" if sub_category == "疑似家庭暴力" else "一般",
            "status": _STAGES[stage],
            "handling_unit": unit if stage >= 1 else None,
            "reply": _REPLIES[sub_category] if closed else None,
            "satisfaction": rng.choice(("满意", "满意", "基本满意", "不满意"))
            if stage == 4
            else None,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "closed_at": iso(updated) if closed else None,
        }
        if sub_category in ("校园周边安全", "网吧接纳未成年人"):
            order["child"] = None
        out.orders.append(order)
    _spoil(out)
    return out


def _spoil(out: Hotline) -> None:
    orders = out.orders
    for order in orders[10:14]:
        order["location"]["town_code"] = None
        order["location"]["village_name"] = None
        out.mark("order_town_name_only", order["order_no"])
    orders[25]["location"] = None
    out.mark("order_no_location", orders[25]["order_no"])
    orders[31]["content"] = "  " + orders[31]["content"].replace("，", "，\r\n", 1) + "\n\n"
    out.mark("order_messy_text", orders[31]["order_no"])
    with_child = [o for o in orders if o["child"]]
    with_child[20]["child"]["age"] = "十岁左右"
    out.mark("order_child_age_text", with_child[20]["order_no"])
    reopened = next(o for o in orders[60:] if o["status"] == "已办结")
    reopened["status"] = "办理中"
    reopened["reply"] = "群众对处理结果不满意，工单重新办理。"
    out.mark("order_reopened", reopened["order_no"])
