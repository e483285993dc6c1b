"""Read models for the inbox and the application page (CLI now, web later)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, AuditEntry, Document, Notice, WorkItem
from ipaward.repository.follow_ups import pending_for
from ipaward.repository.subjects import YearlySubject, yearly_subjects
from ipaward.repository.work_items import Subject, open_items_for, stage_items
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.errors import NotFound
from ipaward.workflow.states import (
    CORRECTION_REQUESTED,
    IN_REVIEW,
    PUBLICITY,
    STAGE_NAMES,
    STATE_NAMES,
)


def inbox(
    session: Session, ctx: WorkflowContext, *, department: str, today: dt.date
) -> list[dict[str, Any]]:
    """A department's open work items with what an officer needs to pick the next one."""
    rows = []
    found = open_items_for(session, department=department)
    yearly = yearly_subjects(session, [item for item, _ in found])
    for item, application in found:
        subject = yearly.get(item.id)
        overdue = 0
        if item.due_on is not None and today > item.due_on:
            overdue = ctx.calendar.working_days_between(item.due_on, today)
        rows.append(
            {
                "work_item": item.id,
                "version": item.version,
                "application": application.number if application else _ref(subject),
                "measure": application.measure if application else _measure(subject),
                "applicant": application.applicant.name
                if application
                else ("年度集中评审名单" if subject and subject.is_list else "年度工作任务"),
                "stage": item.stage,
                "stage_name": STAGE_NAMES.get(item.stage, item.stage),
                "round": item.round,
                "amount": (application.assessment or {}).get("amount") if application else None,
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "overdue_working_days": overdue,
            }
        )
    return rows


def application_status(session: Session, *, number: str) -> dict[str, Any]:
    """State, route with every decision, documents, notices and the audit trail."""
    application = session.scalars(
        select(Application).where(Application.number == number)
    ).one_or_none()
    if application is None:
        raise NotFound(f"没有申请{number}")
    items = session.scalars(
        select(WorkItem).where(WorkItem.application_id == application.id).order_by(WorkItem.id)
    )
    decisions = [
        {
            "work_item": item.id,
            "stage": item.stage,
            "round": item.round,
            "department": item.department,
            "state": item.state,
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "decision": None
            if item.decision is None
            else {
                "outcome": item.decision.outcome,
                "officer": item.decision.officer,
                "comment": item.decision.comment,
                "at": item.decision.decided_at.isoformat(),
                "details": item.decision.details,
            },
        }
        for item in items
    ]
    documents = session.scalars(select(Document).where(Document.application_id == application.id))
    notices = session.scalars(
        select(Notice).where(Notice.application_id == application.id).order_by(Notice.id)
    )
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == number).order_by(AuditEntry.id)
    )
    return {
        "id": application.id,
        "number": application.number,
        "measure": application.measure,
        "applicant": application.applicant.name,
        "state": application.state,
        "state_name": STATE_NAMES.get(application.state, application.state),
        "stage": application.stage,
        "round": application.stage_round,
        "publicity_ends_on": application.publicity_ends_on.isoformat()
        if application.publicity_ends_on
        else None,
        "assessment": application.assessment,
        "correction": application.correction,
        "objection": application.objection,
        "route": application.route,
        "work_items": decisions,
        "documents": [
            {"kind": d.kind, "name": d.name, "status": d.check_status, "message": d.check_message}
            for d in documents
        ],
        "notices": [
            {
                "id": n.id,
                "kind": n.kind,
                "doc_number": n.doc_number,
                "path": n.path,
                "event": n.event_key,
            }
            for n in notices
        ],
        "history": [
            {"at": a.at.isoformat(), "actor": a.actor, "action": a.action, "details": a.details}
            for a in audit
        ],
        "follow_up": _follow_up(session, application.id),
    }


def _follow_up(session: Session, application_id: int) -> dict[str, Any] | None:
    """The background work asked for and not done yet (None: nothing asked)."""
    request = pending_for(session, application_id=application_id)
    if request is None:
        return None
    return {
        "reason": request.reason,
        "due_on": request.due_on.isoformat() if request.due_on else None,
        "attempts": request.attempts,
        "last_error": request.last_error,
    }


def _ref(subject: YearlySubject | None) -> str | None:
    return subject.ref if subject is not None else None


def _measure(subject: YearlySubject | None) -> str:
    return subject.measure if subject is not None else ""


def load_for_update(
    session: Session, *, number: str | None = None, application_id: int | None = None
) -> Application:
    """Lock the application row (PostgreSQL); SQLite writers are serialised already."""
    query = select(Application).with_for_update()
    query = (
        query.where(Application.number == number)
        if number
        else query.where(Application.id == application_id)
    )
    application = session.scalars(query).one_or_none()
    if application is None:
        raise LookupError(f"没有申请{number or application_id}")
    return application


def waiting_on(
    session: Session, ctx: WorkflowContext, application: Application, *, today: dt.date
) -> list[str]:
    """Whom the application waits on: departments with open items, the applicant, or the calendar."""
    if application.state == IN_REVIEW and application.stage:
        items = stage_items(
            session,
            subject=Subject(application_id=application.id),
            stage=application.stage,
            round=application.stage_round,
        )
        return [i.department for i in items if i.state == "open"]
    if application.state == CORRECTION_REQUESTED:
        return [f"applicant(补正期限{(application.correction or {}).get('deadline')})"]
    if application.state == PUBLICITY:
        return [f"publicity(至{application.publicity_ends_on})"]
    return []
