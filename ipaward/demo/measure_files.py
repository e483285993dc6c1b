"""The demo's application data, one maker per measure (by identity): plausible applicants
in the given jurisdiction, evidence dated in 2024, numbers that validate."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Callable
from typing import Any

from ipaward.demo.fake_identities import enterprise_name, patent_number, uscc_for

INSTITUTION_PLACES = {
    "闽南师范大学": "芗城区",
    "漳州职业技术学院": "龙文区",
    "漳州市农业科学研究所": "龙海区",
    "厦门大学嘉庚学院": "漳州台商投资区",
    "漳州科技职业学院": "漳州开发区",
    "福建林业科学研究院漳州分院": "南靖县",
    "漳州卫生职业学院": "长泰区",
    "漳州市工业和信息化局": "芗城区",
    "漳州市农业农村局": "芗城区",
}


def _applicant(kind: str, name: str, place: str, serial: int, **extra: Any) -> dict[str, Any]:
    """One legal person keeps one USCC and one seat across its applications."""
    place = INSTITUTION_PLACES.get(name, place)
    stable = zlib.crc32(name.encode()) % 10**7
    return {
        "name": name,
        "kind": kind,
        "uscc": uscc_for(kind, place, stable),
        "jurisdiction": place,
        **extra,
    }


def _day(rng: random.Random, start: dt.date, span: int) -> str:
    return (start + dt.timedelta(days=rng.randrange(span))).isoformat()


def _introduction(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    introduced = dt.date(2024, 3, 1) + dt.timedelta(days=30 * index)
    patents = [
        {
            "number": patent_number(rng, year=2023),
            "granted_on": _day(rng, introduced, 600),
            "high_value": rng.choice(["strategic_emerging", "overseas_family", None])
            if i % 2 == 0
            else None,
            "acquired": False,
        }
        for i in range(40 + 3 * index)
    ]
    return {
        "applicant": _applicant(
            "enterprise",
            enterprise_name(rng, place),
            place,
            serial,
            introduced_on=introduced.isoformat(),
            industry="新一代信息技术产业",
        ),
        "evidence": {"patents": patents},
    }


def _navigation(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    units = ["漳州市工业和信息化局", "漳州市农业农村局"]
    titles = ["漳州市食品加工产业专利导航", "漳州市特色现代农业区域专利导航"]
    return {
        "applicant": _applicant("city_unit", units[index % 2], "芗城区", serial),
        "evidence": {
            "project": {
                "title": titles[index % 2],
                "scope": ["industry", "regional"][index % 2],
                "budget": 300000 + 50000 * index,
            }
        },
    }


def _certification(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    kind = "university" if index % 2 == 0 else "research_institute"
    name = ["闽南师范大学", "漳州市农业科学研究所", "漳州职业技术学院"][index % 3]
    standard = "GB/T 33251-2016" if kind == "university" else "GB/T 33250-2016"
    return {
        "applicant": _applicant(kind, name, place, serial),
        "evidence": {
            "certification": {
                "standard": standard,
                "certificate_no": f"IPMS-2024-{300 + serial}",
                "certified_on": _day(rng, dt.date(2024, 3, 1), 300),
            }
        },
    }


def _grading(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    return {
        "applicant": _applicant("enterprise", enterprise_name(rng, place), place, serial),
        "evidence": {
            "grading": {
                "level": 1 + index % 5,
                "certificate_no": f"ISO56005-2024-{serial:03d}",
                "graded_on": _day(rng, dt.date(2024, 4, 1), 250),
            }
        },
    }


def _transfers(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    name = [
        "闽南师范大学",
        "漳州职业技术学院",
        "厦门大学嘉庚学院",
        "漳州科技职业学院",
        "福建林业科学研究院漳州分院",
    ][index]
    kind = "research_institute" if "研究院" in name else "university"
    transfers = [
        {
            "patent_number": patent_number(rng, year=2020),
            "transferee": {
                "name": enterprise_name(rng, "龙文区"),
                "uscc": uscc_for("enterprise", "龙文区", 9000 + serial * 100 + i),
                "jurisdiction": rng.choice(["龙文区", "漳浦县", "漳州开发区", "芗城区"]),
            },
            "recorded_on": _day(rng, dt.date(2024, 2, 5), 320),
        }
        for i in range(4 + 2 * index)
    ]
    return {
        "year": 2024,
        "applicant": _applicant(kind, name, place, serial),
        "evidence": {"transfers": transfers},
    }


def _products(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    products = [
        {
            "name": f"专利密集型产品{serial}-{i}",
            "recognition_no": f"MJCP-2024-{serial:03d}{i:02d}",
            "recognised_on": _day(rng, dt.date(2024, 3, 1), 280),
        }
        for i in range(2 + 4 * index)
    ]
    return {
        "year": 2024,
        "applicant": _applicant("enterprise", enterprise_name(rng, place), place, serial),
        "evidence": {"products": products},
    }


def _loan_loss(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    bank = [
        "兴业银行股份有限公司漳州分行",
        "中国银行股份有限公司漳州分行",
        "漳州农村商业银行股份有限公司",
    ][index]
    principal = 2_000_000 + 500_000 * index
    return {
        "applicant": _applicant("bank", bank, "芗城区", serial),
        "evidence": {
            "loan": {
                "contract_no": f"ZZ-ZYDK-2024-{serial:04d}",
                "borrower": {
                    "name": enterprise_name(rng, place),
                    "uscc": uscc_for("enterprise", place, 8000 + serial),
                    "jurisdiction": place,
                },
                "principal": principal,
                "pledged_patents": [patent_number(rng, year=2021)],
                "pledge_registration_no": f"Y2024350{serial:05d}",
                "defaulted_on": _day(rng, dt.date(2024, 6, 1), 200),
                "verified_principal_loss": principal // 3 + index,
            }
        },
    }


def _case(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    scope = "overseas" if index == 3 else "domestic"
    return {
        "applicant": _applicant(
            "enterprise",
            enterprise_name(rng, place),
            place,
            serial,
            industry=["食品加工", "石油化工", "电子信息", "医药健康"][index],
        ),
        "evidence": {
            "case": {
                "scope": scope,
                "role": "defendant" if scope == "overseas" else "right_holder",
                "patent_number": patent_number(rng, year=2019),
                "judgment_no": f"(2024)闽05民初{100 + serial}号",
                "won_on": _day(rng, dt.date(2024, 4, 1), 250),
                "cost": 80000 + 60000 * index,
            }
        },
    }


def _service_year(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    return {
        "year": 2024,
        "applicant": _applicant("service_body", f"{place}知识产权快维站", place, serial),
        "evidence": {
            "service_year": {
                "pledge_enterprises": 4 + index,
                "transfers_licences": 55 + index,
                "product_recordals": 50 + index,
                "fees_charged": False,
            }
        },
    }


def _operation(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    return {
        "year": 2024,
        "applicant": _applicant(
            "operation_body", f"漳州{place}知识产权运营中心有限公司", place, serial
        ),
        "evidence": {
            "operation": {
                "services": ["托管", "质押融资", "专利导航"][: 2 + index],
                "proposed_amount": 800_000 + 700_000 * index,
            }
        },
    }


def _standard(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    applicant = _applicant("organisation", f"{place}地理标志产业协会", place, serial)
    if index % 2 == 0:
        return {
            "applicant": applicant,
            "evidence": {
                "group_standard": {
                    "code": f"T/ZZGI {serial:03d}-2024",
                    "title": "地标文旅融合服务规范",
                    "entities_guided": 12 + 2 * index,
                    "published_on": _day(rng, dt.date(2024, 3, 1), 250),
                }
            },
        }
    return {
        "applicant": applicant,
        "evidence": {
            "local_standard": {
                "code": f"DB3506/T {serial:04d}-2024",
                "title": "地理标志文旅融合地方标准",
                "drafting_rank": index,
                "published_on": _day(rng, dt.date(2024, 3, 1), 250),
            }
        },
    }


def _centre(rng: random.Random, place: str, serial: int, index: int) -> dict[str, Any]:
    name = ["闽南师范大学", "漳州职业技术学院", "漳州卫生职业学院"][index]
    return {
        "year": 2024,
        "applicant": _applicant("university", name, place, serial),
        "evidence": {"centre": {"name": f"{name}知识产权研究中心", "established_on": "2023-09-01"}},
    }


BUILDERS: dict[str, Callable[[random.Random, str, int, int], dict[str, Any]]] = {
    "patent-intensive-introductions": _introduction,
    "patent-navigation": _navigation,
    "ip-management-certification": _certification,
    "innovation-management-grading": _grading,
    "patent-transfers": _transfers,
    "patent-intensive-products": _products,
    "pledge-loan-compensation": _loan_loss,
    "enforcement-cases": _case,
    "public-service-bodies": _service_year,
    "ip-operation-hosting": _operation,
    "gi-cultural-standards": _standard,
    "ip-research-centres": _centre,
}
