"""A stored notice in its official printable layout; Traditional rendered from its context."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, Notice
from ipaward.notices.environment import SIMPLIFIED, TRADITIONAL
from ipaward.notices.issue import notice_files
from ipaward.notices.kinds import notice_kind
from ipaward.notices.render import render_notice
from ipaward.web.deps import CurrentOfficer, Officer, RecordId, State
from ipaward.web.error_pages import PageNotFound
from ipaward.web.headers import csp_allowing_styles
from ipaward.web.reads.access import can_see_application_id
from ipaward.web.state import WebState

router = APIRouter()
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)
_BODY_START = re.compile(r"<body[^>]*>", re.IGNORECASE)


def _meta(state: WebState, notice: Notice) -> dict[str, Any]:
    """The side file issue_notice wrote: recipients and the context the notice was built from."""
    if notice.path is None:
        return {}
    try:
        path = notice_files(notice, settings=state.settings).meta
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def _may_read(session: Session, officer: Officer, notice: Notice, meta: dict[str, Any]) -> bool:
    """Whoever sees the application, and the department a 待办/催办 is addressed to."""
    if officer.is_operator:
        return True
    if officer.department in (meta.get("recipients") or []):
        return True
    return notice.application_id is not None and can_see_application_id(
        session, application_id=notice.application_id, department=officer.department
    )


def _html(state: WebState, notice: Notice, meta: dict[str, Any], language: str) -> str:
    if language == notice.language and notice.path is not None:
        try:
            return notice_files(notice, settings=state.settings).html.read_text(encoding="utf-8")
        except OSError:
            pass  # rebuilt from the stored context below
    if "context" not in meta:
        raise PageNotFound("通知文件缺失,无法显示")
    spec = notice_kind(notice.kind)
    context = spec.context.model_validate(meta["context"])
    return render_notice(notice.kind, context, language=language, doc_number=notice.doc_number).html


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(
    notice_id: RecordId, request: Request, state: State, officer: CurrentOfficer
) -> HTMLResponse:
    with state.reading() as session:
        notice = session.get(Notice, notice_id)
        if notice is None:
            raise PageNotFound()
        meta = _meta(state, notice)
        if not _may_read(session, officer, notice, meta):
            raise PageNotFound()
        number = session.scalar(
            select(Application.number).where(Application.id == notice.application_id)
        )
    language = TRADITIONAL if request.query_params.get("lang") == TRADITIONAL else SIMPLIFIED
    html = _html(state, notice, meta, language)
    toolbar = state.templates.get_template("_notice_toolbar.html").render(
        notice=notice,
        language=language,
        back=f"/applications/{number}" if number else "/inbox",
    )
    html = _HEAD_END.sub(
        lambda _: (
            '<link rel="stylesheet" href="/static/notice.css">\n'
            '<script src="/static/app.js" defer></script>\n</head>'
        ),
        html,
        count=1,
    )
    html = _BODY_START.sub(lambda m: m.group(0) + "\n" + toolbar, html, count=1)
    return HTMLResponse(html, headers={"content-security-policy": csp_allowing_styles(html)})
