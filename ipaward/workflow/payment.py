"""After finance approves: the ledger entry (and the M10 fund draw or M02 budget), then the
payment notice. The ledger's unique keys and checks make a second payment impossible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from ipaward.assessment import Assessment
from ipaward.db.models import Application, Notice
from ipaward.lifecycle.declared import Role
from ipaward.repository.budgets import BudgetExhausted, budget_remaining, commit_budget
from ipaward.repository.funds import FundExhausted, draw, ensure_fund
from ipaward.repository.ledger import LedgerError
from ipaward.repository.postings import Posting, post_award
from ipaward.workflow import notify
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.reassess import reassess
from ipaward.workflow.transitions import move, reject


def pay(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    today: dt.date,
    report: AdvanceReport,
    also: Callable[[], Iterable[Notice | None]] = lambda: [],
) -> None:
    """Assess against today's ledger and post. If the ledger refuses (another payment of a
    shared item, cap or fund landed since), assess once more and pay what is still due; a
    refusal quotes the assessment's own figures, in Chinese."""
    actor = ctx.procedure.system_actor
    refused: Exception | None = None
    for _ in range(2):
        assessment = reassess(session, ctx, application)
        if not assessment.eligible or assessment.amount == 0:
            reason = "拨付前复核:" + (
                assessment.explanation[-1] if assessment.explanation else "不符合条件"
            )
            reject(
                session, ctx, application, today=today, reason=reason, actor=actor, report=report
            )
            return
        try:
            entry_id = _post(session, ctx, application, assessment, today=today)
        except (LedgerError, FundExhausted, BudgetExhausted) as error:
            refused = error
            continue
        issued = move(
            session,
            application,
            "pay",
            by=Role.SYSTEM,
            actor=actor,
            details={"ledger_entry": entry_id, "amount": assessment.amount},
            notices=lambda: [*also(), notify.payment(session, ctx, application, today=today)],
        )
        report.notice_ids.extend(notice.id for notice in issued)
        report.note(f"已记账并拨付{assessment.amount}元(台账{entry_id})")
        return
    reject(
        session,
        ctx,
        application,
        today=today,
        reason=f"拨付被拒绝:{refused}",
        actor=actor,
        report=report,
    )


def _post(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    assessment: Assessment,
    *,
    today: dt.date,
) -> int:
    """The ledger entry (its id) and the money drawn, in a SAVEPOINT: all of it or none."""
    applicant = application.applicant
    with session.begin_nested():
        entry_id = post_award(
            session,
            Posting(
                application_id=application.id,
                measure=ctx.measure_of(application).identity,
                recipient_uscc=applicant.uscc,
                year=application.year,
                amount=assessment.amount,
                items=[(line.item_key, line.amount) for line in assessment.ledger_lines],
                city_amount=assessment.city_amount,
                jurisdiction_amount=assessment.jurisdiction_amount,
                jurisdiction=applicant.jurisdiction,
                edition=application.edition,
                yearly_cap=assessment.yearly_cap if application.year is not None else None,
            ),
            actor=ctx.procedure.system_actor,
        )
        _draw_money(session, ctx, application, amount=assessment.amount, today=today)
    return entry_id


def _draw_money(
    session: Session, ctx: WorkflowContext, application: Application, *, amount: int, today: dt.date
) -> None:
    """A measure with a fund (config `fund`) draws on it; any other commits its budget of the
    year (the reward year, else the filing year) when one is set for it."""
    measure = ctx.measure_of(application)
    if measure.fund is not None:
        params = measure.params(application.reference_date or today)
        code = measure.fund.code
        ensure_fund(
            session, code=code, name=measure.fund.name, capacity=params.integer("fund_capacity")
        )
        draw(
            session,
            code=code,
            amount=amount,
            application_id=application.id,
            reason=application.number,
        )
        return
    year = application.year or (application.submitted_on or today).year
    if budget_remaining(session, measure=measure.identity, year=year) is not None:
        commit_budget(
            session,
            measure=measure.identity,
            year=year,
            amount=amount,
            application_id=application.id,
        )
