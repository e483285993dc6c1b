"""The operator's figures: applications by state and measure, each department's backlog,
money paid against budgets and funds; the same data feeds the page and /api."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, case, cast, extract, func, select
from sqlalchemy.orm import Session

from ipaward.config.policy import Policy
from ipaward.db.models import (
    Applicant,
    Application,
    Budget,
    Fund,
    LedgerEntry,
    RunRecord,
    WorkItem,
)
from ipaward.prefect_ui_links import application_runs_url, run_url
from ipaward.repository.runs import RunRef
from ipaward.workflow.states import STATE_NAMES

RECENT = 50


def applications_by_state(session: Session) -> dict[str, Any]:
    """{"states": [...], "rows": [{"measure", "counts": {state: n}, "total"}], "totals": {...}}."""
    counts: dict[str, dict[str, int]] = {}
    for measure, state, count in session.execute(
        select(Application.measure, Application.state, func.count(Application.id)).group_by(
            Application.measure, Application.state
        )
    ):
        counts.setdefault(measure, {})[state] = int(count)
    states = [s for s in STATE_NAMES if any(s in row for row in counts.values())]
    rows: list[dict[str, Any]] = [
        {"measure": m, "counts": counts[m], "total": sum(counts[m].values())}
        for m in sorted(counts)
    ]
    totals = {s: sum(row["counts"].get(s, 0) for row in rows) for s in states}
    return {"states": states, "rows": rows, "totals": totals, "total": sum(totals.values())}


def backlog(session: Session, *, today: dt.date) -> list[dict[str, Any]]:
    """Open and overdue work items per department, largest backlog first."""
    overdue = func.sum(case((WorkItem.due_on < today, 1), else_=0))
    rows = session.execute(
        select(
            WorkItem.department,
            func.count(WorkItem.id),
            overdue,
            func.min(WorkItem.due_on),
        )
        .where(WorkItem.state == "open")
        .group_by(WorkItem.department)
    )
    result = [
        {
            "department": department,
            "open": int(count),
            "overdue": int(late or 0),
            "earliest_due": earliest.isoformat() if earliest else None,
        }
        for department, count, late, earliest in rows
    ]
    return sorted(result, key=lambda r: (-r["overdue"], -r["open"], r["department"]))


def money(session: Session, policy: Policy) -> dict[str, Any]:
    """Paid per measure and year (city / jurisdiction shares), budgets, and fund balances; a
    measure is shown by the clause number and title of the edition judging that year."""
    year = func.coalesce(LedgerEntry.year, cast(extract("year", LedgerEntry.posted_at), Integer))
    paid: dict[tuple[str, int], dict[str, Any]] = {}
    for measure, paid_year, count, amount, city, local in session.execute(
        select(
            LedgerEntry.measure,
            year,
            func.count(LedgerEntry.id),
            func.sum(LedgerEntry.amount),
            func.sum(LedgerEntry.city_amount),
            func.sum(LedgerEntry.jurisdiction_amount),
        ).group_by(LedgerEntry.measure, year)
    ):
        paid[(measure, int(paid_year))] = {
            "measure": measure,
            "year": int(paid_year),
            "payments": int(count),
            "paid": int(amount or 0),
            "city": int(city or 0),
            "jurisdiction": int(local or 0),
            "budget": None,
            "committed": None,
        }
    for budget in session.scalars(select(Budget)):
        row = paid.setdefault(
            (budget.measure, budget.year),
            {
                "measure": budget.measure,
                "year": budget.year,
                "payments": 0,
                "paid": 0,
                "city": 0,
                "jurisdiction": 0,
            },
        )
        row["budget"], row["committed"] = budget.amount, budget.committed
    funds = [
        {
            "code": f.code,
            "name": f.name,
            "capacity": f.capacity,
            "balance": f.balance,
            "used": f.capacity - f.balance,
        }
        for f in session.scalars(select(Fund).order_by(Fund.code))
    ]
    for row in paid.values():
        row["code"], row["title"] = policy.measure_named(row["measure"], row["year"])
    lines = sorted(paid.values(), key=lambda r: (r["code"], r["year"]))
    return {
        "by_measure_year": lines,
        "total_paid": sum(r["paid"] for r in lines),
        "funds": funds,
    }


def recent_applications(
    session: Session, *, prefect_ui_url: str, number: str | None = None, limit: int = RECENT
) -> list[dict[str, Any]]:
    """Most recently changed applications (or one number prefix) with links into the Prefect
    UI: every run tagged with the application, and the latest run recorded for it."""
    query = (
        select(
            Application.id,
            Application.number,
            Application.measure,
            Application.state,
            Application.stage,
            Applicant.name,
            Application.updated_at,
        )
        .join(Applicant, Applicant.id == Application.applicant_id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .limit(limit)
    )
    if number:
        query = query.where(Application.number.startswith(number, autoescape=True))
    rows = session.execute(query).all()
    latest = latest_runs(session, [row[0] for row in rows])
    return [
        {
            "number": n,
            "measure": m,
            "state": state,
            "stage": stage,
            "applicant": applicant,
            "updated_at": updated,
            "prefect_runs": application_runs_url(prefect_ui_url, n),
            "prefect_latest_run": (
                run_url(prefect_ui_url, latest[app_id]) if app_id in latest else None
            ),
        }
        for app_id, n, m, state, stage, applicant, updated in rows
    ]


def latest_runs(session: Session, application_ids: Sequence[int]) -> dict[int, RunRef]:
    """The newest recorded run per application (run_records), where there is one."""
    if not application_ids:
        return {}
    found: dict[int, RunRef] = {}
    for app_id, flow_run_id, task_run_id, name in session.execute(
        select(
            RunRecord.application_id, RunRecord.flow_run_id, RunRecord.task_run_id, RunRecord.name
        )
        .where(RunRecord.application_id.in_(application_ids))
        .order_by(RunRecord.id)
    ):
        if app_id is not None:
            found[app_id] = RunRef(flow_run_id=flow_run_id, task_run_id=task_run_id, name=name)
    return found


def dashboard(
    session: Session, policy: Policy, *, today: dt.date, prefect_ui_url: str
) -> dict[str, Any]:
    return {
        "today": today.isoformat(),
        "applications": applications_by_state(session),
        "backlog": backlog(session, today=today),
        "money": money(session, policy),
        "recent": recent_applications(session, prefect_ui_url=prefect_ui_url),
    }
