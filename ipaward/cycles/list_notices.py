"""The cycle's notices: 待办 for each department on the list, one 公示 of the whole list, and a
拨付通知 per paid application to the finance offices that pay it (issued in bulk, with the
single path's event keys)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.cycles.list_route import cycle_measure, plan
from ipaward.db.models import Cycle, CycleLine, Notice, WorkItem
from ipaward.notices.issue import Pending, issue_many, issue_notice
from ipaward.notices.kinds import (
    ApplicationRef,
    PaymentContext,
    PublicityContext,
    PublicityEntry,
    TaskContext,
)
from ipaward.repository.subjects import list_ref
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.notice_parts import clause, header, review_steps
from ipaward.workflow.notify import ACCOUNT_NOTE
from ipaward.workflow.states import STAGE_NAMES


def line_ref(ctx: WorkflowContext, measure: Measure, line: CycleLine) -> ApplicationRef:
    return ApplicationRef(
        number=str(line.details["number"]),
        applicant_name=str(line.details["applicant"]),
        measure_clause=clause(measure),
        measure_title=measure.title,
        policy_title=_policy_title(ctx, line.details.get("edition")),
    )


def _policy_title(ctx: WorkflowContext, edition: object) -> str:
    return ctx.policy.edition(str(edition)).title if edition else ctx.policy.editions[0].title


def list_task(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    item: WorkItem,
    *,
    lines: int,
    total: int,
    today: dt.date,
) -> Notice:
    """待办: the department reviews the list as a whole and may take single lines out."""
    measure = cycle_measure(ctx, cycle)
    stage = STAGE_NAMES.get(item.stage, item.stage)
    context = TaskContext(
        header=header(
            ctx,
            measure.lead,
            addressee=ctx.policy.directory.department(item.department).name,
            subject=f"{cycle.year}年度{measure.title}奖补名单{stage}",
            today=today,
            note="此件不公开",
        ),
        application=ApplicationRef(
            number=list_ref(cycle.measure, cycle.year),
            applicant_name=f"{cycle.year}年度集中评审名单（{lines}项）",
            measure_clause=clause(measure),
            measure_title=measure.title,
        ),
        work_item_id=item.id,
        work_item=f"{stage}：{cycle.year}年度{measure.title}奖补名单{lines}项，合计{total:,}元",
        stage=stage,
        due_on=item.due_on or today,
        instructions=(
            "请登录系统审核名单，同意的名单一并通过；个别申请需单独办理的，"
            "请在决定中列为例外事项（申请编号及理由），该申请转入逐件办理程序。"
        ),
    )
    return issue_notice(
        session,
        settings=ctx.settings,
        event_key=f"wi:{item.id}:task",
        kind="task",
        context=context,
        application_id=None,
        recipients=[item.department],
    )


def publicity(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    *,
    ends: dt.date,
    working_days: int,
    today: dt.date,
) -> Notice | None:
    """One 公示 of every included line that pays, for the configured working days."""
    measure = cycle_measure(ctx, cycle)
    numbered_clause = clause(measure)
    rows = session.execute(
        select(CycleLine.amount, CycleLine.details)
        .where(
            CycleLine.cycle_id == cycle.id,
            CycleLine.status == "included",
            CycleLine.amount > 0,
        )
        .order_by(CycleLine.id)
        .execution_options(yield_per=1000)
    )
    entries = [
        PublicityEntry(
            application=ApplicationRef(
                number=str(details["number"]),
                applicant_name=str(details["applicant"]),
                measure_clause=numbered_clause,
                measure_title=measure.title,
                policy_title=_policy_title(ctx, details.get("edition")),
            ),
            amount=int(amount),
        )
        for amount, details in rows
    ]
    if not entries:
        return None
    context = PublicityContext(
        header=header(
            ctx,
            measure.lead,
            addressee="社会各界",
            subject=f"{cycle.year}年度{measure.title}拟奖补名单",
            today=today,
            note="此件主动公开",
        ),
        entries=entries,
        review_steps=review_steps(plan(ctx, cycle)),
        period_start=ctx.calendar.add_working_days(today, 1).day,
        period_end=ends,
        working_days=working_days,
        objection_to=ctx.policy.directory.department(measure.lead).name,
        objection_address=ctx.procedure.objection_address,
        objection_phone=ctx.procedure.objection_phone,
    )
    return issue_notice(
        session,
        settings=ctx.settings,
        event_key=f"cycle:{cycle.id}:publicity:{cycle.stage_round}",
        kind="publicity",
        context=context,
        application_id=None,
        recipients=["public", measure.lead],
    )


def payment_notices(
    session: Session,
    ctx: WorkflowContext,
    cycle: Cycle,
    lines: Sequence[CycleLine],
    *,
    today: dt.date,
) -> list[int]:
    """拨付通知 per paid line, addressed to the finance offices that pay it and copied to the
    applicant, as on the single path (`ipaward.workflow.notify.payment` says why)."""
    measure = cycle_measure(ctx, cycle)
    directory = ctx.policy.directory
    city_finance = directory.city_finance().code
    publicised = any(stage.is_publicity for stage in plan(ctx, cycle).stages)
    pending = []
    for line in lines:
        county = int(line.details["jurisdiction_amount"])
        place = directory.jurisdictions.get(str(line.details["jurisdiction"]))
        county_finance = place.finance if place and county else None
        finance = [city_finance, *([county_finance] if county_finance else [])]
        applicant = str(line.details["applicant"])
        context = PaymentContext(
            header=header(
                ctx,
                measure.lead,
                addressee="、".join(directory.department(code).name for code in finance),
                subject=f"{applicant}知识产权奖补申请",
                today=today,
                note="此件不公开",
                copy_names=[applicant],
            ),
            application=line_ref(ctx, measure, line),
            amount=line.amount,
            city_amount=int(line.details["city_amount"]),
            county_amount=county,
            county_finance=directory.department(county_finance).name if county_finance else None,
            account_note=ACCOUNT_NOTE,
            publicised=publicised,
        )
        pending.append(
            Pending(
                event_key=f"app:{line.application_id}:payment",
                kind="payment",
                context=context,
                application_id=line.application_id,
                recipients=[*finance, f"applicant-{line.recipient_uscc}"],
            )
        )
    return issue_many(session, settings=ctx.settings, pending=pending)
