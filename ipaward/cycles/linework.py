"""Per-application work the cycle leaves behind, done in chunks of hundreds.

Each function finds its work from the database (so a rerun after a crash picks up exactly
what is left) and moves applications with the single path's own transitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.lines import EXCEPTED, INCLUDED, REFUSED, awaiting_groups, pack
from ipaward.db.models import Application, Cycle, CycleLine
from ipaward.repository.cycles import BUILDING
from ipaward.repository.subjects import list_ref
from ipaward.workflow.acceptance import route_individually
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.queries import load_for_update
from ipaward.workflow.states import AWAITING_CYCLE
from ipaward.workflow.transitions import reject


def unsettled(session: Session, cycle: Cycle) -> list[int]:
    """Lines taken out or refused whose application still waits for the cycle."""
    query = (
        select(CycleLine.id)
        .join(Application, Application.id == CycleLine.application_id)
        .where(
            CycleLine.cycle_id == cycle.id,
            CycleLine.status.in_([EXCEPTED, REFUSED]),
            Application.state == AWAITING_CYCLE,
        )
        .order_by(CycleLine.id)
    )
    return list(session.scalars(query))


def settle_lines(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    line_ids: Collection[int],
    *,
    today: dt.date,
) -> list[int]:
    """Taken out → the application's own route from its first stage; refused → 不予奖励."""
    notices: list[int] = []
    lines = session.scalars(select(CycleLine).where(CycleLine.id.in_(list(line_ids))))
    for line in list(lines):
        application = load_for_update(session, application_id=line.application_id)
        if application.state != AWAITING_CYCLE:
            continue  # settled by an earlier run
        report = AdvanceReport(number=application.number, measure=application.measure)
        if line.status == EXCEPTED:
            why = line.details.get("excepted", {})
            report.note(f"年度名单例外事项({why.get('reason', '')}),转逐件办理")
            route_individually(session, ctx, application, today=today, report=report)
        elif line.status == REFUSED:
            reason = f"{cycle.year}年度集中评审:{line.details.get('reason') or '不符合奖补条件'}"
            application.assessment = {**(application.assessment or {}), **_record(cycle, line)}
            reject(
                session,
                ctx,
                application,
                today=today,
                reason=reason,
                actor=ctx.procedure.system_actor,
                report=report,
            )
        notices += report.notice_ids
    return notices


def late_arrivals(session: Session, cycle: Cycle) -> list[int]:
    """[choice] Applications accepted after their year's list left the building stage go down
    their own route (caps and once-only items still hold through the ledger)."""
    if cycle.state == BUILDING:
        return []
    return [i for group in awaiting_groups(session, cycle) for i in group]


def route_late(
    session: Session, ctx: WorkflowContext, application_ids: Collection[int], *, today: dt.date
) -> list[int]:
    notices: list[int] = []
    for application_id in application_ids:
        application = load_for_update(session, application_id=application_id)
        if application.state != AWAITING_CYCLE:
            continue
        report = AdvanceReport(number=application.number, measure=application.measure)
        report.note(f"{application.year}年度名单已报审,本申请逐件办理")
        route_individually(session, ctx, application, today=today, report=report)
        notices += report.notice_ids
    return notices


def payable_chunks(session: Session, cycle: Cycle, *, size: int) -> list[list[int]]:
    """The included lines, in chunks that keep each recipient's lines together."""
    rows = session.execute(
        select(CycleLine.id, CycleLine.recipient_uscc)
        .where(CycleLine.cycle_id == cycle.id, CycleLine.status == INCLUDED)
        .order_by(CycleLine.recipient_uscc, CycleLine.id)
    )
    groups: dict[str, list[int]] = {}
    for line_id, uscc in rows:
        groups.setdefault(uscc, []).append(line_id)
    return pack(groups.values(), size)


def _record(cycle: Cycle, line: CycleLine) -> dict[str, object]:
    """The refusal's figures on the application page: the cycle's assessment of it."""
    return {
        "eligible": False,
        "amount": 0,
        "explanation": line.details.get("explanation", []),
        "cycle": list_ref(cycle.measure, cycle.year),
    }
