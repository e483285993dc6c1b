"""Posting awards to the ledger and reading what was already paid.

The rules check once-only items and yearly caps against `load_prior_awards`, but only the
database holds under a race: the unique (measure, item_key) on ledger items and the
conditional UPDATE of the annual account decide which of two concurrent postings wins.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipaward.db.models import AnnualAccount, LedgerEntry, LedgerItem
from ipaward.repository import audit
from ipaward.repository._savepoint import insert_unless_present
from ipaward.repository.budgets import budget_remaining
from ipaward.repository.funds import fund_balance
from ipaward.rules.facts import PriorAwards

_IN_CHUNK = 500  # keeps IN (...) lists well under SQLite's bound-parameter limit


def describe_item(item_key: str) -> str:
    """What a once-only item key names, as a person reads it: `patent-transfers:transfer:201710601862.3`
    → `专利201710601862.3的转让`; keys that carry the recipient's code leave the code out."""
    _measure, kind, rest = [*item_key.split(":", 2), "", ""][:3]
    parts = rest.split(":")
    match kind:
        case "transfer":
            return f"专利{rest}的转让"
        case "product":
            return f"认定产品{rest}"
        case "case":
            return f"案件{rest}"
        case "loan":
            return f"贷款合同{rest}"
        case "project":
            return f"项目“{parts[-1]}”"
        case "level":
            return f"评级第{parts[-1]}级"
        case "year":
            return f"{parts[-1]}年度"
        case "local":
            return f"地方标准{parts[0]}"
        case "enterprise" | "institution" | "group":
            return "该单位"
    return item_key


class LedgerError(Exception):
    """A posting the ledger refused; nothing of it was stored."""


class AlreadyPaid(LedgerError):
    """A once-only item of the posting was already paid (to anyone, under this measure)."""

    def __init__(self, item_key: str) -> None:
        super().__init__(item_key)  # positional args keep the exception picklable
        self.item_key = item_key

    def __str__(self) -> str:
        return f"{describe_item(self.item_key)}已获本措施奖励,不重复奖励"


class YearlyCapExceeded(LedgerError):
    """The posting would take the recipient's yearly total under the measure above its cap."""

    def __init__(
        self, measure: str, recipient_uscc: str, year: int, cap: int, paid: int, amount: int
    ) -> None:
        super().__init__(measure, recipient_uscc, year, cap, paid, amount)
        self.measure = measure
        self.recipient_uscc = recipient_uscc
        self.year = year
        self.cap = cap
        self.paid = paid
        self.amount = amount

    def __str__(self) -> str:
        return (
            f"{self.year}年度本措施每单位最高{self.cap}元,已拨付{self.paid}元,"
            f"本次{self.amount}元将超过上限"
        )


def post_award(
    session: Session,
    *,
    application_id: int,
    measure: str,
    recipient_uscc: str,
    year: int | None,
    amount: int,
    items: Sequence[tuple[str, int]],
    city_amount: int,
    jurisdiction_amount: int,
    jurisdiction: str | None,
    edition: str,
    yearly_cap: int | None,
    actor: str = "system",
) -> LedgerEntry:
    """Record one payment with its once-only items, all or nothing, inside a SAVEPOINT.

    Raises AlreadyPaid or YearlyCapExceeded; the caller's transaction stays usable.
    """
    _check_posting(amount, city_amount, jurisdiction_amount, items, year, yearly_cap)
    with session.begin_nested():
        entry = LedgerEntry(
            application_id=application_id,
            measure=measure,
            recipient_uscc=recipient_uscc,
            year=year,
            amount=amount,
            city_amount=city_amount,
            jurisdiction_amount=jurisdiction_amount,
            jurisdiction=jurisdiction,
            edition=edition,
        )
        session.add(entry)
        session.flush()
        # A fixed order means two postings sharing several keys cannot deadlock on PostgreSQL.
        for item_key, item_amount in sorted(items):
            session.add(
                LedgerItem(
                    entry_id=entry.id,
                    measure=measure,
                    recipient_uscc=recipient_uscc,
                    year=year,
                    item_key=item_key,
                    amount=item_amount,
                )
            )
            try:
                session.flush()
            except IntegrityError as exc:
                raise AlreadyPaid(item_key) from exc
        if yearly_cap is not None and year is not None:
            _charge_year(
                session,
                measure=measure,
                recipient_uscc=recipient_uscc,
                year=year,
                cap=yearly_cap,
                amount=amount,
            )
        audit.record(
            session,
            actor=actor,
            action="ledger.post",
            entity="ledger_entry",
            entity_id=entry.id,
            details=posting_details(
                application_id=application_id,
                measure=measure,
                recipient_uscc=recipient_uscc,
                year=year,
                amount=amount,
                city_amount=city_amount,
                jurisdiction_amount=jurisdiction_amount,
                jurisdiction=jurisdiction,
                edition=edition,
                items=items,
                yearly_cap=yearly_cap,
            ),
        )
    return entry


def posting_details(
    *, items: Sequence[tuple[str, int]], yearly_cap: int | None, **entry: object
) -> dict[str, object]:
    """The money facts of a posting (the ledger entry's columns, its items, the cap it
    charged) as its `ledger.post` audit row keeps them, for `ipaward verify` to reconcile."""
    return {
        **entry,
        "items": [key for key, _ in sorted(items)],
        "item_amounts": dict(sorted(items)),
        "yearly_cap": yearly_cap,
    }


def _check_posting(
    amount: int,
    city_amount: int,
    jurisdiction_amount: int,
    items: Sequence[tuple[str, int]],
    year: int | None,
    yearly_cap: int | None,
) -> None:
    """Refuse malformed postings up front, so an IntegrityError can only mean a duplicate."""
    if min(amount, city_amount, jurisdiction_amount) < 0:
        raise ValueError("ledger amounts must not be negative")
    if any(item_amount < 0 for _, item_amount in items):
        raise ValueError("ledger item amounts must not be negative")
    keys = [key for key, _ in items]
    if len(set(keys)) != len(keys):
        raise ValueError(f"the same item key appears twice in one posting: {sorted(keys)}")
    if yearly_cap is not None and (year is None or yearly_cap < 0):
        raise ValueError("a yearly cap needs a year and must not be negative")


def _charge_year(
    session: Session, *, measure: str, recipient_uscc: str, year: int, cap: int, amount: int
) -> None:
    """Raise the year's paid total only if it stays within the cap, in one UPDATE.

    Only `paid` moves: the application's database role may not UPDATE `cap`
    (ipaward.db.privileges), so the cap stored with the account's first posting holds too,
    and the lower of the two wins."""
    where = (
        AnnualAccount.measure == measure,
        AnnualAccount.recipient_uscc == recipient_uscc,
        AnnualAccount.year == year,
    )
    charge = (
        update(AnnualAccount)
        .where(
            *where,
            AnnualAccount.paid + amount <= cap,
            AnnualAccount.paid + amount <= AnnualAccount.cap,
        )
        .values(paid=AnnualAccount.paid + amount)
        .returning(AnnualAccount.paid)
        .execution_options(synchronize_session=False)
    )
    exists = select(AnnualAccount.paid).where(*where)
    if session.execute(exists).first() is None:
        insert_unless_present(
            session,
            insert(AnnualAccount).values(
                measure=measure, recipient_uscc=recipient_uscc, year=year, cap=cap, paid=0
            ),
        )
    if session.execute(charge).scalar_one_or_none() is None:
        paid, stored_cap = session.execute(
            select(AnnualAccount.paid, AnnualAccount.cap).where(*where)
        ).one()
        limit = min(cap, int(stored_cap))
        raise YearlyCapExceeded(measure, recipient_uscc, year, limit, int(paid), amount)


def load_prior_awards(
    session: Session,
    *,
    measure: str,
    recipient_uscc: str,
    year: int | None,
    item_keys: Collection[str],
    fund_code: str | None = None,
    budget_year: int | None = None,
) -> PriorAwards:
    """What the ledger knows before a rule runs for this recipient, measure and year.

    paid_items covers the given keys paid to anyone (item keys are global per measure);
    budget_remaining is filled when a budget exists for (measure, year), fund_balance when
    `fund_code` names a fund.
    """
    paid_items: dict[str, int] = {}
    keys = sorted(set(item_keys))
    for start in range(0, len(keys), _IN_CHUNK):
        rows = session.execute(
            select(LedgerItem.item_key, LedgerItem.amount).where(
                LedgerItem.measure == measure,
                LedgerItem.item_key.in_(keys[start : start + _IN_CHUNK]),
            )
        )
        paid_items.update((key, int(paid)) for key, paid in rows)
    mine = (LedgerEntry.measure == measure, LedgerEntry.recipient_uscc == recipient_uscc)
    total = select(func.coalesce(func.sum(LedgerEntry.amount), 0))
    year_paid = year_items = 0
    if year is not None:
        year_paid = int(session.execute(total.where(*mine, LedgerEntry.year == year)).scalar_one())
        year_items = session.execute(
            select(func.count(LedgerItem.id)).where(
                LedgerItem.measure == measure,
                LedgerItem.recipient_uscc == recipient_uscc,
                LedgerItem.year == year,
            )
        ).scalar_one()
    budget = budget_year if budget_year is not None else year
    return PriorAwards(
        paid_items=paid_items,
        year_paid=year_paid,
        year_items=year_items,
        measure_paid=int(session.execute(total.where(*mine)).scalar_one()),
        fund_balance=None if fund_code is None else fund_balance(session, code=fund_code),
        budget_remaining=(
            None if budget is None else budget_remaining(session, measure=measure, year=budget)
        ),
    )
