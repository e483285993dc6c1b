"""Posting a chunk of lines to the ledger.

Fast path: every line of the chunk with a handful of multi-row statements (`post_all`),
inside the caller's SAVEPOINT. The database still judges every row: the unique
(measure, item_key) of ledger items, CHECK (paid <= cap) of annual accounts and the
conditional budget UPDATE. If any of them refuses, the caller rolls the SAVEPOINT back and
posts recipient by recipient with `post_each` (the single path's `post_award`): a recipient
the ledger refuses is assessed again and paid what is still due, never refused whole for an
item someone else was paid meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ipaward.cycles.list_route import cycle_measure
from ipaward.db.base import Base
from ipaward.db.models import AnnualAccount, Cycle, CycleLine, LedgerEntry, LedgerItem
from ipaward.repository import audit
from ipaward.repository.budgets import BudgetExhausted, budget_remaining, commit_budget
from ipaward.repository.ledger import LedgerError, post_award, posting_details
from ipaward.repository.subjects import list_ref
from ipaward.workflow.context import WorkflowContext

_ACCOUNTS = Base.metadata.tables["annual_accounts"]


def _entry_row(cycle: Cycle, identity: str, line: CycleLine) -> dict[str, Any]:
    details = line.details
    return {
        "application_id": line.application_id,
        "measure": identity,
        "recipient_uscc": line.recipient_uscc,
        "year": cycle.year,
        "amount": line.amount,
        "city_amount": int(details["city_amount"]),
        "jurisdiction_amount": int(details["jurisdiction_amount"]),
        "jurisdiction": details.get("jurisdiction"),
        "edition": str(details.get("edition")),
    }


def post_all(
    session: Session, ctx: WorkflowContext, cycle: Cycle, lines: Sequence[CycleLine]
) -> dict[int, int]:
    """Line id → ledger entry id, for all lines in a few statements (raises if any is refused)."""
    if not lines:
        return {}
    identity = cycle_measure(ctx, cycle).identity  # the ledger keeps the measure's identity
    ids = session.scalars(
        insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True),
        [_entry_row(cycle, identity, line) for line in lines],
    ).all()
    entries = {line.id: entry_id for line, entry_id in zip(lines, ids, strict=True)}
    items = [
        {
            "entry_id": entries[line.id],
            "measure": identity,
            "recipient_uscc": line.recipient_uscc,
            "year": cycle.year,
            "item_key": key,
            "amount": amount,
        }
        for line in lines
        for key, amount in sorted(line.details["items"])
    ]
    if items:
        session.execute(insert(LedgerItem), items)
    _charge_accounts(session, cycle, identity, lines)
    total = sum(line.amount for line in lines)
    if budget_remaining(session, measure=identity, year=cycle.year) is not None:
        commit_budget(
            session,
            measure=identity,
            year=cycle.year,
            amount=total,
            actor=ctx.procedure.system_actor,
        )
    audit.record_many(
        session,
        [
            {
                "actor": ctx.procedure.system_actor,
                "action": "ledger.post",
                "entity": "ledger_entry",
                "entity_id": entries[line.id],
                "details": posting_details(
                    **_entry_row(cycle, identity, line),
                    items=[(key, amount) for key, amount in line.details["items"]],
                    yearly_cap=line.details.get("yearly_cap"),
                )
                | {"cycle": list_ref(cycle.measure, cycle.year)},
            }
            for line in lines
        ],
    )
    return entries


def _charge_accounts(
    session: Session, cycle: Cycle, identity: str, lines: Sequence[CycleLine]
) -> None:
    """Raise each recipient's yearly account; CHECK (paid <= cap) refuses an excess.

    Only `paid` moves (the app's role may not UPDATE `cap`): the cap stored with the
    account's first posting holds; the lines were already fitted to today's cap."""
    totals: dict[str, int] = defaultdict(int)
    caps: dict[str, int] = {}
    for line in lines:
        cap = line.details.get("yearly_cap")
        if cap is not None:
            totals[line.recipient_uscc] += line.amount
            caps[line.recipient_uscc] = int(cap)
    if not totals:
        return
    existing = set(
        session.scalars(
            select(AnnualAccount.recipient_uscc).where(
                AnnualAccount.measure == identity,
                AnnualAccount.year == cycle.year,
                AnnualAccount.recipient_uscc.in_(list(totals)),
            )
        )
    )
    missing = [u for u in totals if u not in existing]
    if missing:
        session.execute(
            insert(AnnualAccount),
            [
                {
                    "measure": identity,
                    "recipient_uscc": u,
                    "year": cycle.year,
                    "cap": caps[u],
                    "paid": 0,
                }
                for u in missing
            ],
        )
    session.execute(
        update(_ACCOUNTS)
        .where(
            _ACCOUNTS.c.measure == identity,
            _ACCOUNTS.c.year == cycle.year,
            _ACCOUNTS.c.recipient_uscc == bindparam("who"),
        )
        .values(paid=_ACCOUNTS.c.paid + bindparam("amount")),
        [{"who": u, "amount": totals[u]} for u in totals],
    )


def post_each(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    lines: Sequence[CycleLine],
    *,
    reassess: Callable[[str], list[CycleLine]],
) -> tuple[dict[int, int], dict[int, str]]:
    """The slow, precise path: each recipient's lines in a SAVEPOINT of their own. When the
    ledger refuses one (an item or the cap taken meanwhile), the recipient is assessed again
    against the ledger as it now stands (`reassess`) and posted once more; what is still
    refused says why, in the rule's words."""
    entries: dict[int, int] = {}
    refused: dict[int, str] = {}
    identity = cycle_measure(ctx, cycle).identity
    budgeted = budget_remaining(session, measure=identity, year=cycle.year) is not None
    by_recipient: dict[str, list[CycleLine]] = defaultdict(list)
    for line in lines:
        by_recipient[line.recipient_uscc].append(line)
    for uscc, group in by_recipient.items():
        try:
            entries |= _post_group(session, ctx, cycle, identity, group, budgeted=budgeted)
            continue
        except LedgerError:
            group = [line for line in reassess(uscc) if line.id in {g.id for g in group}]
        except BudgetExhausted as error:
            refused |= {line.id: f"拨付被拒绝:{error}" for line in group}
            continue
        payable = [line for line in group if line.amount > 0]
        refused |= {line.id: _reason(line) for line in group if line.amount <= 0}
        try:
            entries |= _post_group(session, ctx, cycle, identity, payable, budgeted=budgeted)
        except (LedgerError, BudgetExhausted) as error:
            refused |= {line.id: f"拨付被拒绝:{error}" for line in payable}
    return entries, refused


def _post_group(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    identity: str,
    lines: Sequence[CycleLine],
    *,
    budgeted: bool,
) -> dict[int, int]:
    """All of one recipient's lines, or none of them."""
    entries: dict[int, int] = {}
    with session.begin_nested():
        for line in lines:
            entry = post_award(
                session,
                items=[(key, amount) for key, amount in line.details["items"]],
                yearly_cap=line.details.get("yearly_cap"),
                actor=ctx.procedure.system_actor,
                **_entry_row(cycle, identity, line),
            )
            if budgeted:
                commit_budget(
                    session,
                    measure=identity,
                    year=cycle.year,
                    amount=line.amount,
                    application_id=line.application_id,
                    actor=ctx.procedure.system_actor,
                )
            entries[line.id] = entry.id
    return entries


def _reason(line: CycleLine) -> str:
    return f"拨付前复核:{line.details.get('reason') or '核定金额为0元'}"
