"""Posting awards to the ledger: one path for a chunk of postings and for a single one.

`post_many` writes a chunk with a few multi-row statements (the entries, their once-only
items, the yearly accounts, one audit row each); `post_award` is a chunk of one in a
SAVEPOINT that says in Chinese why the ledger refused it. Only the database holds under a
race: the unique (measure, item_key) of ledger items and the conditional UPDATE of each
yearly account decide which of two concurrent postings wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CursorResult, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipaward.db.base import Base
from ipaward.db.models import AnnualAccount, LedgerEntry, LedgerItem
from ipaward.repository import audit
from ipaward.repository._savepoint import insert_unless_present
from ipaward.repository.ledger import (
    AlreadyPaid,
    LedgerError,
    YearlyCapExceeded,
    posting_details,
)

Account = tuple[str, str, int]  # (measure, recipient_uscc, year)
_ACCOUNTS = Base.metadata.tables["annual_accounts"]


@dataclass(frozen=True, kw_only=True)
class Posting:
    """One payment: the ledger entry's columns, its once-only items and the cap it charges."""

    application_id: int
    measure: str
    recipient_uscc: str
    year: int | None
    amount: int
    items: Sequence[tuple[str, int]]
    city_amount: int
    jurisdiction_amount: int
    jurisdiction: str | None
    edition: str
    yearly_cap: int | None
    note: Mapping[str, Any] = field(default_factory=dict)  # more for its audit row

    def entry(self) -> dict[str, Any]:
        return {
            "application_id": self.application_id,
            "measure": self.measure,
            "recipient_uscc": self.recipient_uscc,
            "year": self.year,
            "amount": self.amount,
            "city_amount": self.city_amount,
            "jurisdiction_amount": self.jurisdiction_amount,
            "jurisdiction": self.jurisdiction,
            "edition": self.edition,
        }

    def check(self) -> None:
        """Refuse a malformed posting up front, so an IntegrityError can only mean a race."""
        if min(self.amount, self.city_amount, self.jurisdiction_amount) < 0:
            raise ValueError("ledger amounts must not be negative")
        if any(item_amount < 0 for _, item_amount in self.items):
            raise ValueError("ledger item amounts must not be negative")
        keys = [key for key, _ in self.items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"the same item key appears twice in one posting: {sorted(keys)}")
        if self.yearly_cap is not None and (self.year is None or self.yearly_cap < 0):
            raise ValueError("a yearly cap needs a year and must not be negative")


def post_many(session: Session, postings: Sequence[Posting], *, actor: str) -> list[int]:
    """The entry ids, in order. Raises IntegrityError (an item someone was paid meanwhile) or
    YearlyCapExceeded; the caller's SAVEPOINT then takes back everything of the chunk."""
    if not postings:
        return []
    for posting in postings:
        posting.check()
    ids = list(
        session.scalars(
            insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True),
            [posting.entry() for posting in postings],
        ).all()
    )
    # One order for every chunk: two postings sharing several keys cannot deadlock (PostgreSQL).
    items = sorted(
        (
            {
                "entry_id": entry_id,
                "measure": posting.measure,
                "recipient_uscc": posting.recipient_uscc,
                "year": posting.year,
                "item_key": key,
                "amount": amount,
            }
            for posting, entry_id in zip(postings, ids, strict=True)
            for key, amount in posting.items
        ),
        key=lambda row: (str(row["measure"]), str(row["item_key"])),
    )
    if items:
        session.execute(insert(LedgerItem), items)
    _charge_accounts(session, postings)
    audit.record_many(
        session,
        [
            {
                "actor": actor,
                "action": "ledger.post",
                "entity": "ledger_entry",
                "entity_id": entry_id,
                "details": posting_details(
                    **posting.entry(), items=posting.items, yearly_cap=posting.yearly_cap
                )
                | dict(posting.note),
            }
            for posting, entry_id in zip(postings, ids, strict=True)
        ],
    )
    return ids


def post_award(session: Session, posting: Posting, *, actor: str = "system") -> int:
    """Record one payment with its once-only items, all or nothing, inside a SAVEPOINT; its
    entry id. Raises AlreadyPaid or YearlyCapExceeded; the caller's transaction stays usable."""
    posting.check()
    try:
        with session.begin_nested():
            [entry_id] = post_many(session, [posting], actor=actor)
    except IntegrityError:
        keys = [key for key, _ in sorted(posting.items)]
        taken = session.scalars(
            select(LedgerItem.item_key)
            .where(LedgerItem.measure == posting.measure, LedgerItem.item_key.in_(keys))
            .order_by(LedgerItem.item_key)
        ).first()
        if taken is None:
            raise
        raise AlreadyPaid(taken) from None
    return entry_id


def _charge_accounts(session: Session, postings: Sequence[Posting]) -> None:
    """Raise each recipient's yearly total only while it stays within the cap: today's, and
    the one stored with the account's first posting (the app's database role may not UPDATE
    `cap`, ipaward.db.privileges). One account (a single payment): one conditional UPDATE that
    says which cap refused it. A chunk's accounts: one conditional UPDATE for all of them; if
    any refuses, a LedgerError, and the caller posts recipient by recipient."""
    totals: dict[Account, int] = defaultdict(int)
    caps: dict[Account, int] = {}
    for posting in postings:
        if posting.yearly_cap is not None and posting.year is not None:
            account = (posting.measure, posting.recipient_uscc, posting.year)
            totals[account] += posting.amount
            caps[account] = min(caps.get(account, posting.yearly_cap), posting.yearly_cap)
    if not totals:
        return
    _open_accounts(session, caps)
    if len(totals) > 1:
        charged = session.execute(
            update(_ACCOUNTS)
            .where(
                _ACCOUNTS.c.measure == bindparam("m"),
                _ACCOUNTS.c.recipient_uscc == bindparam("u"),
                _ACCOUNTS.c.year == bindparam("y"),
                _ACCOUNTS.c.paid + bindparam("amount") <= bindparam("today_cap"),
                _ACCOUNTS.c.paid + bindparam("amount") <= _ACCOUNTS.c.cap,
            )
            .values(paid=_ACCOUNTS.c.paid + bindparam("amount")),
            [
                {"m": m, "u": u, "y": y, "amount": amount, "today_cap": caps[m, u, y]}
                for (m, u, y), amount in totals.items()
            ],
        )
        assert isinstance(charged, CursorResult)  # an UPDATE: its rowcount is the accounts charged
        if charged.rowcount != len(totals):
            raise LedgerError("a yearly account of the chunk would pass its cap")
        return
    [((measure, uscc, year), amount)] = totals.items()
    where = (
        AnnualAccount.measure == measure,
        AnnualAccount.recipient_uscc == uscc,
        AnnualAccount.year == year,
    )
    charged_paid = session.execute(
        update(AnnualAccount)
        .where(
            *where,
            AnnualAccount.paid + amount <= caps[measure, uscc, year],
            AnnualAccount.paid + amount <= AnnualAccount.cap,
        )
        .values(paid=AnnualAccount.paid + amount)
        .returning(AnnualAccount.paid)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if charged_paid is None:
        paid, stored = session.execute(
            select(AnnualAccount.paid, AnnualAccount.cap).where(*where)
        ).one()
        limit = min(caps[measure, uscc, year], int(stored))
        raise YearlyCapExceeded(measure, uscc, year, limit, int(paid), amount)


def _open_accounts(session: Session, caps: Mapping[Account, int]) -> None:
    """The yearly accounts not there yet, at paid 0 and today's cap (one INSERT; a single
    account in a SAVEPOINT, so a racing first posting of the same recipient is no error)."""
    measures = {measure for measure, _, _ in caps}
    found = {
        (row.measure, row.recipient_uscc, row.year)
        for row in session.execute(
            select(AnnualAccount.measure, AnnualAccount.recipient_uscc, AnnualAccount.year).where(
                AnnualAccount.measure.in_(measures),
                AnnualAccount.recipient_uscc.in_({uscc for _, uscc, _ in caps}),
            )
        )
    }
    rows = [
        {"measure": m, "recipient_uscc": u, "year": y, "cap": cap, "paid": 0}
        for (m, u, y), cap in caps.items()
        if (m, u, y) not in found
    ]
    if len(rows) == 1:
        insert_unless_present(session, insert(AnnualAccount).values(**rows[0]))
    elif rows:
        session.execute(insert(AnnualAccount), rows)
