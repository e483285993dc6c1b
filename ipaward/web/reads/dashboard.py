"""The dashboard's figures: applications by state and measure, each department's backlog
(overdue in official working days), where open applications stand, arrivals and payments
per month, and money against budgets, caps and funds. The same data feeds the page and
/api; every figure counts only what the reader's scope (reads.access.Scope) may open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import Applicant, Application, Cycle, RunRecord, WorkItem
from ipaward.prefect_ui_links import application_runs_url, run_url
from ipaward.repository.runs import RunRef
from ipaward.web.due_distances import DeadlineCounter
from ipaward.web.reads import flow
from ipaward.web.reads import money_figures as money
from ipaward.web.reads.access import Scope
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import STATE_NAMES

RECENT = 50


def applications_by_state(
    session: Session, scope: Scope, *, census: flow.Census | None = None
) -> dict[str, Any]:
    """{"states": [...], "rows": [{"measure", "counts": {state: n}, "total"}], "totals": {...}}."""
    counts = (census or flow.census(session, scope)).states
    states = [s for s in STATE_NAMES if any(s in row for row in counts.values())]
    rows: list[dict[str, Any]] = [
        {"measure": m, "counts": counts[m], "total": sum(counts[m].values())}
        for m in sorted(counts)
    ]
    totals = {s: sum(row["counts"].get(s, 0) for row in rows) for s in states}
    return {"states": states, "rows": rows, "totals": totals, "total": sum(totals.values())}


def backlog(
    session: Session,
    scope: Scope,
    deadlines: DeadlineCounter,
    *,
    today: dt.date,
    escalate_after: int,
) -> list[dict[str, Any]]:
    """Open work items per department, most overdue first. Overdue counts official working
    days past the due date (as reminders do: only rest days since then is not late);
    `escalated` are more than `escalate_after` days late (the lead unit has been told)."""
    rows: dict[str, dict[str, Any]] = {}
    for department, due_on, count in session.execute(
        select(WorkItem.department, WorkItem.due_on, func.count(WorkItem.id))
        .where(WorkItem.state == "open", scope.work_items())
        .group_by(WorkItem.department, WorkItem.due_on)
    ):
        row = rows.setdefault(
            department,
            {"department": department, "open": 0, "overdue": 0, "escalated": 0, "due": []},
        )
        late = deadlines.overdue(due_on, today)
        row["open"] += int(count)
        row["overdue"] += int(count) if late >= 1 else 0
        row["escalated"] += int(count) if late > escalate_after else 0
        if due_on is not None:
            row["due"].append(due_on)
    result = [
        {
            "department": row["department"],
            "open": row["open"],
            "overdue": row["overdue"],
            "escalated": row["escalated"],
            "earliest_due": min(row["due"]).isoformat() if row["due"] else None,
        }
        for row in rows.values()
    ]
    return sorted(result, key=lambda r: (-r["overdue"], -r["open"], r["department"]))


def recent_applications(
    session: Session,
    scope: Scope,
    *,
    prefect_ui_url: str,
    number: str | None = None,
    limit: int = RECENT,
) -> list[dict[str, Any]]:
    """Most recently changed applications in scope (or one number prefix) with links into
    the Prefect UI: every run tagged with the application, and the latest run recorded."""
    query = (
        select(
            Application.id,
            Application.number,
            Application.measure,
            Application.year,
            Application.state,
            Application.stage,
            Applicant.name,
            Application.updated_at,
        )
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(scope.applications())
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .limit(limit)
    )
    if number:
        query = query.where(Application.number.startswith(number, autoescape=True))
    rows = session.execute(query).all()
    latest = latest_runs(session, [row[0] for row in rows])
    pages = _pages(session, scope, rows)
    return [
        {
            "number": n,
            "measure": m,
            "reward_year": year,
            "state": state,
            "stage": stage,
            "applicant": applicant,
            "updated_at": updated,
            "page": pages.get(app_id),
            "prefect_runs": application_runs_url(prefect_ui_url, n),
            "prefect_latest_run": (
                run_url(prefect_ui_url, latest[app_id]) if app_id in latest else None
            ),
        }
        for app_id, n, m, year, state, stage, applicant, updated in rows
    ]


def _pages(session: Session, scope: Scope, rows: Sequence[Any]) -> dict[int, str]:
    """Where the reader opens each row: its application page, else its yearly list page."""
    ids = [row[0] for row in rows]
    if not ids:
        return {}
    openable = set(
        session.scalars(select(Application.id).where(Application.id.in_(ids), scope.openable()))
    )
    pages = {
        row[0]: f"/applications/{quote(row[1], safe='')}" for row in rows if row[0] in openable
    }
    refs = {(row[2], row[3]): row[0] for row in rows if row[0] not in openable and row[3]}
    if refs and not scope.everything:
        for item_id, measure, year in session.execute(
            select(func.min(WorkItem.id), Cycle.measure, Cycle.year)
            .join(Cycle, Cycle.id == WorkItem.cycle_id)
            .where(WorkItem.department == scope.department)
            .group_by(Cycle.measure, Cycle.year)
        ):
            if (measure, year) in refs:
                pages[refs[measure, year]] = f"/work-items/{item_id}"
    return pages


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


def money_figures(
    session: Session,
    scope: Scope,
    ctx: WorkflowContext,
    *,
    today: dt.date,
    groups: list[flow.OpenGroup] | None = None,
) -> dict[str, Any]:
    """Payments (by reward and posting year), money against limits, and the funds."""
    paid = money.paid(session, scope, ctx.policy)
    if groups is None:
        groups = flow.open_groups(session, scope)
    return {
        "total_paid": sum(r["paid"] for r in paid),
        "paid": paid,
        "limits": money.limits(
            session,
            scope,
            ctx.policy,
            config_dir=ctx.settings.config_dir,
            paid_rows=paid,
            groups=groups,
            today=today,
        ),
        "funds": money.funds(session, scope, ctx.policy, today),
    }


def dashboard(
    session: Session,
    scope: Scope,
    ctx: WorkflowContext,
    deadlines: DeadlineCounter,
    *,
    today: dt.date,
    prefect_ui_url: str,
) -> dict[str, Any]:
    census = flow.census(session, scope)
    return {
        "today": today.isoformat(),
        "applications": applications_by_state(session, scope, census=census),
        "pipeline": flow.pipeline(census.groups, flow.stage_order(ctx.policy, today)),
        "backlog": backlog(
            session,
            scope,
            deadlines,
            today=today,
            escalate_after=ctx.procedure.escalation_working_days,
        ),
        "monthly": flow.monthly(session, scope, today=today, submitted_dates=census.submitted),
        "money": money_figures(session, scope, ctx, today=today, groups=census.groups),
        "recent": recent_applications(session, scope, prefect_ui_url=prefect_ui_url),
    }
