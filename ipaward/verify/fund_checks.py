"""Yearly budgets and standing funds against their audit rows: a budget's amount is the last
`budget.set`, its committed total the sum of `budget.commit`; a fund's balance is its
capacity (`fund.create`) less every `fund.draw`, each draw one movement row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Budget, Fund, FundMovement
from ipaward.verify._audit import logged
from ipaward.verify.findings import Findings, Problem


def check_budgets(session: Session, findings: Findings) -> int:
    """Each budget's amount and committed total against its rows; the budget count."""
    rows = logged(session, entity="budget", actions=["budget.set", "budget.commit"])
    count = 0
    for budget in session.scalars(select(Budget).order_by(Budget.id)):
        count += 1
        found = rows.get(f"{budget.measure}:{budget.year}", [])
        sets = [int(r.details["amount"]) for r in found if r.action == "budget.set"]
        committed = sum(int(r.details["amount"]) for r in found if r.action == "budget.commit")
        last = found[-1].id if found else None
        expected = (sets[-1] if sets else budget.amount, committed)
        if (budget.amount, budget.committed) != expected or not sets:
            findings.add(
                Problem(
                    "budget_altered",
                    "budgets",
                    str(budget.id),
                    f"{budget.year}年度{budget.measure}预算第{budget.id}条为{budget.amount}元、"
                    f"已使用{budget.committed}元,审计记录为{expected[0]}元、已使用{expected[1]}元",
                    last,
                )
            )
    return count


def check_funds(session: Session, findings: Findings) -> int:
    """Each fund's capacity, balance and movements against its rows; the fund count."""
    rows = logged(session, entity="fund", actions=["fund.create", "fund.draw"])
    moved = {
        movement.id: movement
        for movement in session.scalars(select(FundMovement).order_by(FundMovement.id))
    }
    count = 0
    for fund in session.scalars(select(Fund).order_by(Fund.id)):
        count += 1
        found = rows.get(fund.code, [])
        created = [int(r.details["capacity"]) for r in found if r.action == "fund.create"]
        draws = [r for r in found if r.action == "fund.draw"]
        capacity = created[-1] if created else None
        balance = (
            None if capacity is None else capacity - sum(int(r.details["amount"]) for r in draws)
        )
        if (fund.capacity, fund.balance) != (capacity, balance):
            findings.add(
                Problem(
                    "fund_altered",
                    "funds",
                    str(fund.id),
                    f"资金{fund.code}(第{fund.id}条)总额{fund.capacity}元、余额{fund.balance}元,"
                    f"审计记录为{capacity}元、余额{balance}元",
                    found[-1].id if found else None,
                )
            )
        for row in draws:
            movement = moved.pop(int(row.details["movement_id"]), None)
            if movement is None or movement.amount != -int(row.details["amount"]):
                findings.add(
                    Problem(
                        "movement_altered",
                        "fund_movements",
                        str(row.details["movement_id"]),
                        f"资金变动第{row.details['movement_id']}条与第{row.id}条审计记录不符",
                        row.id,
                    )
                )
    for movement_id in moved:
        findings.add(
            Problem(
                "movement_unaudited",
                "fund_movements",
                str(movement_id),
                f"资金变动第{movement_id}条没有对应的审计记录",
            )
        )
    return count
