"""待办 notices: a department has a work item on an application or on a programme year.

Internal between departments, so they carry no 发文字号 (`NoticeKind.numbered`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.db.models import Application, Notice, WorkItem
from ipaward.notices.kinds import ApplicationRef, TaskContext
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.notice_parts import clause, header, issue, ref
from ipaward.workflow.states import STAGE_NAMES


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
        application=ref(ctx, application),
        work_item_id=item.id,
        work_item=f"{stage}：{application.applicant.name}申报的{ref(ctx, application).measure_title}",
        stage=stage,
        due_on=item.due_on or today,
        instructions="请登录系统在待办中审核，可作出同意、不同意（须写明理由）或退回补正的决定。",
    )
    return issue(
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
        measure_clause=clause(measure),
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
        work_item=f"{stage}：{measure.summary}",
        stage=stage,
        due_on=item.due_on or today,
        instructions="请在期限内办理并报送工作情况（办理意见即为报送内容）。",
    )
    return issue(session, ctx, f"wi:{item.id}:task", "task", context, None, [item.department])
