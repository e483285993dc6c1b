"""Posting a list's chunk of lines to the ledger, through the one posting path
(`ipaward.repository.postings`).

Fast path: the whole chunk as one `post_many` (a handful of multi-row statements) and one
budget commitment, inside the caller's SAVEPOINT. The database still judges every row: the
unique (measure, item_key) of ledger items, each yearly account's conditional UPDATE and
the conditional budget UPDATE. If any of them refuses, the caller rolls the SAVEPOINT back
and posts recipient by recipient with `post_each` (`post_award`, a chunk of one): a
recipient the ledger refuses is assessed again and paid what is still due, never refused
whole for an item someone else was paid meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from ipaward.cycles.list_route import cycle_measure
from ipaward.db.base import Base
from ipaward.db.models import Cycle, CycleLine
from ipaward.repository.budgets import BudgetExhausted, budget_remaining, commit_budget
from ipaward.repository.ledger import LedgerError
from ipaward.repository.postings import Posting, post_award, post_many
from ipaward.repository.subjects import list_ref
from ipaward.workflow.context import WorkflowContext

_ACCOUNTS = Base.metadata.tables["annual_accounts"]


def _posting(cycle: Cycle, identity: str, line: CycleLine) -> Posting:
    """A line as the ledger takes it, its audit row naming the list."""
    details = line.details
    return Posting(
        application_id=line.application_id,
        measure=identity,
        recipient_uscc=line.recipient_uscc,
        year=cycle.year,
        amount=line.amount,
        items=[(key, amount) for key, amount in details["items"]],
        city_amount=int(details["city_amount"]),
        jurisdiction_amount=int(details["jurisdiction_amount"]),
        jurisdiction=details.get("jurisdiction"),
        edition=str(details.get("edition")),
        yearly_cap=details.get("yearly_cap"),
        note={"cycle": list_ref(cycle.measure, cycle.year)},
    )


def post_all(
    session: Session, ctx: WorkflowContext, cycle: Cycle, lines: Sequence[CycleLine]
) -> dict[int, int]:
    """Line id → ledger entry id, for all lines in a few statements (raises if any is refused)."""
    if not lines:
        return {}
    identity = cycle_measure(ctx, cycle).identity  # the ledger keeps the measure's identity
    ids = post_many(
        session,
        [_posting(cycle, identity, line) for line in lines],
        actor=ctx.procedure.system_actor,
    )
    entries = {line.id: entry_id for line, entry_id in zip(lines, ids, strict=True)}
    total = sum(line.amount for line in lines)
    if budget_remaining(session, measure=identity, year=cycle.year) is not None:
        commit_budget(
            session,
            measure=identity,
            year=cycle.year,
            amount=total,
            actor=ctx.procedure.system_actor,
        )
    return entries


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
            entry_id = post_award(
                session, _posting(cycle, identity, line), actor=ctx.procedure.system_actor
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
            entries[line.id] = entry_id
    return entries


def _reason(line: CycleLine) -> str:
    return f"拨付前复核:{line.details.get('reason') or '核定金额为0元'}"
