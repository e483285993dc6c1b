"""The department inbox: open work items, filtered, sorted by due date, 50 per page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from ipaward.bounds import PAGES, whole_number, within
from ipaward.web.deps import CurrentOfficer, State
from ipaward.web.pages import render
from ipaward.web.reads.inbox import SORTS, InboxFilter, InboxPage, inbox_page
from ipaward.web.state import WebState
from ipaward.workflow.states import STAGE_NAMES

router = APIRouter()


def parse_filter(params: QueryParams, state: WebState) -> InboxFilter:
    """Unknown values are ignored rather than refused: a stale bookmark still opens."""
    measures = state.ctx.policy.current(state.config.today()).measures
    measure = params.get("measure") or None
    stage = params.get("stage") or None
    sort = params.get("sort") or "due"
    page = whole_number(params.get("page") or "")
    return InboxFilter(
        measure=measure if measure in measures else None,
        stage=stage if stage in STAGE_NAMES else None,
        overdue=params.get("overdue") in ("1", "on", "true"),
        sort=sort if sort in SORTS else "due",
        page=page if page is not None and within(page, PAGES) else 1,
    )


def load_inbox(
    session: Session, state: WebState, department: str, filters: InboxFilter
) -> InboxPage:
    return inbox_page(
        session,
        state.ctx.policy,
        state.deadlines,
        department=department,
        filters=filters,
        today=state.config.today(),
        page_size=state.config.page_size,
    )


@router.get("/")
def home(officer: CurrentOfficer) -> Response:
    return RedirectResponse("/dashboard" if officer.is_operator else "/inbox", status_code=303)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, state: State, officer: CurrentOfficer) -> Response:
    if officer.is_operator:
        return RedirectResponse("/dashboard", status_code=303)
    filters = parse_filter(request.query_params, state)
    with state.reading() as session:
        page = load_inbox(session, state, officer.department, filters)
    measures = state.ctx.policy.current(state.config.today()).measures
    return render(
        request,
        "inbox.html",
        officer=officer,
        page=page,
        filters=filters,
        base_query=filters.as_query(),
        measures=measures,
        stages=STAGE_NAMES,
    )
