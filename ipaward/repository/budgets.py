"""Yearly measure budgets (M02): commitments never exceed the amount set."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ipaward.db.models import Budget
from ipaward.repository import audit
from ipaward.repository._savepoint import insert_unless_present


class NoBudget(LookupError):
    """No budget is set for this measure and year."""


class BudgetExhausted(Exception):
    """What is left of the budget is smaller than the commitment; nothing was committed."""

    def __init__(self, measure: str, year: int, amount: int, remaining: int) -> None:
        super().__init__(measure, year, amount, remaining)  # positional: picklable
        self.measure = measure
        self.year = year
        self.amount = amount
        self.remaining = remaining

    def __str__(self) -> str:
        return f"{self.year}年度预算余额{self.remaining}元,不足本次{self.amount}元"


def set_budget(
    session: Session, *, measure: str, year: int, amount: int, actor: str = "system"
) -> Budget:
    """Create or change the year's budget; never below what is already committed."""
    if amount < 0:
        raise ValueError("a budget must not be negative")
    query = select(Budget).where(Budget.measure == measure, Budget.year == year)
    change = (
        update(Budget)
        .where(Budget.measure == measure, Budget.year == year, Budget.committed <= amount)
        .values(amount=amount)
        .returning(Budget.id)
        .execution_options(synchronize_session="fetch")
    )
    with session.begin_nested():
        if session.execute(change).scalar_one_or_none() is None:
            existing = session.execute(query).scalar_one_or_none()
            if existing is not None:
                raise ValueError(
                    f"{measure} budget {year}: {amount} is below the {existing.committed} "
                    "already committed"
                )
            new = insert(Budget).values(measure=measure, year=year, amount=amount, committed=0)
            if not insert_unless_present(session, new):
                # Another transaction created it meanwhile: apply the change to that row.
                session.execute(change).scalar_one()
        audit.record(
            session,
            actor=actor,
            action="budget.set",
            entity="budget",
            entity_id=f"{measure}:{year}",
            details={"amount": amount},
        )
    return session.execute(query).scalar_one()


def budget_remaining(session: Session, *, measure: str, year: int) -> int | None:
    """Amount minus committed, None if no budget is set for this measure and year."""
    row = session.execute(
        select(Budget.amount, Budget.committed).where(
            Budget.measure == measure, Budget.year == year
        )
    ).first()
    return None if row is None else int(row.amount - row.committed)


def commit_budget(
    session: Session,
    *,
    measure: str,
    year: int,
    amount: int,
    application_id: int | None = None,
    actor: str = "system",
) -> int:
    """Commit `amount` in one conditional UPDATE and return what remains afterwards."""
    if amount <= 0:
        raise ValueError("a commitment must be a positive amount")
    with session.begin_nested():
        remaining = session.execute(
            update(Budget)
            .where(
                Budget.measure == measure,
                Budget.year == year,
                Budget.committed + amount <= Budget.amount,
            )
            .values(committed=Budget.committed + amount)
            .returning(Budget.amount - Budget.committed)
            .execution_options(synchronize_session="fetch")
        ).scalar_one_or_none()
        if remaining is None:
            left = budget_remaining(session, measure=measure, year=year)
            if left is None:
                raise NoBudget(f"no {measure} budget for {year}")
            raise BudgetExhausted(measure, year, amount, left)
        audit.record(
            session,
            actor=actor,
            action="budget.commit",
            entity="budget",
            entity_id=f"{measure}:{year}",
            details={"amount": amount, "application_id": application_id, "remaining": remaining},
        )
    return int(remaining)
