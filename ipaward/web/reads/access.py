"""Who may see what: a department sees an application only if it has (or had) a work item on
it; operators see everything. Anything else answers 404, so existence is not revealed."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, WorkItem
from ipaward.web.accounts import OPERATOR


def visible_application_id(session: Session, *, number: str, department: str) -> int | None:
    """The application's id when `department` may see it, else None (also when it is absent)."""
    query = select(Application.id).where(Application.number == number)
    if department != OPERATOR:
        query = query.where(
            exists().where(
                WorkItem.application_id == Application.id, WorkItem.department == department
            )
        )
    found: int | None = session.scalar(query)
    return found


def can_see_application_id(session: Session, *, application_id: int, department: str) -> bool:
    if department == OPERATOR:
        return True
    return (
        session.scalar(
            select(WorkItem.id)
            .where(WorkItem.application_id == application_id, WorkItem.department == department)
            .limit(1)
        )
        is not None
    )
