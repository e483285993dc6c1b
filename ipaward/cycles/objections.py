"""A written, real-name objection during 公示: to an application's own 公示, or to one line of
its annual list's 公示 (it lives here, above both routes, for that reason). A line alone leaves the
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
from ipaward.workflow import handoff
from ipaward.workflow.advance_report import AdvanceReport
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.errors import InvalidAction
from ipaward.workflow.queries import load_for_update, waiting_on
from ipaward.workflow.stages import receive_objection
from ipaward.workflow.states import AWAITING_CYCLE, PUBLICITY, STATE_NAMES

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


def object_to(
    session: Session, ctx: WorkflowContext, *, number: str, name: str, text: str, today: dt.date
) -> AdvanceReport:
    """A written, real-name objection during 公示 reopens that application only."""
    if not name.strip():
        raise InvalidAction("异议须实名提出(单位加盖公章或个人签名):--name不能为空")
    if not text.strip():
        raise InvalidAction("异议须书面写明事实和理由:--text不能为空")
    application = load_for_update(session, number=number)
    if application.state == AWAITING_CYCLE:  # a line of its year's list during the list's 公示
        report = object_to_line(
            session, ctx, application, name=name.strip(), text=text.strip(), today=today
        )
        handoff.ask(session, application, reason="名单公示期间收到异议")
        return report
    if application.state != PUBLICITY or application.publicity_ends_on is None:
        raise InvalidAction(
            f"申请{number}不在公示期内({STATE_NAMES[application.state]}),异议不予受理"
        )
    if today > application.publicity_ends_on:
        raise InvalidAction(f"公示期已于{application.publicity_ends_on}结束,逾期异议不予受理")
    application.objection = {
        "name": name.strip(),
        "text": text.strip(),
        "received_on": today.isoformat(),
        "open": True,
    }
    report = receive_objection(session, ctx, application, today=today, by=name.strip())
    handoff.ask(session, application, reason="公示期间收到异议")
    report.state, report.stage = application.state, application.stage
    report.waiting_on = waiting_on(session, ctx, application, today=today)
    return report
