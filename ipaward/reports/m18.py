"""措施(十八) 强化组织领导与考核评价: the leading group's yearly assessment compiles every
measure's results. Figures come from the database only: applications, approvals, amounts
by jurisdiction (city and county shares), the annual lists, the programme work, and how
long each department took to decide (official working days from work item to decision).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ipaward.config.edition import Edition
from ipaward.db.models import Application, Cycle, Decision, LedgerEntry, Programme, WorkItem
from ipaward.repository.audit import chain_head
from ipaward.settings import PROJECT_ROOT
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.limits import check_year
from ipaward.workflow.states import PAID, REJECTED, WITHDRAWN

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "reports"


@dataclass
class MeasureFigures:
    code: str
    title: str
    kind: str
    applications: int = 0
    paid: int = 0
    rejected: int = 0
    withdrawn: int = 0
    open: int = 0
    amount: int = 0
    city: int = 0
    county: int = 0
    by_jurisdiction: dict[str, int] = field(default_factory=dict)  # name → yuan
    work: str = ""  # programme measures: how far the year's work went


@dataclass
class DepartmentTimes:
    name: str
    decisions: int
    median_days: float
    longest_days: int
    late: int  # decided after the due date


@dataclass
class M18Report:
    year: int
    policy_title: str
    measures: list[MeasureFigures]
    departments: list[DepartmentTimes]
    cycles: list[dict[str, object]]
    generated_on: dt.date
    # The audit chain's head when the figures were read: (id, hash). Published with
    # the report, so a chain rewritten later no longer leads to it (`ipaward verify --head`).
    chain_head: tuple[int, str] | None = None

    @property
    def totals(self) -> dict[str, int]:
        return {
            "applications": sum(m.applications for m in self.measures),
            "paid": sum(m.paid for m in self.measures),
            "amount": sum(m.amount for m in self.measures),
            "city": sum(m.city for m in self.measures),
            "county": sum(m.county for m in self.measures),
        }


def m18_report(session: Session, ctx: WorkflowContext, *, year: int, today: dt.date) -> M18Report:
    check_year(year)
    edition = ctx.policy.current(min(dt.date(year, 12, 31), ctx.policy.editions[-1].valid_until))
    measures = {
        code: MeasureFigures(code=code, title=m.title, kind=m.kind)
        for code, m in edition.measures.items()
    }
    _applications(session, ctx, edition, year, measures)
    _programme(session, year, measures)
    return M18Report(
        chain_head=chain_head(session),
        year=year,
        policy_title=edition.title,
        measures=list(measures.values()),
        departments=_department_times(session, ctx, year),
        cycles=[
            {"measure": c.measure, "state": c.state, "total": c.total}
            for c in session.scalars(
                select(Cycle).where(Cycle.year == year).order_by(Cycle.measure)
            )
        ],
        generated_on=today,
    )


def _in_year(year: int) -> ColumnElement[bool]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return or_(
        Application.year == year,
        and_(Application.year.is_(None), Application.submitted_on.between(first, last)),
    )


def _applications(
    session: Session,
    ctx: WorkflowContext,
    edition: Edition,
    year: int,
    measures: dict[str, MeasureFigures],
) -> None:
    # A measure is counted by identity: an application judged under another edition (which
    # may number it otherwise) lands on the line of the report edition's clause.
    by_identity = {edition.measure(line.code).identity: line for line in measures.values()}
    states = session.execute(
        select(
            Application.edition, Application.measure, Application.state, func.count(Application.id)
        )
        .where(_in_year(year))
        .group_by(Application.edition, Application.measure, Application.state)
    )
    for edition_code, code, state, count in states:
        identity = ctx.policy.edition(edition_code).measure(code).identity
        line = by_identity.get(identity)
        if line is None:
            continue
        line.applications += int(count)
        kinds: dict[str, str] = {PAID: "paid", REJECTED: "rejected", WITHDRAWN: "withdrawn"}
        kind = kinds.get(state, "open")
        setattr(line, kind, getattr(line, kind) + int(count))
    money = session.execute(
        select(
            LedgerEntry.measure,
            LedgerEntry.jurisdiction,
            func.sum(LedgerEntry.amount),
            func.sum(LedgerEntry.city_amount),
            func.sum(LedgerEntry.jurisdiction_amount),
        )
        .join(Application, Application.id == LedgerEntry.application_id)
        .where(_in_year(year))
        .group_by(LedgerEntry.measure, LedgerEntry.jurisdiction)
    )
    places = ctx.policy.directory.jurisdictions
    for identity, place, amount, city, county in money:
        line = by_identity.get(identity)
        if line is None:
            continue
        line.amount += int(amount)
        line.city += int(city)
        line.county += int(county)
        name = places[place].name if place is not None and place in places else "市级"
        line.by_jurisdiction[name] = line.by_jurisdiction.get(name, 0) + int(amount)
    for line in measures.values():
        line.by_jurisdiction = dict(sorted(line.by_jurisdiction.items(), key=lambda kv: -kv[1]))


def _programme(session: Session, year: int, measures: dict[str, MeasureFigures]) -> None:
    for line in measures.values():
        if line.kind != "programme":
            continue
        items = list(
            session.scalars(
                select(WorkItem)
                .join(Programme, Programme.id == WorkItem.programme_id)
                .where(Programme.measure == line.code, Programme.year == year)
            )
        )
        done = sum(1 for i in items if i.state == "done")
        stages = sorted({i.stage for i in items if i.state == "done"})
        line.work = f"{done}/{len(items)}项待办已办结" + (
            f"({'、'.join(stages)})" if stages else ""
        )


def _department_times(session: Session, ctx: WorkflowContext, year: int) -> list[DepartmentTimes]:
    """Decisions on the year's applications, annual lists and programme work."""
    rows = session.execute(
        select(WorkItem.department, WorkItem.created_at, WorkItem.due_on, Decision.decided_at)
        .join(Decision, Decision.work_item_id == WorkItem.id)
        .outerjoin(Application, Application.id == WorkItem.application_id)
        .outerjoin(Cycle, Cycle.id == WorkItem.cycle_id)
        .outerjoin(Programme, Programme.id == WorkItem.programme_id)
        .where(or_(_in_year(year), Cycle.year == year, Programme.year == year))
    )
    days: dict[str, list[int]] = defaultdict(list)
    late: dict[str, int] = defaultdict(int)
    for department, created, due, decided in rows:
        days[department].append(ctx.calendar.working_days_between(created.date(), decided.date()))
        if due is not None and decided.date() > due:
            late[department] += 1
    directory = ctx.policy.directory
    return sorted(
        (
            DepartmentTimes(
                name=directory.department(code).short if code in directory.departments else code,
                decisions=len(spans),
                median_days=float(statistics.median(spans)),
                longest_days=max(spans),
                late=late[code],
            )
            for code, spans in days.items()
        ),
        key=lambda d: (-d.median_days, d.name),
    )


@cache
def _environment() -> SandboxedEnvironment:
    """Markdown, not HTML: no autoescaping; StrictUndefined like the notices."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yuan"] = lambda value: f"{int(value):,}"
    return env


def render_m18(report: M18Report) -> str:
    return _environment().get_template("m18.md.j2").render(report=report, totals=report.totals)
