"""The dashboard's figures and the officer's own views as JSON, same access rules as the pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ipaward.web.deps import CurrentOfficer, DashboardOfficer, State
from ipaward.web.error_pages import PageNotFound
from ipaward.web.reads import dashboard as reads
from ipaward.web.reads import flow
from ipaward.web.reads.access import scope_of, visible_application_id
from ipaward.web.routes.dashboard import figures
from ipaward.web.routes.inbox import load_inbox, parse_filter
from ipaward.workflow.queries import application_status

router = APIRouter(prefix="/api")


@router.get("/dashboard")
def dashboard(state: State, officer: DashboardOfficer) -> dict[str, Any]:
    """Everything the dashboard page shows (what the officer's department may open)."""
    with state.reading() as session:
        return figures(session, state, officer)


@router.get("/applications/by-state")
def applications_by_state(state: State, officer: DashboardOfficer) -> dict[str, Any]:
    with state.reading() as session:
        return reads.applications_by_state(session, scope_of(session, officer.department))


@router.get("/backlog")
def backlog(state: State, officer: DashboardOfficer) -> list[dict[str, Any]]:
    with state.reading() as session:
        return reads.backlog(
            session,
            scope_of(session, officer.department),
            state.deadlines,
            today=state.config.today(),
            escalate_after=state.ctx.procedure.escalation_working_days,
        )


@router.get("/money")
def money(state: State, officer: DashboardOfficer) -> dict[str, Any]:
    with state.reading() as session:
        return reads.money_figures(
            session, scope_of(session, officer.department), state.ctx, today=state.config.today()
        )


@router.get("/pipeline")
def pipeline(state: State, officer: DashboardOfficer) -> list[dict[str, Any]]:
    """Open applications per stage, in route order."""
    today = state.config.today()
    with state.reading() as session:
        groups = flow.open_groups(session, scope_of(session, officer.department))
    return flow.pipeline(groups, flow.stage_order(state.ctx.policy, today))


@router.get("/monthly")
def monthly(state: State, officer: DashboardOfficer) -> dict[str, Any]:
    """Applications submitted and paid per month (Zhangzhou's dates)."""
    with state.reading() as session:
        return flow.monthly(
            session, scope_of(session, officer.department), today=state.config.today()
        )


@router.get("/inbox")
def inbox(request: Request, state: State, officer: CurrentOfficer) -> dict[str, Any]:
    """The officer's inbox page as JSON (same filters and paging as /inbox)."""
    filters = parse_filter(request.query_params, state)
    with state.reading() as session:
        page = load_inbox(session, state, officer.department, filters)
    return {
        "department": officer.department,
        "total": page.total,
        "total_capped": page.capped,
        "page": page.page,
        "pages": page.pages,
        "items": [row.as_json() for row in page.rows],
    }


@router.get("/applications/{number}")
def application(number: str, state: State, officer: CurrentOfficer) -> dict[str, Any]:
    """State, route with every decision, documents and notices of a visible application."""
    with state.reading() as session:
        if visible_application_id(session, number=number, department=officer.department) is None:
            raise PageNotFound()
        return application_status(session, number=number)
