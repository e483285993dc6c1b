"""The dashboard: charts of money, the pipeline, backlogs and monthly throughput, the tables
behind them, and links to Prefect runs; only what the reader's department may open."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from ipaward.go_live import go_live_placeholders
from ipaward.operators import MAILBOX, recent_messages
from ipaward.web.charts.dashboard_charts import dashboard_charts
from ipaward.web.deps import DashboardOfficer, Officer, State
from ipaward.web.pages import render
from ipaward.web.reads.access import scope_of
from ipaward.web.reads.dashboard import dashboard, recent_applications
from ipaward.web.state import WebState

router = APIRouter()


def figures(session: Session, state: WebState, officer: Officer) -> dict[str, Any]:
    """Everything the dashboard shows, as /api/dashboard returns it."""
    return dashboard(
        session,
        scope_of(session, officer.department),
        state.ctx,
        state.deadlines,
        today=state.config.today(),
        prefect_ui_url=state.config.prefect_ui_url,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, state: State, officer: DashboardOfficer) -> HTMLResponse:
    search = (request.query_params.get("q") or "").strip()[:40]
    with state.reading() as session:
        data = figures(session, state, officer)
        if search:
            data["recent"] = recent_applications(
                session,
                scope_of(session, officer.department),
                prefect_ui_url=state.config.prefect_ui_url,
                number=search,
            )
    today = state.config.today()
    return render(
        request,
        "dashboard.html",
        officer=officer,
        data=data,
        charts=dashboard_charts(
            data,
            state.ctx.policy,
            today=today,
            escalate_after=state.ctx.procedure.escalation_working_days,
        ),
        measure_names={
            code: f"{m.cites} {m.title}"
            for code, m in state.ctx.policy.current(today).measures.items()
        },
        search=search,
        prefect_ui_url=state.config.prefect_ui_url,
        # the list `ipaward check` prints, read fresh: it goes once the config is set
        go_live=go_live_placeholders(
            state.ctx.policy, state.ctx.procedure, config_dir=state.settings.config_dir
        ),
        operator_messages=recent_messages(state.settings.home) if officer.is_operator else [],
        operator_mailbox=state.settings.home / MAILBOX,
    )
