"""Plausible applicants: names, valid USCCs by jurisdiction, valid CN patent numbers."""

from __future__ import annotations

import random

from stdnum.cn import uscc

from ipaward.exchange.identifiers import patent_check_character

# 行政区划代码 of the counties/districts; zones use the city code (they have none of their own).
REGION_CODES = {
    "芗城区": "350602",
    "龙文区": "350603",
    "龙海区": "350604",
    "长泰区": "350605",
    "云霄县": "350622",
    "漳浦县": "350623",
    "诏安县": "350624",
    "东山县": "350626",
    "南靖县": "350627",
    "平和县": "350628",
    "华安县": "350629",
}
# 登记管理部门码 + 机构类别码 by applicant kind (GB 32100-2015).
KIND_PREFIX = {
    "enterprise": "91",
    "bank": "91",
    "operation_body": "91",
    "university": "12",
    "research_institute": "12",
    "service_body": "12",
    "organisation": "51",
    "city_unit": "11",
}
WORDS = [
    "星海",
    "九龙江",
    "圆山",
    "水仙",
    "芗江",
    "丹霞",
    "南山",
    "云洞",
    "古雷",
    "东山湾",
    "花博",
    "闽南",
    "天宝",
    "林下",
    "白云",
    "金峰",
    "石码",
    "鹰山",
    "马銮",
    "梁山",
]
TRADES = [
    "电子科技",
    "食品",
    "新材料",
    "生物医药",
    "智能装备",
    "石化科技",
    "纸业",
    "海洋科技",
    "光电",
    "软件",
]


def uscc_for(kind: str, jurisdiction: str, serial: int) -> str:
    body = f"{KIND_PREFIX[kind]}{REGION_CODES.get(jurisdiction, '350600')}MA{serial:07d}"
    return body + uscc.calc_check_digit(body)


def patent_number(rng: random.Random, *, year: int, kind: int = 1) -> str:
    digits = f"{year}{kind}{rng.randrange(10**6, 10**7):07d}"
    return f"{digits}.{patent_check_character(digits)}"


def enterprise_name(rng: random.Random, jurisdiction: str) -> str:
    place = jurisdiction.removesuffix("区").removesuffix("县")
    return f"漳州{place}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"
