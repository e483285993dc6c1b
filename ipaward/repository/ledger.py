"""What the ledger already holds, and why it refuses a posting (`ipaward.repository.postings`
writes it).

The rules check once-only items and yearly caps against `load_prior_awards`, but only the
database holds under a race: the unique (measure, item_key) on ledger items and the
conditional UPDATE of the annual account decide which of two concurrent postings wins.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import LedgerEntry, LedgerItem
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
