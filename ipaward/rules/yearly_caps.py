"""Shared steps of the annual measures: which dated items count for the reward year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipaward.rules.result import Explanation, LedgerLine, yuan
from ipaward.rules.rule_context import RuleInput


def counts_in_year(
    inp: RuleInput[Any],
    explain: Explanation,
    *,
    label: str,
    on: dt.date,
    key: str,
    path: str,
) -> bool:
    """An item counts when it falls in the reward year, inside the policy, and is not yet paid."""
    year = inp.application.year
    if on.year != year:
        explain.find("outside_year", path, f"{label}日期{on}不在奖励年度{year}年内,不计入")
        return False
    if not inp.in_force(on):
        explain.find(
            "outside_validity",
            path,
            f"{label}日期{on}不在政策有效期({inp.edition.valid_from}至{inp.edition.valid_until})内,不计入",
        )
        return False
    if key in inp.prior.paid_items:
        explain.find("already_rewarded", path, f"{label}已获本措施奖励,不重复计入")
        return False
    earlier = inp.prior.withheld.get(key)
    if earlier is not None:
        explain.find(
            "shared_item",
            path,
            f"{label}同时列于本年度名单中另一单位先申报的申请{earlier},按先申报者计入,本申请不计入",
        )
        return False
    return True


def within_yearly_cap(
    inp: RuleInput[Any], explain: Explanation, *, total: int, cap: int, cap_text: str
) -> int:
    """The year's total capped, less what this recipient was already paid this year."""
    capped = min(total, cap)
    if capped < total:
        explain.cite(inp.clause, f"{cap_text}:年度合计{yuan(total)}按上限{yuan(cap)}计。")
    already = inp.prior.year_paid
    if already:
        explain.note(
            f"该单位本年度已获本措施{yuan(already)},本次核定{yuan(max(0, capped - already))}。"
        )
    return max(0, capped - already)


def fit_lines(lines: list[LedgerLine], amount: int) -> tuple[LedgerLine, ...]:
    """Attribute a capped total to its items in order, so the items add up to the payment."""
    fitted, left = [], amount
    for line in lines:
        part = min(line.amount, left)
        fitted.append(LedgerLine(item_key=line.item_key, amount=part))
        left -= part
    return tuple(fitted)
