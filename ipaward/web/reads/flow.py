"""Where open applications stand (the pipeline) and how many arrive and are paid per month.

An annual application settled in a yearly list keeps the state 待年度集中评审 while its
list goes through the route: it stands at the list's stage. Amounts in flight are the
list line's settled amount, else the assessed amount of an eligible application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ipaward import clock
from ipaward.config.edition import PAYING_KINDS
from ipaward.config.policy import Policy
from ipaward.db.models import Application, Cycle, CycleLine, LedgerEntry
from ipaward.web.reads.access import Scope
from ipaward.web.reads.periods import (
    month_of,
    months_back,
    months_between,
    next_month,
    period_index,
)
from ipaward.workflow.states import (
    AWAITING_CYCLE,
    CORRECTION_REQUESTED,
    FINANCE_STAGE,
    OBJECTION_STAGE,
    OPEN_STATES,
    PUBLICITY,
    PUBLICITY_STAGE,
    STAGE_NAMES,
)

INTAKE, CORRECTION = "intake", "correction"
BEFORE_ROUTE = {
    INTAKE: "受理审查",
    CORRECTION: "待申请人补正",
    AWAITING_CYCLE: "待年度集中评审",
}
APPROVED = frozenset({PUBLICITY_STAGE, FINANCE_STAGE})  # every review passed, not yet paid
MONTHS = 24  # the throughput chart's window


@dataclass(frozen=True, kw_only=True)
class OpenGroup:
    """Open applications of one measure and reward year standing at one position."""

    measure: str
    year: int | None
    position: str  # a stage code, or INTAKE / CORRECTION / AWAITING_CYCLE
    count: int
    amount: int  # settled line amount, else the assessed amount when eligible

    @property
    def approved(self) -> bool:
        return self.position in APPROVED


def position_of(state: str, stage: str | None, list_stage: str | None) -> str:
    if state == CORRECTION_REQUESTED:
        return CORRECTION
    if state == PUBLICITY:
        return PUBLICITY_STAGE
    if state == AWAITING_CYCLE:
        return list_stage or AWAITING_CYCLE
    return stage or INTAKE


@dataclass(frozen=True, kw_only=True)
class Census:
    """One grouped pass over the applications in scope (the table is wide: its JSON
    documents make every scan cost, so the dashboard reads it once)."""

    groups: list[OpenGroup]  # open applications by measure, reward year and position
    states: dict[str, dict[str, int]]  # every application: measure → state → count
    submitted: dict[dt.date, int]  # every application: submission date → count


def census(session: Session, scope: Scope) -> Census:
    assessed = Application.assessment["amount"].as_integer()
    eligible = Application.assessment["eligible"].as_boolean()
    lines = (
        select(
            CycleLine.application_id,
            CycleLine.amount,
            Cycle.measure,
            Cycle.year,
            Cycle.state,
            Cycle.stage,
        )
        .join(Cycle, Cycle.id == CycleLine.cycle_id)
        .where(CycleLine.status == "included")
        .subquery()
    )
    in_flight = case(
        (Application.state.not_in(OPEN_STATES), 0),
        (lines.c.amount.is_not(None), lines.c.amount),
        (eligible, func.coalesce(assessed, 0)),
        else_=0,
    )
    on_list = and_(
        lines.c.application_id == Application.id,
        lines.c.measure == Application.measure,
        lines.c.year == Application.year,
    )
    keys = (
        Application.measure,
        Application.year,
        Application.state,
        Application.stage,
        lines.c.state,
        lines.c.stage,
        Application.submitted_on,
    )
    rows = session.execute(
        select(*keys, func.count(Application.id), func.sum(in_flight))
        .outerjoin(lines, on_list)
        .where(scope.applications())
        .group_by(*keys)
    )
    merged: dict[tuple[str, int | None, str], list[int]] = {}
    states: dict[str, dict[str, int]] = {}
    submitted: dict[dt.date, int] = {}
    for measure, year, state, stage, list_state, list_stage, day, count, total in rows:
        per_measure = states.setdefault(measure, {})
        per_measure[state] = per_measure.get(state, 0) + int(count)
        if day is not None:
            submitted[day] = submitted.get(day, 0) + int(count)
        if state not in OPEN_STATES:
            continue
        shown = PUBLICITY_STAGE if list_state == PUBLICITY else list_stage
        sums = merged.setdefault((measure, year, position_of(state, stage, shown)), [0, 0])
        sums[0] += int(count)
        sums[1] += int(total or 0)
    groups = [
        OpenGroup(measure=m, year=y, position=p, count=c, amount=a)
        for (m, y, p), (c, a) in sorted(
            merged.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])
        )
    ]
    return Census(groups=groups, states=states, submitted=submitted)


def open_groups(session: Session, scope: Scope) -> list[OpenGroup]:
    """Open applications in scope by measure, reward year and position (grouped in SQL)."""
    return census(session, scope).groups


def stage_order(policy: Policy, today: dt.date) -> list[str]:
    """Positions in route order: before the route, then every paying route's stages as
    config orders them (异议复核 right after 公示)."""
    order = list(BEFORE_ROUTE)
    for measure in policy.current(today).measures.values():
        if measure.kind not in PAYING_KINDS:
            continue
        for stage in measure.route:
            if stage.stage not in order:
                order.append(stage.stage)
    return in_route_order(order)


def in_route_order(codes: list[str]) -> list[str]:
    """Stages as a route walks them: 异议复核 is not a configured stage but happens during
    公示, so it stands right after 公示 (before finance on a route whose 公示 is its list's),
    never after the stages that follow it."""
    if OBJECTION_STAGE not in codes:
        return list(codes)
    order = [code for code in codes if code != OBJECTION_STAGE]
    if PUBLICITY_STAGE in order:
        at = order.index(PUBLICITY_STAGE) + 1
    elif FINANCE_STAGE in order:
        at = order.index(FINANCE_STAGE)
    else:
        at = len(order)
    return [*order[:at], OBJECTION_STAGE, *order[at:]]


def position_name(position: str) -> str:
    return BEFORE_ROUTE.get(position) or STAGE_NAMES.get(position, position)


def pipeline(groups: list[OpenGroup], order: list[str]) -> list[dict[str, Any]]:
    """Open applications per position in route order (every position, zeros included)."""
    counts: dict[str, int] = {}
    amounts: dict[str, int] = {}
    for group in groups:
        counts[group.position] = counts.get(group.position, 0) + group.count
        amounts[group.position] = amounts.get(group.position, 0) + group.amount
    positions = order + sorted(set(counts) - set(order))
    return [
        {
            "stage": position,
            "name": position_name(position),
            "count": counts.get(position, 0),
            "amount": amounts.get(position, 0),
        }
        for position in positions
    ]


def monthly(
    session: Session,
    scope: Scope,
    *,
    today: dt.date,
    submitted_dates: dict[dt.date, int] | None = None,
) -> dict[str, Any]:
    """Applications submitted and applications paid per month, by Zhangzhou's date (the last
    MONTHS months up to today or the latest record, whichever is later). `submitted_dates`
    is the census's, when the caller has one."""
    if submitted_dates is None:
        submitted_dates = census(session, scope).submitted
    scoped = LedgerEntry.application_id.in_(select(Application.id).where(scope.applications()))
    first_paid, last_paid = session.execute(
        select(func.min(LedgerEntry.posted_at), func.max(LedgerEntry.posted_at)).where(scoped)
    ).one()
    known = [*submitted_dates, *(clock.local_date(t) for t in (first_paid, last_paid) if t)]
    end = max([month_of(today), *map(month_of, known)])
    start = max([min([end, *map(month_of, known)]), months_back(end, MONTHS - 1)])
    months = months_between(start, end)
    submitted = [0] * len(months)
    index = {month: i for i, month in enumerate(months)}
    for day, count in submitted_dates.items():
        if month_of(day) in index:
            submitted[index[month_of(day)]] += int(count)
    paid, paid_amount = [0] * len(months), [0] * len(months)
    bucket = period_index(LedgerEntry.posted_at, months, next_month(end))
    for i, count, amount in session.execute(
        select(
            bucket,
            func.count(func.distinct(LedgerEntry.application_id)),
            func.sum(LedgerEntry.amount),
        )
        .where(scoped, bucket.is_not(None))
        .group_by(bucket)
    ):
        paid[int(i)], paid_amount[int(i)] = int(count), int(amount or 0)
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "submitted": submitted,
        "paid": paid,
        "paid_amount": paid_amount,
    }
