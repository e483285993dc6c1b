"""The cycle's budget check: the list's approved total against the measure's yearly budget.

The budget row (repository.budgets) follows config/budgets.toml, so the same conditional
UPDATE that guards M02 refuses a payment beyond it even if this check were skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ipaward.cycles.lines import included, summarise
from ipaward.cycles.list_budgets import budget_rule, pro_rated
from ipaward.cycles.list_route import cycle_measure
from ipaward.db.models import Budget, Cycle, CycleLine
from ipaward.repository.budgets import budget_remaining, set_budget
from ipaward.rules.funding import split
from ipaward.rules.result import LedgerLine
from ipaward.rules.yearly_caps import fit_lines
from ipaward.workflow.context import WorkflowContext


@dataclass(frozen=True, kw_only=True)
class BudgetVerdict:
    ok: bool
    message: str
    stop: dict[str, Any] = field(default_factory=dict)


def check_budget(session: Session, ctx: WorkflowContext, cycle: Cycle) -> BudgetVerdict:
    """OK, OK after pro-rating every line (when config asks for it), or a stop with figures."""
    measure = cycle_measure(ctx, cycle)
    identity = measure.identity
    rule = budget_rule(ctx.settings.config_dir, measure=identity, year=cycle.year)
    needed = summarise(session, cycle).total
    if rule is None:
        return BudgetVerdict(
            ok=True, message=f"{measure.title}未设{cycle.year}年度预算,不作预算核对"
        )
    current = session.scalar(
        select(Budget.amount).where(Budget.measure == identity, Budget.year == cycle.year)
    )
    if current != rule.amount:
        try:
            set_budget(
                session,
                measure=identity,
                year=cycle.year,
                amount=rule.amount,
                actor=ctx.procedure.system_actor,
            )
        except ValueError as error:
            return _stop(rule.amount, 0, needed, f"预算设置无效:{error}")
    remaining = budget_remaining(session, measure=identity, year=cycle.year) or 0
    used = rule.amount - remaining
    if needed <= remaining:
        return BudgetVerdict(
            ok=True,
            message=f"年度预算{rule.amount}元,已拨付{used}元,本名单合计{needed}元,未超出预算",
        )
    if not rule.pro_rate:
        return _stop(
            rule.amount,
            used,
            needed,
            f"本名单合计{needed}元超出{cycle.year}年度{measure.title}预算可用额{remaining}元"
            f"(预算{rule.amount}元,已拨付{used}元),超出{needed - remaining}元;"
            "未配置按比例核减,名单在拨付前停止。请调整预算(config/budgets.toml)或核减名单后重新运行年度结算。",
        )
    lines = included(session, cycle)
    _scale(session, ctx, lines, available=remaining, budget=rule.amount, needed=needed)
    return BudgetVerdict(
        ok=True,
        message=f"本名单合计{needed}元超出预算可用额{remaining}元,按配置按比例核减至{remaining}元",
    )


def _stop(budget: int, used: int, needed: int, message: str) -> BudgetVerdict:
    return BudgetVerdict(
        ok=False,
        message=message,
        stop={
            "budget": budget,
            "used": used,
            "available": budget - used,
            "needed": needed,
            "excess": needed - (budget - used),
            "message": message,
        },
    )


def _scale(
    session: Session,
    ctx: WorkflowContext,
    lines: Sequence[CycleLine],
    *,
    available: int,
    budget: int,
    needed: int,
) -> None:
    scaled = pro_rated([line.amount for line in lines], available=available)
    changes = []
    for line, amount in zip(lines, scaled, strict=True):
        details = dict(line.details)
        items = [LedgerLine(item_key=key, amount=value) for key, value in details["items"]]
        if sum(item.amount for item in items) == line.amount:
            details["items"] = [[i.item_key, i.amount] for i in fit_lines(items, amount)]
        edition = details.get("edition")
        share = ctx.policy.edition(str(edition)).funding.city_share_for(
            str(details["jurisdiction"])
        )
        funding = split(amount, share)
        details.update(
            city_amount=funding.city,
            jurisdiction_amount=funding.jurisdiction,
            pro_rated={"from": line.amount, "to": amount, "budget": budget, "needed": needed},
            explanation=[
                *details["explanation"],
                f"名单合计{needed}元超出年度预算可用额{available}元,按比例核减:"
                f"{line.amount}元×{available}/{needed}={amount}元。",
            ],
        )
        if amount == 0:
            details.update(eligible=False, reason="按年度预算比例核减后金额为0元")
        changes.append({"id": line.id, "amount": amount, "details": details})
    session.execute(update(CycleLine), changes)
    for line in lines:
        session.expire(line)  # the bulk UPDATE by primary key does not refresh loaded rows
