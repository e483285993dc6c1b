"""Money that runs out: yearly measure budgets (M02) and standing funds (the M10 fund)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime


class Budget(Base):
    """A measure's budget for a year; the database refuses to commit beyond it."""

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("measure", "year"),
        CheckConstraint("committed <= amount", name="committed_within_amount"),
        CheckConstraint("committed >= 0", name="committed_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String)
    year: Mapped[int]
    amount: Mapped[int] = mapped_column(BigInteger)
    committed: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Fund(Base):
    """A fund with a balance that can never go negative (the M10 risk compensation fund)."""

    __tablename__ = "funds"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String, unique=True)
    name: Mapped[str] = mapped_column(String)
    capacity: Mapped[int] = mapped_column(BigInteger)
    balance: Mapped[int] = mapped_column(BigInteger)


class FundMovement(Base):
    """Every change of a fund's balance: negative for a draw, positive for a top-up."""

    __tablename__ = "fund_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_code: Mapped[str] = mapped_column(ForeignKey("funds.code"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
