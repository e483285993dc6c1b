"""The operator dashboard: states per measure, backlogs, money, links to Prefect runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, WorkItem
from ipaward.operators import MAILBOX, recent_messages
from ipaward.web.deps import DashboardOfficer, Officer, State
from ipaward.web.pages import render
from ipaward.web.reads.dashboard import dashboard, recent_applications
from ipaward.web.state import WebState

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, state: State, officer: DashboardOfficer) -> HTMLResponse:
    with state.reading() as session:
        return _dashboard(request, state, session, officer)


def _dashboard(
    request: Request, state: WebState, session: Session, officer: Officer
) -> HTMLResponse:
    today = state.config.today()
    data = dashboard(
        session, state.ctx.policy, today=today, prefect_ui_url=state.config.prefect_ui_url
    )
    search = (request.query_params.get("q") or "").strip()[:40]
    if search:
        data["recent"] = recent_applications(
            session, prefect_ui_url=state.config.prefect_ui_url, number=search
        )
    numbers = [row["number"] for row in data["recent"]]
    if officer.is_operator:
        linkable = set(numbers)
    else:  # the lead unit opens only the applications it has (or had) an item on
        linkable = set(
            session.scalars(
                select(Application.number)
                .join(WorkItem, WorkItem.application_id == Application.id)
                .where(Application.number.in_(numbers), WorkItem.department == officer.department)
            )
        )
    return render(
        request,
        "dashboard.html",
        officer=officer,
        data=data,
        search=search,
        linkable=linkable,
        prefect_ui_url=state.config.prefect_ui_url,
        operator_messages=recent_messages(state.settings.home) if officer.is_operator else [],
        operator_mailbox=state.settings.home / MAILBOX,
    )
