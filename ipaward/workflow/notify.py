"""Workflow events → official notices. Each event has one key, so it yields one notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.db.models import Application, Notice, WorkItem
from ipaward.labels import correction_item_name
from ipaward.notices.issue import issue_notice
from ipaward.notices.kinds import (
    AcceptanceContext,
    ApplicationRef,
    CorrectionContext,
    CorrectionItem,
    NoticeContext,
    NoticeHeader,
    PaymentContext,
    PublicityContext,
    PublicityEntry,
    RefusalContext,
    ReviewResultContext,
    TaskContext,
)
from ipaward.workflow import route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STAGE_NAMES


def _ref(ctx: WorkflowContext, application: Application) -> ApplicationRef:
    measure = ctx.policy.edition(application.edition).measure(application.measure)
    return ApplicationRef(
        number=application.number,
        applicant_name=application.applicant.name,
        measure_clause=measure.clause.replace("(", "（").replace(")", "）"),
        measure_title=measure.title,
        policy_title=ctx.policy.edition(application.edition).title,
    )


def header(
    ctx: WorkflowContext,
    authority: str,
    *,
    addressee: str,
    subject: str,
    today: dt.date,
    copy_to: Sequence[str] = (),
    note: str | None = None,
) -> NoticeHeader:
    """The GB/T 9704 header of a notice issued by `authority` (a department code)."""
    directory = ctx.policy.directory
    return NoticeHeader(
        authority_code=authority,
        authority_name=directory.department(authority).name,
        addressee=addressee,
        subject=subject,
        issued_on=today,
        copy_to=[directory.department(code).short for code in copy_to],
        note=note,
    )


def _issue(
    session: Session,
    ctx: WorkflowContext,
    key: str,
    kind: str,
    context: NoticeContext,
    application_id: int | None,
    recipients: list[str],
) -> Notice:
    """Issue once per event; `recipients` are mailboxes (department codes, applicant-<USCC>)."""
    return issue_notice(
        session,
        settings=ctx.settings,
        event_key=key,
        kind=kind,
        context=context,
        application_id=application_id,
        recipients=recipients,
    )


def _applicant_box(application: Application) -> str:
    return f"applicant-{application.applicant.uscc}"


def _applicant_header(
    ctx: WorkflowContext,
    application: Application,
    subject: str,
    today: dt.date,
    copy_to: Sequence[str] = (),
) -> NoticeHeader:
    return header(
        ctx,
        route.lead(application),
        addressee=application.applicant.name,
        subject=f"{application.applicant.name}{subject}",
        today=today,
        copy_to=copy_to,
        note="此件不公开",
    )


def _accepted_key(application: Application) -> str:
    return f"app:{application.id}:accepted"


def accepted(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    planned = route.plan(application).after(None)
    first = planned.name if planned else ""
    context = AcceptanceContext(
        header=_applicant_header(
            ctx, application, "知识产权奖补申请", today, copy_to=route.copied(application)
        ),
        application=_ref(ctx, application),
        submitted_on=application.submitted_on or today,
        accepted_on=today,
        next_stage=STAGE_NAMES.get(first, first),
    )
    return _issue(
        session,
        ctx,
        _accepted_key(application),
        "acceptance",
        context,
        application.id,
        [_applicant_box(application), *route.copied(application)],
    )


def correction(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    request = application.correction or {}
    identity = ctx.policy.edition(application.edition).measure(application.measure).identity
    items = [
        CorrectionItem(
            kind="document" if str(item.get("field", "")).startswith("documents") else "field",
            name=correction_item_name(item, identity),
            reason=str(item.get("reason") or request.get("comment") or "请补正"),
        )
        for item in request.get("items", [])
    ]
    lead = ctx.policy.directory.department(route.lead(application)).name
    context = CorrectionContext(
        header=_applicant_header(ctx, application, "知识产权奖补申请", today),
        application=_ref(ctx, application),
        submitted_on=application.submitted_on or today,
        items=items,
        deadline=dt.date.fromisoformat(request["deadline"]),
        working_days=int(request["deadline_working_days"]),
        submit_to=f"请通过申报系统重新提交补正后的申请及材料,或送交{lead}",
    )
    return _issue(
        session,
        ctx,
        f"app:{application.id}:correction:{request.get('round', 1)}",
        "correction",
        context,
        application.id,
        [_applicant_box(application)],
    )


def refusal(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date, reason: str
) -> Notice:
    """不予受理 before acceptance (no 受理通知书 issued), 不予奖励 after it; the facts are the
    assessment's own lines, with the figures it actually used."""
    measure = ctx.policy.edition(application.edition).measure(application.measure)
    accepted_before = session.scalar(
        select(func.count(Notice.id)).where(Notice.event_key == _accepted_key(application))
    )
    facts = [
        f"{application.applicant.name}于{application.submitted_on or today}申报{measure.cites}{measure.title}奖补。"
    ]
    facts += list((application.assessment or {}).get("explanation", []))
    context = RefusalContext(
        header=_applicant_header(ctx, application, "知识产权奖补申请", today),
        application=_ref(ctx, application),
        stage="award" if accepted_before else "acceptance",
        facts=facts,
        rules=[
            f"《{ctx.policy.edition(application.edition).title}》{measure.cites}:{measure.summary}"
        ],
        reason=reason or "不符合奖补条件",
        reconsideration_authority=ctx.procedure.reconsideration_authority,
    )
    return _issue(
        session,
        ctx,
        f"app:{application.id}:refusal",
        "refusal",
        context,
        application.id,
        [_applicant_box(application), route.lead(application)],
    )


def review_result(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    assessment = application.assessment or {}
    context = ReviewResultContext(
        header=_applicant_header(ctx, application, "知识产权奖补申请", today),
        application=_ref(ctx, application),
        approved_amount=int(assessment.get("amount", 0)),
        explanation=list(assessment.get("explanation") or ["审核通过"]),
    )
    return _issue(
        session,
        ctx,
        f"app:{application.id}:review:{application.stage_round}",
        "review_result",
        context,
        application.id,
        [_applicant_box(application)],
    )


def publicity(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    assert application.publicity_ends_on is not None
    lead = route.lead(application)
    context = PublicityContext(
        header=header(
            ctx,
            lead,
            addressee="社会各界",
            subject="知识产权奖补拟奖励名单",
            today=today,
            note="此件主动公开",
        ),
        entries=[
            PublicityEntry(
                application=_ref(ctx, application),
                amount=int((application.assessment or {}).get("amount", 0)),
            )
        ],
        period_start=ctx.calendar.add_working_days(today, 1).day,
        period_end=application.publicity_ends_on,
        objection_to=ctx.policy.directory.department(lead).name,
        objection_address=ctx.procedure.objection_address,
        objection_phone=ctx.procedure.objection_phone,
    )
    return _issue(
        session,
        ctx,
        f"app:{application.id}:publicity:{application.stage_round}",
        "publicity",
        context,
        application.id,
        ["public", lead],
    )


def payment(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    assessment = application.assessment or {}
    jurisdiction = ctx.policy.directory.jurisdictions.get(application.applicant.jurisdiction)
    county = int(assessment.get("jurisdiction_amount", 0))
    finance = [ctx.policy.directory.city_finance().code] + (
        [jurisdiction.finance] if jurisdiction and county else []
    )
    context = PaymentContext(
        header=_applicant_header(ctx, application, "知识产权奖补申请", today, copy_to=finance),
        application=_ref(ctx, application),
        amount=int(assessment["amount"]),
        city_amount=int(assessment["city_amount"]),
        county_amount=county,
        county_finance=ctx.policy.directory.department(jurisdiction.finance).name
        if jurisdiction and county
        else None,
        account_note="资金拨付至申请人申报时登记的基本账户,账户信息须与申报材料一致。",
    )
    return _issue(
        session,
        ctx,
        f"app:{application.id}:payment",
        "payment",
        context,
        application.id,
        [_applicant_box(application), *finance],
    )


def task(
    session: Session,
    ctx: WorkflowContext,
    application: Application,
    item: WorkItem,
    *,
    today: dt.date,
) -> Notice:
    directory = ctx.policy.directory
    stage = STAGE_NAMES.get(item.stage, item.stage)
    context = TaskContext(
        header=header(
            ctx,
            route.lead(application),
            addressee=directory.department(item.department).name,
            subject=f"{application.number}{stage}",
            today=today,
            note="此件不公开",
        ),
        application=_ref(ctx, application),
        work_item_id=item.id,
        work_item=f"{stage}:{application.applicant.name}申报{application.measure}",
        stage=stage,
        due_on=item.due_on or today,
        instructions="请登录系统在待办中审核,可作出同意、不同意(须写明理由)或退回补正的决定。",
    )
    return _issue(
        session, ctx, f"wi:{item.id}:task", "task", context, application.id, [item.department]
    )


def programme_task(
    session: Session,
    ctx: WorkflowContext,
    measure: Measure,
    item: WorkItem,
    *,
    year: int,
    today: dt.date,
) -> Notice:
    directory = ctx.policy.directory
    stage = STAGE_NAMES.get(item.stage, item.stage)
    ref = ApplicationRef(
        number=f"{measure.code}:{year}",
        applicant_name=f"{year}年度工作任务",
        measure_clause=measure.clause.replace("(", "（").replace(")", "）"),
        measure_title=measure.title,
    )
    context = TaskContext(
        header=header(
            ctx,
            measure.lead,
            addressee=directory.department(item.department).name,
            subject=f"{year}年度{measure.title}工作{stage}",
            today=today,
            note="此件不公开",
        ),
        application=ref,
        work_item_id=item.id,
        work_item=f"{stage}:{measure.summary}",
        stage=stage,
        due_on=item.due_on or today,
        instructions="请在期限内办理并报送工作情况(办理意见即为报送内容)。",
    )
    return _issue(session, ctx, f"wi:{item.id}:task", "task", context, None, [item.department])
