"""The people of the demo: officers working their inboxes, applicants answering notices.

Officers approve what the rules find eligible and reject what they do not, citing the
explanation; a few scripted events show the other paths (补正, objection, withdrawal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.objections import object_to
from ipaward.db.models import Application, Cycle, CycleLine, WorkItem
from ipaward.demo.cohort import DemoApplication
from ipaward.demo.handover import write_demo_application
from ipaward.exchange.validate import validate_file
from ipaward.services.files import check_and_store
from ipaward.workflow.applicant_actions import resubmit, withdraw
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.decisions import decide
from ipaward.workflow.states import (
    AWAITING_CYCLE,
    CORRECTION_REQUESTED,
    IN_REVIEW,
    PUBLICITY,
    RESUBMITTED,
    SUBMITTED,
)

RETURN_FOR_CORRECTION = "M06-2"
OBJECTED = "M09-2"
WITHDRAWN = "M12-2"
RETURN_ITEMS = [
    "documents[grading_certificate]:评级证书复印件不清晰,请提供加盖公章的清晰件",
    "evidence.grading.certificate_no:证书编号与证书复印件不一致",
]


LIST_EXCEPTION = "M14-2"  # the lead unit takes it out of the 2024 list: it goes its own way
BEFORE_ACCEPTANCE = (SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED)


@dataclass
class Script:
    """Who does what, and what happened (for the summary)."""

    cohort: dict[str, DemoApplication]
    numbers: dict[str, str]  # label → application number
    input_dir: Path
    events: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    lists_opened: bool = False
    lists_touched: bool = False  # a department decided on a list since the last cycle run

    def label_of(self, number: str) -> str:
        return next(label for label, n in self.numbers.items() if n == number)

    def once(self, key: str) -> bool:
        if key in self.done:
            return False
        self.done.add(key)
        return True


def cycles_due(session: Session, script: Script, *, today: dt.date) -> bool:
    """Run the annual cycle today? Once every annual filing is accepted or refused (the
    settlement date), then after decisions on a list and when a list's 公示 has ended."""
    if not script.lists_opened:
        states = set(
            # the annual measures' filings: the ones with a reward year
            session.scalars(select(Application.state).where(Application.year.is_not(None)))
        )
        script.lists_opened = not states & set(BEFORE_ACCEPTANCE) and AWAITING_CYCLE in states
        return script.lists_opened
    touched, script.lists_touched = script.lists_touched, False
    ended = any(
        dt.date.fromisoformat(c.details["publicity_ends_on"]) < today
        for c in session.scalars(select(Cycle).where(Cycle.state == "publicity"))
    )
    return touched or ended


def officers_act(session: Session, ctx: WorkflowContext, script: Script, *, today: dt.date) -> int:
    """Every department decides its open items due today or earlier in the week."""
    decided = lists_act(session, ctx, script)
    rows = session.execute(
        select(WorkItem, Application)
        .join(Application, WorkItem.application_id == Application.id)
        .where(WorkItem.state == "open")
        .order_by(WorkItem.id)
    ).tuples()
    for item, application in list(rows):
        label = script.label_of(application.number)
        assessment = application.assessment or {}
        outcome, comment, items = "approve", "同意", []
        if item.stage == "countersign":
            outcome, comment = "countersign", "经核,同意"
        if item.stage == "lead_review" and label == RETURN_FOR_CORRECTION and script.once("return"):
            outcome, comment, items = "return", "材料需补正", RETURN_ITEMS
            script.events.append(f"{application.number}({label}) 牵头单位退回补正")
        elif item.stage == "lead_review" and not assessment.get("eligible", False):
            outcome = "reject"
            comment = (assessment.get("explanation") or ["不符合奖补条件"])[
                -2 if len(assessment.get("explanation", [])) > 1 else -1
            ]
            script.events.append(f"{application.number}({label}) 牵头单位不予通过:{comment}")
        elif item.stage == "objection_review":
            outcome = "objection_dismissed"
            comment = "经核实,产品认定时间与国家知识产权局公告一致,异议不成立"
            script.events.append(f"{application.number}({label}) 异议经复核不成立,重新公示")
        decide(
            session,
            work_item_id=item.id,
            department=item.department,
            officer=officer_of(ctx, item.department),
            outcome=outcome,
            comment=comment,
            items=items,
            deadline_days=5 if items else None,
            procedure=ctx.procedure,
        )
        decided += 1
    return decided


def officer_of(ctx: WorkflowContext, department: str) -> str:
    """The demo's officer of a department, as a page shows a person (never its code)."""
    return f"{ctx.policy.directory.department(department).short}经办人"


def lists_act(session: Session, ctx: WorkflowContext, script: Script) -> int:
    """Departments approve the annual lists; the lead takes one line out (例外事项)."""
    items = session.execute(
        select(WorkItem, Cycle)
        .join(Cycle, Cycle.id == WorkItem.cycle_id)
        .where(WorkItem.state == "open")
        .order_by(WorkItem.id)
    ).all()
    decided = 0
    for item, cycle in items:
        exceptions = []
        taken = script.numbers.get(LIST_EXCEPTION)
        listed = (LIST_EXCEPTION.split("-")[0], _year(taken)) if taken else None
        if item.stage == "lead_review" and taken and (cycle.measure, cycle.year) == listed:
            exceptions = [f"{taken}:托管服务内容与补助金额需单独复核,转逐件办理"]
            script.events.append(
                f"{taken}({LIST_EXCEPTION}) 牵头单位审核名单时列为例外事项,转逐件办理"
            )
        decide(
            session,
            work_item_id=item.id,
            department=item.department,
            officer=officer_of(ctx, item.department),
            outcome="countersign" if item.stage == "countersign" else "approve",
            comment="经审核,同意名单",
            exceptions=exceptions,
        )
        decided += 1
    script.lists_touched = script.lists_touched or decided > 0
    return decided


def _year(number: str) -> int:
    return int(number.split("-")[1])


def in_list_publicity(session: Session, application: Application) -> bool:
    """Whether the application is a line of its year's list while the list is published."""
    if application.state != AWAITING_CYCLE:
        return False
    return (
        session.scalar(
            select(Cycle.id)
            .join(CycleLine, CycleLine.cycle_id == Cycle.id)
            .where(
                CycleLine.application_id == application.id,
                CycleLine.status == "included",
                Cycle.state == "publicity",
            )
        )
        is not None
    )


def applicants_act(
    session: Session, ctx: WorkflowContext, script: Script, *, today: dt.date
) -> list[str]:
    """Resubmit after 补正 (except the one left to lapse), object once, withdraw once."""
    touched = []
    for label, number in script.numbers.items():
        application = session.scalars(select(Application).where(Application.number == number)).one()
        demo = script.cohort[label]
        if application.state == CORRECTION_REQUESTED and demo.fault != "lapses":
            if script.once(f"resubmit:{label}:{(application.correction or {}).get('round')}"):
                folder = (
                    script.input_dir
                    / f"{label}-fixed-{(application.correction or {}).get('round')}"
                )
                path = write_demo_application(folder, demo.data, label=f"{label} fixed", fault=None)
                [valid] = validate_file(path, ctx.policy, as_of=today)
                checks = check_and_store(
                    folder,
                    valid,
                    files_root=ctx.files_root,
                    max_bytes=ctx.procedure.max_document_bytes,
                )
                changes = resubmit(
                    session,
                    ctx,
                    number=number,
                    application=valid,
                    checks=checks,
                    today=today,
                    actor=application.applicant.name,
                )
                script.events.append(f"{number}({label}) 申请人补正,{len(changes)}处变化")
                touched.append(number)
        elif (
            label == OBJECTED
            and (application.state == PUBLICITY or in_list_publicity(session, application))
            and script.once("objection")
        ):
            object_to(
                session,
                ctx,
                number=number,
                name="漳州市某电器有限公司(加盖公章)",
                text="该企业申报的部分产品认定时间不在2024年度,请予核查。",
                today=today,
            )
            script.events.append(f"{number}({label}) 公示期间收到实名书面异议")
            touched.append(number)
        elif (
            label == WITHDRAWN
            and application.state == IN_REVIEW
            and application.stage == "countersign"
        ) and script.once("withdraw"):
            withdraw(session, ctx, number=number, actor=application.applicant.name)
            script.events.append(f"{number}({label}) 申请人撤回申请")
    return touched
