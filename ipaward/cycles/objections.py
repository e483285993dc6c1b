"""A written, real-name objection to one line of the cycle's 公示: that line alone leaves the
list and its application continues on its own route at the lead unit's objection review
(dismissed → its own 公示 → finance → payment; upheld → rejected). The list goes on."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.lines import INCLUDED
from ipaward.cycles.takeout import take_out
from ipaward.db.models import Application, CycleLine
from ipaward.repository.cycles import find_cycle
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.errors import InvalidAction
from ipaward.workflow.report import AdvanceReport
from ipaward.workflow.stages import receive_objection

CYCLE_PUBLICITY = "publicity"


def object_to_line(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    *,
    name: str,
    text: str,
    today: dt.date,
) -> AdvanceReport:
    """Called by `object_to` for an application that waits for its year's cycle."""
    cycle = (
        find_cycle(session, measure=application.measure, year=application.year)
        if application.year is not None
        else None
    )
    line = (
        session.scalars(
            select(CycleLine).where(
                CycleLine.cycle_id == cycle.id,
                CycleLine.application_id == application.id,
                CycleLine.status == INCLUDED,
            )
        ).one_or_none()
        if cycle is not None
        else None
    )
    if cycle is None or line is None or cycle.state != CYCLE_PUBLICITY:
        raise InvalidAction(f"申请{application.number}不在公示期内(待年度集中评审),异议不予受理")
    ends = dt.date.fromisoformat(cycle.details["publicity_ends_on"])
    if today > ends:
        raise InvalidAction(f"公示期已于{ends}结束,逾期异议不予受理")
    take_out(
        session,
        ctx,
        cycle,
        [line],
        reason=f"公示期间收到实名书面异议({name}),转异议复核",
        by="objection",
        stage=CYCLE_PUBLICITY,
    )
    application.objection = {
        "name": name,
        "text": text,
        "received_on": today.isoformat(),
        "open": True,
        "cycle": line.details.get("number"),
    }
    application.publicity_ends_on = ends
    application.assessment = {
        **(application.assessment or {}),
        "amount": line.amount,
        "city_amount": line.details["city_amount"],
        "jurisdiction_amount": line.details["jurisdiction_amount"],
    }
    report = receive_objection(session, ctx, application, today=today, by=name)
    report.steps.insert(0, "年度名单公示期间收到异议,本申请移出名单")
    return report
