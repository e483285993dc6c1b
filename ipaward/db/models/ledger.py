"""The award ledger: what was paid, for which once-only items, within which yearly caps.

The constraints here are the last line of defence against double payment: the rules read
the ledger first, but only a unique key or a check constraint holds under a race.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime


class LedgerEntry(Base):
    """One payment to one recipient, split into what the city and the jurisdiction bear."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_measure_recipient_year", "measure", "recipient_uscc", "year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("city_amount >= 0", name="city_amount_not_negative"),
        CheckConstraint("jurisdiction_amount >= 0", name="jurisdiction_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    measure: Mapped[str] = mapped_column(String)
    recipient_uscc: Mapped[str] = mapped_column(String(18))
    year: Mapped[int | None]
    amount: Mapped[int] = mapped_column(BigInteger)
    city_amount: Mapped[int] = mapped_column(BigInteger)
    jurisdiction_amount: Mapped[int] = mapped_column(BigInteger)
    jurisdiction: Mapped[str | None] = mapped_column(String)
    edition: Mapped[str] = mapped_column(String)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)

    items: Mapped[list[LedgerItem]] = relationship(back_populates="entry")


class LedgerItem(Base):
    """A once-only item paid by an entry; (measure, item_key) is unique across all time."""

    __tablename__ = "ledger_items"
    __table_args__ = (
        UniqueConstraint("measure", "item_key"),
        Index("ix_ledger_items_measure_recipient_year", "measure", "recipient_uscc", "year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    measure: Mapped[str] = mapped_column(String)
    recipient_uscc: Mapped[str] = mapped_column(String(18))
    year: Mapped[int | None]
    item_key: Mapped[str] = mapped_column(String)
    amount: Mapped[int] = mapped_column(BigInteger)

    entry: Mapped[LedgerEntry] = relationship(back_populates="items")


class AnnualAccount(Base):
    """Running total paid to a recipient under a measure in a year, never above its cap."""

    __tablename__ = "annual_accounts"
    __table_args__ = (
        UniqueConstraint("measure", "recipient_uscc", "year"),
        CheckConstraint("paid <= cap", name="paid_within_cap"),
        CheckConstraint("paid >= 0", name="paid_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String)
    recipient_uscc: Mapped[str] = mapped_column(String(18))
    year: Mapped[int]
    cap: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
