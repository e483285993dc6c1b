"""Paying a chunk of the list: ledger, applications, notices, in the caller's transaction.

Before posting, recipients whose ledger facts moved since the list was assessed (a payment
this year, an item of theirs paid to someone else) are assessed again: they are paid what is
still due and their explanation says why the figure differs from the one published. The
ledger is posted for the whole chunk at once (`ipaward.cycles.chunk_ledger.post_all`); when the
database refuses any row, recipient by recipient (`post_each`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ipaward.cycles.chunk_ledger import post_all, post_each
from ipaward.cycles.chunk_priors import paid_items, year_paid
from ipaward.cycles.lines import INCLUDED, PAID, REFUSED, resettle
from ipaward.cycles.list_notices import payment_notices
from ipaward.cycles.list_route import cycle_measure
from ipaward.db.base import Base
from ipaward.db.models import (
    Application,
    Cycle,
    CycleLine,
)
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, fire
from ipaward.lifecycle.paths import APPLICATION
from ipaward.repository.budgets import BudgetExhausted
from ipaward.repository.ledger import LedgerError
from ipaward.repository.subjects import list_ref
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import AWAITING_CYCLE

_APPLICATIONS = Base.metadata.tables["applications"]
_ACCOUNTS = Base.metadata.tables["annual_accounts"]


@dataclass
class ChunkPaid:
    paid: int = 0
    amount: int = 0
    refused: list[int] = field(default_factory=list)  # line ids refused by the ledger
    notice_ids: list[int] = field(default_factory=list)


def pay_lines(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    line_ids: Collection[int],
    *,
    today: dt.date,
) -> ChunkPaid:
    """Pay the chunk's included lines (whole recipients); lines already paid are skipped."""
    outcome = ChunkPaid()
    lines = _lock(session, cycle, line_ids)
    if not lines:
        return outcome
    drifted = _drifted(session, ctx, cycle, lines)
    if drifted:  # the ledger moved since the list was assessed: assess those recipients again
        published = {line.id: line.amount for line in lines}
        resettle(session, ctx, cycle, drifted)
        lines = _lock(session, cycle, line_ids)
        _note_changes(lines, published)
    payable = [line for line in lines if line.amount > 0]
    unpaid = {
        line.id: str(line.details.get("reason") or "核定金额为0元")
        for line in lines
        if line.amount <= 0
    }
    try:
        with session.begin_nested():
            entries = post_all(session, ctx, cycle, payable)
    except (IntegrityError, LedgerError, BudgetExhausted):
        entries, refused = post_each(
            session,
            ctx,
            cycle,
            payable,
            reassess=lambda uscc: resettle(session, ctx, cycle, {uscc}),
        )
        unpaid.update(refused)
    paid = [line for line in payable if line.id in entries]
    outcome.notice_ids = payment_notices(session, ctx, cycle, paid, today=today)
    _mark_paid(session, ctx, cycle, paid, entries)
    _mark_refused(session, lines, unpaid)
    outcome.paid, outcome.amount = len(paid), sum(line.amount for line in paid)
    outcome.refused = sorted(unpaid)
    return outcome


def _lock(session: Session, cycle: Cycle, line_ids: Collection[int]) -> list[CycleLine]:
    """The chunk's included lines, row-locked (PostgreSQL) so two runs cannot pay one twice."""
    query = (
        select(CycleLine)
        .join(Application, Application.id == CycleLine.application_id)
        .where(
            CycleLine.id.in_(list(line_ids)),
            CycleLine.cycle_id == cycle.id,
            CycleLine.status == INCLUDED,
            Application.state == AWAITING_CYCLE,
        )
        .order_by(CycleLine.recipient_uscc, CycleLine.id)
        .with_for_update()
    )
    return list(session.scalars(query).all())


def _drifted(
    session: Session, ctx: WorkflowContext, cycle: Cycle, lines: Sequence[CycleLine]
) -> set[str]:
    """Recipients paid something this year since their lines were assessed, or one of whose
    items was paid to someone else meanwhile (a line taken out of a list, a late filing)."""
    recipients = {line.recipient_uscc for line in lines}
    identity = cycle_measure(ctx, cycle).identity
    now = year_paid(session, measure=identity, year=cycle.year, recipients=recipients)
    keys = {str(key) for line in lines for key, _ in line.details.get("items", [])}
    taken = paid_items(session, measure=identity, keys=keys)
    return {
        line.recipient_uscc
        for line in lines
        if now.get(line.recipient_uscc, 0) != int(line.details.get("prior_year_paid", 0))
        or any(key in taken for key, _ in line.details.get("items", []))
    }


def _note_changes(lines: Sequence[CycleLine], published: dict[int, int]) -> None:
    """A figure that changed after 公示 says so on the line (and so in its notices)."""
    for line in lines:
        before = published.get(line.id)
        if before is not None and before != line.amount:
            note = f"拨付前复核:公示金额{before}元,依据台账现状核定为{line.amount}元。"
            line.details = {
                **line.details,
                "published_amount": before,
                "explanation": [*line.details.get("explanation", []), note],
            }


def _mark_paid(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    lines: Sequence[CycleLine],
    entries: dict[int, int],
) -> None:
    if not lines:
        return
    fire(  # one declared move for the chunk: the same checks and audit rows as a single payment
        session,
        APPLICATION,
        "pay",
        [
            Move(
                subject_id=line.application_id,
                ref=str(line.details["number"]),
                details={
                    "ledger_entry": entries[line.id],
                    "amount": line.amount,
                    "cycle": list_ref(cycle.measure, cycle.year),
                },
            )
            for line in lines
        ],
        by=Role.SYSTEM,
        actor=ctx.procedure.system_actor,
    )
    session.execute(
        update(_APPLICATIONS).where(_APPLICATIONS.c.id == bindparam("app")),
        [{"app": line.application_id, "assessment": _record(cycle, line)} for line in lines],
    )
    changes = [
        {
            "id": line.id,
            "status": PAID,
            "details": {**line.details, "ledger_entry": entries[line.id]},
        }
        for line in lines
    ]
    session.execute(update(CycleLine), changes)
    for line, change in zip(lines, changes, strict=True):  # keep loaded rows true, not dirty
        set_committed_value(line, "status", PAID)
        set_committed_value(line, "details", change["details"])


def _mark_refused(session: Session, lines: Sequence[CycleLine], unpaid: dict[int, str]) -> None:
    """Refused lines keep their reason; `linework.settle_lines` refuses the applications."""
    for line in lines:
        if line.id in unpaid:
            line.status = REFUSED
            line.details = {**line.details, "reason": unpaid[line.id], "eligible": False}
    session.flush()


def _record(cycle: Cycle, line: CycleLine) -> dict[str, Any]:
    """The application's assessment as the cycle settled it (what its page shows)."""
    details = line.details
    return {
        "measure": cycle.measure,
        "eligible": True,
        "amount": line.amount,
        "findings": details.get("findings", []),
        "explanation": details.get("explanation", []),
        "edition": details.get("edition"),
        "reference_date": details.get("reference_date"),
        "city_amount": details["city_amount"],
        "jurisdiction_amount": details["jurisdiction_amount"],
        "yearly_cap": details.get("yearly_cap"),
        "ledger_lines": [{"item_key": k, "amount": a} for k, a in details["items"]],
        "cycle": list_ref(cycle.measure, cycle.year),
    }
