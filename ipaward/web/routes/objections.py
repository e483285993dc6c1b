"""A paper objection received during 公示, recorded by the measure's lead unit with its scan.

The same `object_to` as `ipaward object` takes it (window, real name, the route engine and
the audit row in one transaction); the scan is checked and stored content-addressed like an
application's documents, and only its digest goes with the objection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from ipaward.bounds import YEARS
from ipaward.cycles.objections import object_to
from ipaward.db.models import Application
from ipaward.dispatch import hand_off_applications
from ipaward.documents.store import stored_path
from ipaward.web.csrf import FIELD, same_origin, session_token_ok
from ipaward.web.deps import CurrentOfficer, Officer, State
from ipaward.web.error_pages import BadForm, CsrfRefused, Forbidden, PageNotFound
from ipaward.web.pages import render
from ipaward.web.reads.access import visible_application_id
from ipaward.web.state import WebState
from ipaward.web.uploads import read_upload, size_text, store_scan
from ipaward.workflow import route_snapshot as route
from ipaward.workflow.errors import WorkflowError
from ipaward.workflow.states import AWAITING_CYCLE, PUBLICITY

router = APIRouter()
MAX_NAME, MAX_TEXT = 200, 4000
OPEN_TO_OBJECTION = (PUBLICITY, AWAITING_CYCLE)  # its own 公示, or its year's list's


@dataclass(frozen=True)
class Typed:
    """What the officer typed, to refill the form when it is refused."""

    name: str = ""
    text: str = ""
    received_on: str = ""
    values: dict[str, str] = field(default_factory=dict)


def _lead_application(session: Session, officer: Officer, number: str) -> Application:
    """404 where the application may not be seen; 403 for a unit that is not its lead."""
    application_id = visible_application_id(session, number=number, department=officer.department)
    if application_id is None:
        raise PageNotFound()
    application = session.get(Application, application_id)
    assert application is not None
    if officer.is_operator:
        raise Forbidden("运营账号只读,不能登记异议")
    if route.lead(application) != officer.department:
        raise Forbidden("只有该项政策的牵头单位可以登记公示期间收到的书面异议")
    session.expunge(application)
    return application


def _form(
    request: Request,
    state: WebState,
    officer: Officer,
    application: Application,
    *,
    status: int = 200,
    error: str | None = None,
    typed: Typed | None = None,
) -> HTMLResponse:
    return render(
        request,
        "objection_form.html",
        officer=officer,
        status=status,
        app=application,
        open_to_objection=application.state in OPEN_TO_OBJECTION,
        size_limit=size_text(state.ctx.procedure.max_document_bytes),
        error=error,
        typed=typed or Typed(received_on=state.config.today().isoformat()),
    )


@router.get("/applications/{number}/objection", response_class=HTMLResponse)
def objection_form(
    number: str, request: Request, state: State, officer: CurrentOfficer
) -> Response:
    with state.reading() as session:
        application = _lead_application(session, officer, number)
    return _form(request, state, officer, application)


@router.post("/applications/{number}/objection")
async def record_objection(
    number: str, request: Request, state: State, officer: CurrentOfficer
) -> Response:
    """Access first, then the bounded body and its CSRF token, then the fields, the scan, and
    the objection itself; anything refused shows the form again as typed."""
    with state.reading() as session:
        application = _lead_application(session, officer, number)
    limit = state.ctx.procedure.max_document_bytes
    upload = await read_upload(request, file_field="scan", max_file_bytes=limit)
    if not same_origin(request) or not session_token_ok(officer.csrf, upload.fields.get(FIELD)):
        raise CsrfRefused()
    typed = Typed(
        name=upload.fields.get("name", "")[:MAX_NAME],
        text=upload.fields.get("text", "")[:MAX_TEXT],
        received_on=upload.fields.get("received_on", "")[:20],
    )
    today = state.config.today()
    try:
        received = _received_on(typed.received_on)
        if len(upload.fields.get("text", "")) > MAX_TEXT:
            raise BadForm(f"异议内容不能超过{MAX_TEXT}字")
        if not typed.name.strip() or not typed.text.strip():
            raise BadForm("请填写异议人的真实姓名(或单位名称)和异议的事实与理由")
        if upload.data is None:
            raise BadForm("请上传书面异议的扫描件(PDF、JPEG或PNG)")
        scan = store_scan(state.ctx.files_root, upload.filename, upload.data, max_bytes=limit)
        with state.writing() as writer:
            object_to(
                writer,
                state.ctx,
                number=application.number,
                name=typed.name,
                text=typed.text,
                today=today,
                received_on=received,
                scan=scan.as_record(),
                recorded_by=f"{officer.department}/{officer.name}",
            )
    except (WorkflowError, BadForm) as refused:
        with state.reading() as fresh:
            current = _lead_application(fresh, officer, number)
        return _form(request, state, officer, current, status=400, error=str(refused), typed=typed)
    follow_up = BackgroundTask(hand_off_applications, [application.number], today=today)
    return RedirectResponse(
        f"/applications/{quote(application.number)}?objection=recorded#objection",
        status_code=303,
        background=follow_up,
    )


def _received_on(typed: str) -> dt.date:
    try:
        received = dt.date.fromisoformat(typed.strip())
    except ValueError:
        raise BadForm("收到日期应为日期(如2025-10-27)") from None
    if not YEARS[0] <= received.year <= YEARS[1]:
        raise BadForm(f"收到日期的年份应在{YEARS[0]}至{YEARS[1]}之间")
    return received


@router.get("/applications/{number}/objection/scan")
def objection_scan(number: str, state: State, officer: CurrentOfficer) -> Response:
    """The scan of a paper objection, to whoever may see the application (an attachment)."""
    with state.reading() as session:
        application_id = visible_application_id(
            session, number=number, department=officer.department
        )
        application = session.get(Application, application_id) if application_id else None
        scan = ((application.objection or {}).get("scan") if application else None) or {}
    if not scan:
        raise PageNotFound()
    path = stored_path(state.ctx.files_root, str(scan["sha256"]))
    if not path.is_file():
        raise PageNotFound("文件不在档案库中")
    return FileResponse(
        path,
        media_type=str(scan.get("media_type") or "application/octet-stream"),
        filename=str(scan.get("name") or "objection-scan"),
        content_disposition_type="attachment",
    )
