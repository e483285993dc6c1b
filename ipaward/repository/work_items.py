"""Work items: one per department and stage (and round), created idempotently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import Application, WorkItem
from ipaward.repository._savepoint import insert_unless_present


def ensure_work_items(
    session: Session,
    *,
    application_id: int | None,
    stage: str,
    round: int,
    departments: Sequence[str],
    due_on: dt.date | None,
    cycle_ref: str | None = None,
) -> list[WorkItem]:
    """The stage's work items, creating the missing ones; running twice creates nothing more."""
    for department in departments:
        insert_unless_present(
            session,
            insert(WorkItem).values(
                application_id=application_id,
                cycle_ref=cycle_ref,
                stage=stage,
                department=department,
                round=round,
                state="open",
                due_on=due_on,
                version=1,
                created_at=utc_now(),
            ),
        )
    return stage_items(
        session, application_id=application_id, cycle_ref=cycle_ref, stage=stage, round=round
    )


def stage_items(
    session: Session,
    *,
    application_id: int | None,
    stage: str,
    round: int,
    cycle_ref: str | None = None,
) -> list[WorkItem]:
    query = select(WorkItem).where(WorkItem.stage == stage, WorkItem.round == round)
    if application_id is not None:
        query = query.where(WorkItem.application_id == application_id)
    else:
        query = query.where(WorkItem.application_id.is_(None), WorkItem.cycle_ref == cycle_ref)
    return list(session.scalars(query.order_by(WorkItem.id)))


def cancel_open_items(session: Session, *, application_id: int) -> int:
    """Close what nobody needs to answer any more (rejection, withdrawal, 补正)."""
    result = session.execute(
        update(WorkItem)
        .where(WorkItem.application_id == application_id, WorkItem.state == "open")
        .values(state="cancelled", closed_at=utc_now(), version=WorkItem.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def open_items_for(
    session: Session, *, department: str
) -> list[tuple[WorkItem, Application | None]]:
    """A department's inbox: its open items, earliest due first."""
    query = (
        select(WorkItem, Application)
        .outerjoin(Application, WorkItem.application_id == Application.id)
        .where(WorkItem.department == department, WorkItem.state == "open")
        .order_by(WorkItem.due_on.is_(None), WorkItem.due_on, WorkItem.id)
    )
    return [(item, application) for item, application in session.execute(query).all()]
