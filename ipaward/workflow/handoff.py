"""What an application waits for, written down: an open work item, or a follow-up request.

A command (submit, decide, resubmit, withdraw, object) asks for a follow-up in its own
transaction and returns; the background work advances the application and, in the same
transaction, marks the request done and asks for the next one where the application now
waits for the calendar: the day after 公示 ends, the day after a 补正 deadline, the day its
year's list is settled. So a live application always has an open work item or a pending
request, and a request that no hand-off carried is still found by the sweeper.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.db.models import Application
from ipaward.repository import follow_ups
from ipaward.repository.cycles import ensure_cycle
from ipaward.repository.follow_ups import Subject
from ipaward.routing import list_route
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import (
    AWAITING_CYCLE,
    CORRECTION_REQUESTED,
    FINAL_STATES,
    OPEN_STATES,
    PUBLICITY,
)

ONE_DAY = dt.timedelta(days=1)


def ask(session: Session, application: Application, *, reason: str) -> int:
    """A command changed `application`: the background work must look at it now (the
    request's id, to hand over after the commit)."""
    return follow_ups.request(session, Subject(application_id=application.id), reason=reason).id


def ask_for_list(session: Session, *, cycle_id: int, reason: str) -> int:
    """A decision on an annual list: the list's cycle must move on now."""
    return follow_ups.request(session, Subject(cycle_id=cycle_id), reason=reason).id


def after_advance(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> None:
    """The work due by `today` is done; write down what the application waits for next."""
    subject = Subject(application_id=application.id)
    follow_ups.settle(session, subject, today=today)
    if application.state in FINAL_STATES:
        follow_ups.cancel_all(session, subject)
        return
    if application.state == PUBLICITY and application.publicity_ends_on is not None:
        follow_ups.request(
            session, subject, reason="公示期满", due_on=application.publicity_ends_on + ONE_DAY
        )
    elif application.state == CORRECTION_REQUESTED:
        deadline = dt.date.fromisoformat((application.correction or {})["deadline"])
        follow_ups.request(session, subject, reason="补正期限届满", due_on=deadline + ONE_DAY)
    elif application.state == AWAITING_CYCLE and application.year is not None:
        await_list(session, ctx, measure=application.measure, year=application.year, today=today)


def await_list(
    session: Session, ctx: WorkflowContext, *, measure: str, year: int, today: dt.date
) -> None:
    """The year's list exists (building until its settlement day) and is asked to settle on
    that day, or at once when the day has passed (a late filing)."""
    day = ctx.schedules.settlement_day(year)
    cycle = ensure_cycle(
        session,
        measure=measure,
        year=year,
        route=list_route(ctx.policy, measure, year),
        actor=ctx.procedure.system_actor,
        opens_on=day,
    )
    follow_ups.request(
        session,
        Subject(cycle_id=cycle.id),
        reason="年度集中评审",
        due_on=day if day > today else None,
    )


def unattended(session: Session) -> list[str]:
    """Live applications that nothing will move on: the invariant says none."""
    return follow_ups.unattended(
        session, live_states=sorted(OPEN_STATES), waiting_for_list=AWAITING_CYCLE
    )
