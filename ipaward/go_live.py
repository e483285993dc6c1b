"""What must still be set before go-live: the placeholders the config ships with.

The shipped config runs the demo, but some of its values are stand-ins no official document
may carry: 机关代字 not confirmed with each office, the 公示 objection address and phone,
yearly budgets sized for the demo, and the city/county fiscal split. Each is marked where it
lives (`to_be_confirmed`, or a value still saying 请在上线前); this one function finds them
all, so `ipaward check` and the web dashboard show the same list, in Chinese, until it is empty.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ipaward.config.policy import Policy
from ipaward.cycles.list_budgets import BUDGETS_FILE, load_budgets
from ipaward.notices.config import NOTICES_TOML, read_notices_toml
from ipaward.notices.money import amount_in_figures
from ipaward.notices.numbering import load_prefixes
from ipaward.workflow.context import Procedure

PLACEHOLDER_MARK = "请在上线前"  # a text value still holding this is a stand-in


@dataclass(frozen=True, kw_only=True)
class Placeholder:
    """One value still to be set: what it is (topic), where to set it, and what it says now."""

    topic: str  # 机关代字 | 异议受理地址 | 异议受理电话 | 年度预算 | 财政分担比例
    where: str  # the file and key an operator edits
    detail: str  # in Chinese, naming units and measures, never internal codes

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def go_live_placeholders(
    policy: Policy, procedure: Procedure, *, config_dir: Path
) -> list[Placeholder]:
    """Every placeholder still set, in a stable order; empty means ready to go live."""
    return [
        *_prefixes(policy, config_dir),
        *_objections(procedure),
        *_budgets(policy, config_dir),
        *_fiscal_split(policy),
    ]


def _prefixes(policy: Policy, config_dir: Path) -> list[Placeholder]:
    _, raw = read_notices_toml(config_dir)
    if raw.get("to_be_confirmed") is not True:
        return []
    prefixes = load_prefixes(config_dir)
    where = f"config/{NOTICES_TOML} [prefixes]"
    found = [
        Placeholder(
            topic="机关代字",
            where=where,
            detail=f"{_name(policy, code)}的机关代字“{prefix}”尚待与该单位核实",
        )
        for code, prefix in prefixes.exact.items()
    ]
    found += [
        Placeholder(
            topic="机关代字",
            where=f"config/{NOTICES_TOML} [prefix_patterns] [abbreviations]",
            detail=f"县（区）、开发区单位的机关代字格式“{template.format(abbrev='〇')}”"
            "及各地简称尚待核实",
        )
        for _, template in prefixes.patterns
    ]
    return found


def _objections(procedure: Procedure) -> list[Placeholder]:
    found = []
    for topic, key, value in (
        ("异议受理地址", "objection_address", procedure.objection_address),
        ("异议受理电话", "objection_phone", procedure.objection_phone),
    ):
        if PLACEHOLDER_MARK in value:
            found.append(
                Placeholder(
                    topic=topic,
                    where=f"config/workflow.toml {key}",
                    detail=f"公示通知印发的{topic}仍为占位文字“{value}”",
                )
            )
    return found


def _budgets(policy: Policy, config_dir: Path) -> list[Placeholder]:
    found = []
    for (identity, year), rule in sorted(load_budgets(config_dir).items()):
        if rule.to_be_confirmed:
            clause, title = policy.measure_named(identity, year)
            measure = f"{_cites(policy, identity)} {title}" if clause else title
            found.append(
                Placeholder(
                    topic="年度预算",
                    where=f"config/{BUDGETS_FILE} [{identity}]",
                    detail=f"{measure}{year}年度预算{amount_in_figures(rule.amount)}"
                    "为演示用占位数，尚待与市财政局核定",
                )
            )
    return found


def _fiscal_split(policy: Policy) -> list[Placeholder]:
    found = []
    for edition in policy.editions:
        if edition.funding.to_be_confirmed:
            share = edition.funding.default_city_share
            found.append(
                Placeholder(
                    topic="财政分担比例",
                    where=f"config/editions/{edition.code}.toml [funding]",
                    detail=f"《{edition.title}》市级与县（区）财政分担比例尚待市财政局确认"
                    f"（现按市级承担{share * 100:.0f}%执行）",
                )
            )
    return found


def _name(policy: Policy, code: str) -> str:
    departments = policy.directory.departments
    return departments[code].name if code in departments else "未列入单位名录的单位"


def _cites(policy: Policy, identity: str) -> str:
    for edition in policy.editions:
        measure = edition.by_identity(identity)
        if measure is not None:
            return measure.cites
    return ""
