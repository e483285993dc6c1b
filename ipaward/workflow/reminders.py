"""催办: work items past their due date in official working days.

Level 1 goes to the late department the first working day after the due date; level 2
tells the lead unit once the item is more than `escalation_working_days` working days late
(when the lead unit is itself late, `escalation_unit` is told). Working days come from the
WorkingCalendar, so holidays and swapped weekend working days (调休) count as the State
Council publishes them. A Reminder row (unique per work item, level and deadline) is written
with its notice in one transaction: each reminder is sent once per deadline, however often
the daily run repeats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ipaward.config.edition import Measure
from ipaward.db.models import Application, Notice, Reminder, WorkItem
from ipaward.notices.issue import issue_notice
from ipaward.notices.kinds import ApplicationRef, NoticeHeader, OverdueItem, ReminderContext
from ipaward.repository._savepoint import insert_unless_present
from ipaward.repository.subjects import YearlySubject, yearly_subjects
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STAGE_NAMES


@dataclass(frozen=True, kw_only=True)
class Due:
    """One reminder to send: which item, at which level, for which deadline, to whom."""

    item: WorkItem
    application: Application | None
    level: int
    deadline: dt.date
    overdue: int
    lead: str
    measure: Measure
    to: str  # the department the notice is addressed to
    yearly: YearlySubject | None = None  # an item of an annual list or programme year


@dataclass
class RemindReport:
    today: dt.date
    sent: dict[str, int] = field(default_factory=dict)  # "L1:city.finance" → items
    notice_ids: list[int] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def send_reminders(session: Session, ctx: WorkflowContext, *, today: dt.date) -> RemindReport:
    """One 催办 per addressee and level with every item newly due a reminder today."""
    report = RemindReport(today=today)
    groups: dict[tuple[int, str], list[Due]] = defaultdict(list)
    for due in _due(session, ctx, today=today):
        if insert_unless_present(
            session,
            insert(Reminder).values(
                work_item_id=due.item.id, level=due.level, deadline=due.deadline
            ),
        ):
            groups[due.level, due.to].append(due)
    for (level, to), dues in sorted(groups.items()):
        notice = _notice(session, ctx, level=level, to=to, dues=dues, today=today)
        for due in dues:
            session.execute(
                update(Reminder)
                .where(
                    Reminder.work_item_id == due.item.id,
                    Reminder.level == level,
                    Reminder.deadline == due.deadline,
                )
                .values(notice_id=notice.id)
            )
        report.notice_ids.append(notice.id)
        report.sent[f"L{level}:{to}"] = len(dues)
        name = ctx.policy.directory.department(to).short
        report.steps.append(
            f"{'催办' if level == 1 else '督办(告知牵头单位)'}→{name}:{len(dues)}项"
        )
    return report


def _due(session: Session, ctx: WorkflowContext, *, today: dt.date) -> list[Due]:
    rows = session.execute(
        select(WorkItem, Application)
        .outerjoin(Application, WorkItem.application_id == Application.id)
        .where(WorkItem.state == "open", WorkItem.due_on.is_not(None), WorkItem.due_on < today)
        .order_by(WorkItem.id)
    ).all()
    found: list[Due] = []
    escalate_after = ctx.procedure.escalation_working_days
    yearly = yearly_subjects(session, [item for item, _ in rows])
    for item, application in rows:
        assert item.due_on is not None
        overdue = ctx.calendar.working_days_between(item.due_on, today)
        if overdue < 1:
            continue  # only rest days since the due date
        measure, lead = _measure_and_lead(ctx, application, yearly.get(item.id))
        late_lead = item.department == lead
        found.append(
            Due(
                item=item,
                application=application,
                overdue=overdue,
                level=1,
                deadline=item.due_on,
                lead=lead,
                measure=measure,
                to=item.department,
                yearly=yearly.get(item.id),
            )
        )
        if overdue > escalate_after:
            found.append(
                Due(
                    item=item,
                    application=application,
                    overdue=overdue,
                    level=2,
                    deadline=ctx.calendar.add_working_days(item.due_on, escalate_after).day,
                    lead=lead,
                    measure=measure,
                    to=ctx.procedure.escalation_unit if late_lead else lead,
                    yearly=yearly.get(item.id),
                )
            )
    return found


def _measure_and_lead(
    ctx: WorkflowContext, application: Application | None, yearly: YearlySubject | None
) -> tuple[Measure, str]:
    """The measure an item serves and its lead unit: from the application's route snapshot,
    else from its annual list or programme year."""
    if application is not None:
        measure = ctx.policy.edition(application.edition).measure(application.measure)
        return measure, route.lead(application)
    assert yearly is not None, "a work item has an application, a list or a programme year"
    edition = ctx.policy.current(dt.date(yearly.year, 12, 31))
    measure = edition.measure(yearly.measure)
    return measure, measure.lead


def _ref(ctx: WorkflowContext, due: Due) -> ApplicationRef:
    measure, application = due.measure, due.application
    if application is not None:
        number, name = application.number, application.applicant.name
    else:
        assert due.yearly is not None
        kind = "集中评审名单" if due.yearly.is_list else "工作任务"
        number, name = due.yearly.ref, f"{due.yearly.year}年度{kind}"
    return ApplicationRef(
        number=number,
        applicant_name=name,
        measure_clause=measure.clause.replace("(", "（").replace(")", "）"),
        measure_title=measure.title,
    )


def _notice(
    session: Session,
    ctx: WorkflowContext,
    *,
    level: int,
    to: str,
    dues: list[Due],
    today: dt.date,
) -> Notice:
    directory = ctx.policy.directory
    leads = sorted({due.lead for due in dues})
    authority = ctx.procedure.escalation_unit if level == 2 or to in leads else leads[0]
    late = sorted({due.item.department for due in dues} - {to})
    items = [
        OverdueItem(
            application=_ref(ctx, due),
            work_item_id=due.item.id,
            work_item=(
                f"{directory.department(due.item.department).short}"
                f"{STAGE_NAMES.get(due.item.stage, due.item.stage)}"
            ),
            stage=STAGE_NAMES.get(due.item.stage, due.item.stage),
            due_on=due.item.due_on or today,
            overdue_working_days=due.overdue,
        )
        for due in dues
    ]
    context = ReminderContext(
        header=NoticeHeader(
            authority_code=authority,
            authority_name=directory.department(authority).name,
            addressee=directory.department(to).name,
            subject="知识产权奖补逾期待办事项" + ("(督办)" if level == 2 else ""),
            issued_on=today,
            copy_to=[directory.department(code).short for code in late] if level == 2 else [],
            note="此件不公开",
        ),
        items=items,
    )
    ids = ",".join(f"{due.item.id}@{due.deadline}" for due in dues)
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return issue_notice(
        session,
        settings=ctx.settings,
        event_key=f"reminder:L{level}:{to}:{today.isoformat()}:{digest}",
        kind="reminder",
        context=context,
        application_id=None,
        recipients=[to],
    )
