"""What every workflow notice is built from: the application reference, the GB/T 9704 header,
the route's review stages as the notices name them, and issuing once per event.

Kept apart from `notify` (the events) so the cycle's notices build theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.db.models import Application, Notice
from ipaward.lifecycle.route_plan import PUBLICITY_STAGE, RoutePlan
from ipaward.notices.issue import issue_notice
from ipaward.notices.kinds import ApplicationRef, NoticeContext, NoticeHeader
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STAGE_NAMES

# What every application went through before its route's first stage (intake).
INTAKE_STEPS = ("单位申报", "形式审查")


def clause(measure: Measure) -> str:
    """ "(七)" as a notice prints it: "（七）"."""
    return measure.clause.replace("(", "（").replace(")", "）")


def ref(ctx: WorkflowContext, application: Application) -> ApplicationRef:
    measure = ctx.policy.edition(application.edition).measure(application.measure)
    return ApplicationRef(
        number=application.number,
        applicant_name=application.applicant.name,
        measure_clause=clause(measure),
        measure_title=measure.title,
        policy_title=ctx.policy.edition(application.edition).title,
    )


def review_steps(plan: RoutePlan, *, through: str | None = None) -> list[str]:
    """The steps before the 公示 (or up to and including `through`), named from the route
    snapshot (labels of `STAGE_NAMES`): a notice cites the route the subject actually took,
    never stages another route has."""
    names = []
    for stage in plan.stages:
        if stage.name == PUBLICITY_STAGE:
            break
        names.append(STAGE_NAMES.get(stage.name, stage.name))
        if stage.name == through:
            break
    return [*INTAKE_STEPS, *names]


def header(
    ctx: WorkflowContext,
    authority: str,
    *,
    addressee: str,
    subject: str,
    today: dt.date,
    copy_to: Sequence[str] = (),
    copy_names: Sequence[str] = (),
    note: str | None = None,
) -> NoticeHeader:
    """The header of a notice issued by `authority` (a department code); `copy_to` are
    department codes, `copy_names` other parties (an applicant) copied by name."""
    directory = ctx.policy.directory
    return NoticeHeader(
        authority_code=authority,
        authority_name=directory.department(authority).name,
        addressee=addressee,
        subject=subject,
        issued_on=today,
        copy_to=[*(directory.department(code).short for code in copy_to), *copy_names],
        note=note,
    )


def issue(
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


def applicant_box(application: Application) -> str:
    return f"applicant-{application.applicant.uscc}"


def applicant_header(
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


def accepted_key(application: Application) -> str:
    return f"app:{application.id}:accepted"


def was_accepted(session: Session, application: Application) -> bool:
    """Whether a 受理通知书 went out: before it a refusal is 不予受理, after it 不予奖励."""
    count = session.scalar(
        select(func.count(Notice.id)).where(Notice.event_key == accepted_key(application))
    )
    return bool(count)
