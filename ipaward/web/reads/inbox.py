"""A department's open work items, one page at a time; filters and order run in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ipaward.config.policy import Policy
from ipaward.db.models import Applicant, Application, Cycle, Programme, WorkItem
from ipaward.web.due_distances import DeadlineCounter

SORTS = ("due", "-due")
COUNT_CAP = 10_000


@dataclass(frozen=True, kw_only=True)
class InboxFilter:
    measure: str | None = None
    stage: str | None = None
    overdue: bool = False
    sort: str = "due"
    page: int = 1

    def as_query(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "stage": self.stage,
            "overdue": "1" if self.overdue else None,
            "sort": None if self.sort == "due" else self.sort,
        }


@dataclass(frozen=True, kw_only=True)
class InboxRow:
    work_item: int
    version: int
    number: str | None  # None for an annual list's or a programme year's item
    subject: str | None  # for those: "2024年度M07" (the applicant column says which kind)
    measure: str
    applicant: str
    stage: str
    round: int
    amount: int | None
    due_on: dt.date | None
    overdue_days: int
    remaining_days: int | None

    def as_json(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["due_on"] = self.due_on.isoformat() if self.due_on else None
        return data


@dataclass(frozen=True, kw_only=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    capped: bool  # more than COUNT_CAP items match
    page: int
    pages: int
    page_size: int


def _filtered(
    query: Select[Any], policy: Policy, *, department: str, filters: InboxFilter, today: dt.date
) -> Select[Any]:
    query = query.where(WorkItem.department == department, WorkItem.state == "open")
    if filters.stage:
        query = query.where(WorkItem.stage == filters.stage)
    if filters.overdue:
        query = query.where(WorkItem.due_on < today)
    if filters.measure:
        if _is_programme(policy, filters.measure, today):
            query = query.where(
                WorkItem.programme_id.in_(
                    select(Programme.id).where(Programme.measure == filters.measure)
                )
            )
        else:  # its applications' items, and the items of its annual lists
            query = query.where(
                or_(
                    WorkItem.application_id.in_(
                        select(Application.id).where(Application.measure == filters.measure)
                    ),
                    WorkItem.cycle_id.in_(select(Cycle.id).where(Cycle.measure == filters.measure)),
                )
            )
    return query


def _is_programme(policy: Policy, code: str, today: dt.date) -> bool:
    measure = policy.current(today).measures.get(code)
    return measure is not None and measure.kind == "programme"


def inbox_page(
    session: Session,
    policy: Policy,
    deadlines: DeadlineCounter,
    *,
    department: str,
    filters: InboxFilter,
    today: dt.date,
    page_size: int,
) -> InboxPage:
    """One page of the inbox, earliest due first (or last first with sort="-due").

    The total is counted up to COUNT_CAP (the pager reaches that far; a larger backlog
    reads "10,000+" and is narrowed with the filters): counting 50,000 rows on every
    request would cost more than the page itself. The page's ids come from the covering
    index first, and only those 50 rows are joined to their applications.
    """
    counted = _filtered(
        select(WorkItem.id), policy, department=department, filters=filters, today=today
    ).limit(COUNT_CAP + 1)
    total = int(session.scalar(select(func.count()).select_from(counted.subquery())) or 0)
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, -(-total // page_size))
    page = min(max(filters.page, 1), pages)
    order = (
        (WorkItem.due_on.desc(), WorkItem.id.desc())
        if filters.sort == "-due"
        else (WorkItem.due_on, WorkItem.id)
    )
    ids = [
        item_id
        for (item_id,) in session.execute(
            _filtered(
                select(WorkItem.id), policy, department=department, filters=filters, today=today
            )
            .order_by(*order)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    ]
    query = (
        select(
            WorkItem.id,
            WorkItem.version,
            func.coalesce(Cycle.measure, Programme.measure),
            func.coalesce(Cycle.year, Programme.year),
            WorkItem.cycle_id.is_not(None),
            WorkItem.stage,
            WorkItem.round,
            WorkItem.due_on,
            Application.number,
            Application.measure,
            Applicant.name,
            Application.assessment["amount"].as_integer(),
        )
        .select_from(WorkItem)
        .outerjoin(Application, Application.id == WorkItem.application_id)
        .outerjoin(Applicant, Applicant.id == Application.applicant_id)
        .outerjoin(Cycle, Cycle.id == WorkItem.cycle_id)
        .outerjoin(Programme, Programme.id == WorkItem.programme_id)
        .where(WorkItem.id.in_(ids))
        .order_by(*order)
    )
    rows = [
        InboxRow(
            work_item=item_id,
            version=version,
            number=number,
            subject=None if number else f"{yearly_year}年度{yearly_measure}",
            measure=measure or yearly_measure,
            applicant=applicant or ("年度集中评审名单" if is_list else "年度工作任务"),
            stage=stage,
            round=round_,
            amount=amount,
            due_on=due_on,
            overdue_days=deadlines.overdue(due_on, today),
            remaining_days=deadlines.remaining(due_on, today),
        )
        for (
            item_id,
            version,
            yearly_measure,
            yearly_year,
            is_list,
            stage,
            round_,
            due_on,
            number,
            measure,
            applicant,
            amount,
        ) in (session.execute(query) if ids else [])
    ]
    return InboxPage(
        rows=rows, total=total, capped=capped, page=page, pages=pages, page_size=page_size
    )
