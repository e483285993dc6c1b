"""Standing funds (the M10 risk compensation fund): draws never take a balance below 0."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ipaward.db.models import Fund, FundMovement
from ipaward.repository import audit
from ipaward.repository._savepoint import insert_unless_present


class UnknownFund(LookupError):
    """No fund with this code exists."""


class FundExhausted(Exception):
    """The fund's balance is smaller than the draw; nothing was drawn."""

    def __init__(self, code: str, amount: int, balance: int) -> None:
        super().__init__(code, amount, balance)  # positional args keep it picklable
        self.code = code
        self.amount = amount
        self.balance = balance

    def __str__(self) -> str:
        return f"风险补偿资金余额{self.balance}元,不足本次{self.amount}元"


def ensure_fund(session: Session, *, code: str, name: str, capacity: int) -> Fund:
    """Create the fund with a full balance if missing; an existing fund is left as it is."""
    if capacity < 0:
        raise ValueError("a fund's capacity must not be negative")
    query = select(Fund).where(Fund.code == code)
    fund = session.execute(query).scalar_one_or_none()
    if fund is None:
        created = insert_unless_present(
            session, insert(Fund).values(code=code, name=name, capacity=capacity, balance=capacity)
        )
        fund = session.execute(query).scalar_one()
        if created:
            audit.record(
                session,
                actor="system",
                action="fund.create",
                entity="fund",
                entity_id=code,
                details={"name": name, "capacity": capacity},
            )
    return fund


def fund_balance(session: Session, *, code: str) -> int | None:
    """The fund's balance in yuan, None if there is no such fund."""
    balance = session.execute(select(Fund.balance).where(Fund.code == code)).scalar_one_or_none()
    return None if balance is None else int(balance)


def draw(
    session: Session,
    *,
    code: str,
    amount: int,
    application_id: int | None,
    reason: str,
    actor: str = "system",
) -> FundMovement:
    """Take `amount` from the fund in one conditional UPDATE; FundExhausted if it is short."""
    if amount <= 0:
        raise ValueError("a draw must be a positive amount")
    with session.begin_nested():
        balance = session.execute(
            update(Fund)
            .where(Fund.code == code, Fund.balance >= amount)
            .values(balance=Fund.balance - amount)
            .returning(Fund.balance)
            .execution_options(synchronize_session="fetch")
        ).scalar_one_or_none()
        if balance is None:
            current = fund_balance(session, code=code)
            if current is None:
                raise UnknownFund(code)
            raise FundExhausted(code, amount, current)
        movement = FundMovement(
            fund_code=code, application_id=application_id, amount=-amount, reason=reason
        )
        session.add(movement)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="fund.draw",
            entity="fund",
            entity_id=code,
            details={
                "movement_id": movement.id,
                "application_id": application_id,
                "amount": amount,
                "balance": int(balance),
                "reason": reason,
            },
        )
    return movement
