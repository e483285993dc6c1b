"""Workflow events → official notices. Each event has one key, so it yields one notice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.db.models import Application, Notice
from ipaward.labels import correction_item_name
from ipaward.notices.dates import chinese_date
from ipaward.notices.kinds import (
    AcceptanceContext,
    CorrectionContext,
    CorrectionItem,
    PaymentContext,
    PublicityContext,
    PublicityEntry,
    RefusalContext,
    ReviewResultContext,
)
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.notice_parts import (
    accepted_key,
    applicant_box,
    applicant_header,
    header,
    issue,
    ref,
    review_steps,
    was_accepted,
)
from ipaward.workflow.notify_tasks import programme_task, task
from ipaward.workflow.states import STAGE_NAMES

# Where the money goes, as the applicant registered it (the finance offices pay there).
ACCOUNT_NOTE = "收款账户为申请人申报时登记的基本存款账户，账户信息须与申报材料一致。"

__all__ = [
    "accepted",
    "correction",
    "header",
    "payment",
    "programme_task",
    "publicity",
    "refusal",
    "review_result",
    "task",
]


def accepted(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    planned = route.plan(application).after(None)
    first = planned.name if planned else ""
    context = AcceptanceContext(
        header=applicant_header(
            ctx, application, "知识产权奖补申请", today, copy_to=route.copied(application)
        ),
        application=ref(ctx, application),
        submitted_on=application.submitted_on or today,
        accepted_on=today,
        next_stage=STAGE_NAMES.get(first, first),
    )
    return issue(
        session,
        ctx,
        accepted_key(application),
        "acceptance",
        context,
        application.id,
        [applicant_box(application), *route.copied(application)],
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
        header=applicant_header(ctx, application, "知识产权奖补申请", today),
        application=ref(ctx, application),
        submitted_on=application.submitted_on or today,
        items=items,
        deadline=dt.date.fromisoformat(request["deadline"]),
        working_days=int(request["deadline_working_days"]),
        submit_to=f"请通过申报系统重新提交补正后的申请及材料，或送交{lead}",
        # what a lapse will produce (`refusal` below decides the same way): the text
        # promises exactly the decision the applicant would get
        lapse_stage="award" if was_accepted(session, application) else "acceptance",
    )
    return issue(
        session,
        ctx,
        f"app:{application.id}:correction:{request.get('round', 1)}",
        "correction",
        context,
        application.id,
        [applicant_box(application)],
    )


def refusal(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date, reason: str
) -> Notice:
    """不予受理 before acceptance (no 受理通知书 issued), 不予奖励 after it; the facts are the
    assessment's own lines, with the figures it actually used."""
    measure = ctx.policy.edition(application.edition).measure(application.measure)
    filed = chinese_date(application.submitted_on or today)
    facts = [f"{application.applicant.name}于{filed}申报{measure.cites}{measure.title}奖补。"]
    facts += list((application.assessment or {}).get("explanation", []))
    context = RefusalContext(
        header=applicant_header(ctx, application, "知识产权奖补申请", today),
        application=ref(ctx, application),
        stage="award" if was_accepted(session, application) else "acceptance",
        facts=facts,
        rules=[
            f"《{ctx.policy.edition(application.edition).title}》{measure.cites}：{measure.summary}"
        ],
        reason=reason or "不符合奖补条件",
        reconsideration_authority=ctx.procedure.reconsideration_authority,
    )
    return issue(
        session,
        ctx,
        f"app:{application.id}:refusal",
        "refusal",
        context,
        application.id,
        [applicant_box(application), route.lead(application)],
    )


def review_result(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> Notice:
    """The result after the review stages the route actually has; it promises a 公示 only
    when the route has one."""
    assessment = application.assessment or {}
    plan = route.plan(application)
    done = next((s.name for s in plan.stages if s.notify_when_done == "review_result"), None)
    publicised = any(stage.is_publicity for stage in plan.stages)
    context = ReviewResultContext(
        header=applicant_header(ctx, application, "知识产权奖补申请", today),
        application=ref(ctx, application),
        approved_amount=int(assessment.get("amount", 0)),
        explanation=list(assessment.get("explanation") or ["审核通过"]),
        review_steps=review_steps(plan, through=done),
        next_step=(
            "审核结果将按规定予以公示，公示无异议的，按程序拨付奖补资金。"
            if publicised
            else "本机关将按程序办理奖补资金拨付。"
        ),
    )
    return issue(
        session,
        ctx,
        f"app:{application.id}:review:{application.stage_round}",
        "review_result",
        context,
        application.id,
        [applicant_box(application)],
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
                application=ref(ctx, application),
                amount=int((application.assessment or {}).get("amount", 0)),
            )
        ],
        review_steps=review_steps(route.plan(application)),
        period_start=ctx.calendar.add_working_days(today, 1).day,
        period_end=application.publicity_ends_on,
        objection_to=ctx.policy.directory.department(lead).name,
        objection_address=ctx.procedure.objection_address,
        objection_phone=ctx.procedure.objection_phone,
    )
    return issue(
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
    """Addressed to the finance office(s) that pay, copied to the applicant.

    Under the policy's practice (现行财政体制, 国库集中支付) the lead unit does not pay: it
    asks city finance, and the county finance office where the county bears a share, to
    transfer the money to the applicant's account. The notice instructs them, so it is
    addressed to them; the applicant learns from its copy that the money is on its way.
    """
    assessment = application.assessment or {}
    directory = ctx.policy.directory
    jurisdiction = directory.jurisdictions.get(application.applicant.jurisdiction)
    county = int(assessment.get("jurisdiction_amount", 0))
    finance = [directory.city_finance().code] + (
        [jurisdiction.finance] if jurisdiction and county else []
    )
    context = PaymentContext(
        header=header(
            ctx,
            route.lead(application),
            addressee="、".join(directory.department(code).name for code in finance),
            subject=f"{application.applicant.name}知识产权奖补申请",
            today=today,
            copy_names=[application.applicant.name],
            note="此件不公开",
        ),
        application=ref(ctx, application),
        amount=int(assessment["amount"]),
        city_amount=int(assessment["city_amount"]),
        county_amount=county,
        county_finance=directory.department(jurisdiction.finance).name
        if jurisdiction and county
        else None,
        account_note=ACCOUNT_NOTE,
        publicised=any(stage.is_publicity for stage in route.plan(application).stages),
    )
    return issue(
        session,
        ctx,
        f"app:{application.id}:payment",
        "payment",
        context,
        application.id,
        [*finance, applicant_box(application)],
    )
