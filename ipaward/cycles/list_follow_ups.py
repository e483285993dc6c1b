"""What an annual list waits for, written down (see ipaward/workflow/handoff.py): after each
cycle step its follow-up request is done, and the next one is asked for: at once while chunks
of work are left (a run that dies half-way is picked up again), the day after its 公示, the
next day while a budget stop lasts, its settlement day while it is being built."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ipaward.cycles.lines import awaiting_groups, pack
from ipaward.cycles.linework import late_arrivals, payable_chunks, unsettled
from ipaward.db.models import Cycle
from ipaward.repository import follow_ups
from ipaward.repository.cycles import BUILDING, is_open
from ipaward.repository.follow_ups import Subject

ONE_DAY = dt.timedelta(days=1)
PUBLICITY, BUDGET_STOP, PAYING = "publicity", "budget_stop", "paying"
Plan = dict[str, list[list[int]]]


def plan(session: Session, cycle: Cycle, chunk_size: int, *, today: dt.date) -> Plan:
    """What is left to do per kind, in chunks: line up, settle lines, route late ones, pay."""
    building = cycle.state == BUILDING
    return {
        "line": pack(awaiting_groups(session, cycle), chunk_size)
        if building and is_open(cycle, today)
        else [],
        "settle": pack([[i] for i in unsettled(session, cycle)], chunk_size),
        "late": pack([[i] for i in late_arrivals(session, cycle)], chunk_size),
        "pay": payable_chunks(session, cycle, size=chunk_size) if cycle.state == PAYING else [],
    }


def after_step(session: Session, cycle: Cycle, *, today: dt.date, work: Plan) -> None:
    """The list's requests due by `today` are done; ask for what it waits for next."""
    subject = Subject(cycle_id=cycle.id)
    follow_ups.settle(session, subject, today=today)
    if any(work.values()):
        follow_ups.request(session, subject, reason="年度名单分批办理")
    elif cycle.state == PUBLICITY:
        ends = dt.date.fromisoformat(str(cycle.details["publicity_ends_on"]))
        follow_ups.request(session, subject, reason="名单公示期满", due_on=ends + ONE_DAY)
    elif cycle.state == BUDGET_STOP:
        follow_ups.request(session, subject, reason="预算核对", due_on=today + ONE_DAY)
    elif cycle.state == BUILDING and not is_open(cycle, today):
        opens = dt.date.fromisoformat(str(cycle.details["opens_on"]))
        follow_ups.request(session, subject, reason="年度集中评审", due_on=opens)
