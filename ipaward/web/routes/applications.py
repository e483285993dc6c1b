"""The application page and its decision forms; yearly work items and lists; documents."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from ipaward.bounds import whole_number
from ipaward.db.models import Application, Decision, Document, WorkItem
from ipaward.dispatch import hand_off
from ipaward.documents.store import stored_path
from ipaward.prefect_ui_links import run_url
from ipaward.repository.subjects import yearly_subject
from ipaward.web.decision_form import DecisionForm, check_decision, parse_decision
from ipaward.web.deps import CheckedForm, CurrentOfficer, Officer, RecordId, State
from ipaward.web.error_pages import BadForm, Forbidden, PageNotFound
from ipaward.web.pages import render
from ipaward.web.reads.access import can_see_application_id, visible_application_id
from ipaward.web.reads.application_page import (
    application_view,
)
from ipaward.web.reads.return_form import return_documents, return_fields
from ipaward.web.reads.yearly import list_lines
from ipaward.web.state import WebState
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.decisions import decide
from ipaward.workflow.errors import (
    ConcurrentDecision,
    NotFound,
    NotYourWorkItem,
    WorkflowError,
    WorkItemClosed,
)
from ipaward.workflow.states import PUBLICITY

log = logging.getLogger(__name__)
router = APIRouter()
MAX_REFRESHES = 10  # about 20 s of waiting for a queued advance before asking for a reload


def _page(
    request: Request,
    state: WebState,
    session: Session,
    officer: Officer,
    application_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    form: DecisionForm | None = None,
    form_item: int | None = None,
) -> HTMLResponse:
    view = application_view(
        session,
        state.ctx,
        state.deadlines,
        application_id=application_id,
        today=state.config.today(),
    )
    decided = None
    shown_item = whole_number(request.query_params.get("decided", ""))
    if shown_item is not None:
        mine = view.item(shown_item)
        if mine is not None and mine.department == officer.department and mine.outcome:
            decided = mine
    refresh_url, waiting = None, False
    if decided is not None and request.query_params.get("advance") == "queued":
        # the follow-up is still queued in the background: look again soon
        waiting = view.queued
        tries = whole_number(request.query_params.get("r", "0"))
        tries_done = tries if tries is not None and tries >= 0 else MAX_REFRESHES
        if waiting and tries_done < MAX_REFRESHES:
            refresh_url = (
                f"/applications/{quote(view.number)}?decided={decided.id}"
                f"&advance=queued&r={tries_done + 1}#result"
            )
    return render(
        request,
        "application.html",
        officer=officer,
        status=status,
        view=view,
        app=view.application,
        my_items=[] if officer.is_operator else view.open_items_of(officer.department),
        decided=decided,
        advance_waiting=waiting,
        refresh_url=refresh_url,
        error=error,
        form=form,
        form_item=form_item,
        records_objections=_records_objections(officer, view.application),
        objection_recorded=request.query_params.get("objection") == "recorded",
        correction_days=state.ctx.procedure.correction_working_days,
        correction_range=state.ctx.procedure.correction_working_days_range,
        run_url=lambda run: run_url(state.config.prefect_ui_url, run),
    )


def _records_objections(officer: Officer, application: Application) -> bool:
    """The measure's lead unit may record a paper objection while its 公示 runs."""
    return (
        not officer.is_operator
        and application.state == PUBLICITY
        and route.lead(application) == officer.department
    )


@router.get("/applications/{number}", response_class=HTMLResponse)
def application_page(
    number: str, request: Request, state: State, officer: CurrentOfficer
) -> Response:
    with state.reading() as session:
        application_id = visible_application_id(
            session, number=number, department=officer.department
        )
        if application_id is None:
            raise PageNotFound()
        return _page(request, state, session, officer, application_id)


@router.post("/work-items/{work_item_id}/decision")
def decide_item(
    work_item_id: RecordId,
    request: Request,
    state: State,
    officer: CurrentOfficer,
    form: CheckedForm,
) -> Response:
    """Record the decision (officer = the signed-in person), then advance the application."""
    if officer.is_operator:
        raise Forbidden("运营账号只读,不能办理")
    with state.reading() as session:
        item = session.get(WorkItem, work_item_id)
        if item is None or item.department != officer.department:
            raise PageNotFound()
        number = _number(session, item.application_id)
        kinds = return_documents(session, state.ctx, item)
        fields, identity = return_fields(session, state.ctx, item)
    parsed: DecisionForm | None = None
    try:
        parsed = parse_decision(form)
        check_decision(
            parsed,
            document_kinds=kinds,
            correction_range=state.ctx.procedure.correction_working_days_range,
            evidence_fields=fields,
            identity=identity,
        )
        with state.writing() as writer:
            decided = decide(
                writer,
                work_item_id=work_item_id,
                department=officer.department,
                officer=officer.name,
                outcome=parsed.outcome,
                comment=parsed.comment,
                expected_version=parsed.version,
                items=parsed.items() if parsed.outcome == "return" else (),
                deadline_days=parsed.deadline_days if parsed.outcome == "return" else None,
                exceptions=parsed.exception_lines() if item.application_id is None else (),
                procedure=state.ctx.procedure,
            )
    except (WorkflowError, BadForm) as refused:
        status = 409 if isinstance(refused, (ConcurrentDecision, WorkItemClosed)) else 400
        if isinstance(refused, (NotFound, NotYourWorkItem)):
            raise PageNotFound() from None
        message = str(refused)
        if isinstance(refused, (ConcurrentDecision, WorkItemClosed)):
            message += "。页面已刷新为最新状态,请核对后再办理。"
        with state.reading() as fresh:  # a new snapshot: show what is true now
            if item.application_id is None:
                current = fresh.get(WorkItem, work_item_id)
                assert current is not None
                return _yearly_page(
                    request, officer, fresh, current, status=status, error=message, form=parsed
                )
            return _page(
                request,
                state,
                fresh,
                officer,
                item.application_id,
                status=status,
                error=message,
                form=parsed,
                form_item=work_item_id,
            )
    # Saved. The follow-up goes to the background after the response: no officer waits on
    # Prefect, and a hand-off that fails leaves the request to the sweeper.
    follow_up = BackgroundTask(hand_off, [decided.follow_up_id], today=state.config.today())
    if number is None:
        return RedirectResponse(
            f"/work-items/{work_item_id}?decided=1", status_code=303, background=follow_up
        )
    return RedirectResponse(
        f"/applications/{number}?decided={work_item_id}&advance=queued#result",
        status_code=303,
        background=follow_up,
    )


def _number(session: Session, application_id: int | None) -> str | None:
    if application_id is None:
        return None
    number: str | None = session.scalar(
        select(Application.number).where(Application.id == application_id)
    )
    return number


def _yearly_page(
    request: Request,
    officer: Officer,
    session: Session,
    item: WorkItem,
    *,
    status: int = 200,
    error: str | None = None,
    form: DecisionForm | None = None,
) -> HTMLResponse:
    """A programme's yearly work, or an annual list with its lines, and its decision form."""
    decision = session.scalar(select(Decision).where(Decision.work_item_id == item.id))
    ref = yearly_subject(session, item)
    return render(
        request,
        "yearly_item.html",
        officer=officer,
        status=status,
        item=item,
        ref=ref,
        lines=list_lines(session, ref),
        decision=decision,
        decided=request.query_params.get("decided") == "1" and decision is not None,
        error=error,
        form=form,
    )


@router.get("/work-items/{work_item_id}", response_class=HTMLResponse)
def work_item_page(
    work_item_id: RecordId, request: Request, state: State, officer: CurrentOfficer
) -> Response:
    """An application's item opens its application; a yearly programme item has its own page."""
    with state.reading() as session:
        return _work_item(request, session, officer, work_item_id)


def _work_item(request: Request, session: Session, officer: Officer, work_item_id: int) -> Response:
    item = session.get(WorkItem, work_item_id)
    if item is None:
        raise PageNotFound()
    if item.application_id is not None:
        if not can_see_application_id(
            session, application_id=item.application_id, department=officer.department
        ):
            raise PageNotFound()
        number = _number(session, item.application_id)
        return RedirectResponse(f"/applications/{number}#item-{item.id}", status_code=303)
    if not (officer.is_operator or item.department == officer.department):
        raise PageNotFound()
    return _yearly_page(request, officer, session, item)


@router.get("/documents/{document_id}")
def document_file(document_id: RecordId, state: State, officer: CurrentOfficer) -> Response:
    """A stored document, as an attachment (never rendered inline by the browser)."""
    with state.reading() as session:
        document = session.get(Document, document_id)
        if document is None or not can_see_application_id(
            session, application_id=document.application_id, department=officer.department
        ):
            raise PageNotFound()
    if document.check_status != "ok":
        raise PageNotFound("该文件未通过校验,未存档")
    path = stored_path(state.ctx.files_root, document.sha256)
    if not path.is_file():
        raise PageNotFound("文件不在档案库中")
    return FileResponse(
        path,
        media_type=document.media_type or "application/octet-stream",
        filename=document.name,
        content_disposition_type="attachment",
    )
