"""What the ledger already paid, read once for a whole chunk of recipients.

`ipaward.services.priors` asks four queries per application; a chunk of hundreds asks the
same four questions grouped by recipient, which keeps the cycle's build O(chunks) in queries.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import LedgerEntry, LedgerItem
from ipaward.repository.budgets import budget_remaining
from ipaward.rules.facts import PriorAwards

IN_CHUNK = 500  # bound parameters per IN (...): well under SQLite's limit


def chunks(values: Collection[str], size: int = IN_CHUNK) -> list[list[str]]:
    ordered = sorted(set(values))
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def paid_items(session: Session, *, measure: str, keys: Collection[str]) -> dict[str, int]:
    """Item key → yuan paid, for the keys already in the ledger (paid to anyone)."""
    found: dict[str, int] = {}
    for part in chunks(keys):
        rows = session.execute(
            select(LedgerItem.item_key, LedgerItem.amount).where(
                LedgerItem.measure == measure, LedgerItem.item_key.in_(part)
            )
        )
        found.update((key, int(amount)) for key, amount in rows)
    return found


def year_paid(
    session: Session, *, measure: str, year: int, recipients: Collection[str]
) -> dict[str, int]:
    """Recipient → yuan already paid under the measure in the year."""
    totals: dict[str, int] = {}
    for part in chunks(recipients):
        rows = session.execute(
            select(LedgerEntry.recipient_uscc, func.sum(LedgerEntry.amount))
            .where(
                LedgerEntry.measure == measure,
                LedgerEntry.year == year,
                LedgerEntry.recipient_uscc.in_(part),
            )
            .group_by(LedgerEntry.recipient_uscc)
        )
        totals.update((uscc, int(total or 0)) for uscc, total in rows)
    return totals


def priors_for(
    session: Session,
    *,
    measure: str,
    year: int,
    keys_by_recipient: Mapping[str, Collection[str]],
) -> dict[str, PriorAwards]:
    """One PriorAwards per recipient, as `load_prior_awards` would give each of them."""
    recipients = list(keys_by_recipient)
    every_key = {key for keys in keys_by_recipient.values() for key in keys}
    paid = paid_items(session, measure=measure, keys=every_key)
    in_year = year_paid(session, measure=measure, year=year, recipients=recipients)
    items: dict[str, int] = {}
    overall: dict[str, int] = {}
    for part in chunks(recipients):
        counted = session.execute(
            select(LedgerItem.recipient_uscc, func.count(LedgerItem.id))
            .where(
                LedgerItem.measure == measure,
                LedgerItem.year == year,
                LedgerItem.recipient_uscc.in_(part),
            )
            .group_by(LedgerItem.recipient_uscc)
        )
        items.update((uscc, int(n)) for uscc, n in counted)
        totals = session.execute(
            select(LedgerEntry.recipient_uscc, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.measure == measure, LedgerEntry.recipient_uscc.in_(part))
            .group_by(LedgerEntry.recipient_uscc)
        )
        overall.update((uscc, int(total or 0)) for uscc, total in totals)
    remaining = budget_remaining(session, measure=measure, year=year)
    return {
        uscc: PriorAwards(
            paid_items={key: paid[key] for key in keys if key in paid},
            year_paid=in_year.get(uscc, 0),
            year_items=items.get(uscc, 0),
            measure_paid=overall.get(uscc, 0),
            budget_remaining=remaining,
        )
        for uscc, keys in keys_by_recipient.items()
    }
