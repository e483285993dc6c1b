"""Work items: one per department and stage (and round), created idempotently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import Application, WorkItem
from ipaward.repository._savepoint import insert_unless_present


@dataclass(frozen=True)
class Subject:
    """What a work item is about: exactly one of an application, an annual list (cycle) or a
    programme's year, by foreign key."""

    application_id: int | None = None
    cycle_id: int | None = None
    programme_id: int | None = None

    def __post_init__(self) -> None:
        if sum(v is not None for v in (self.application_id, self.cycle_id, self.programme_id)) != 1:
            raise ValueError("a work item has exactly one subject")

    def where(self) -> ColumnElement[bool]:
        if self.application_id is not None:
            return WorkItem.application_id == self.application_id
        if self.cycle_id is not None:
            return WorkItem.cycle_id == self.cycle_id
        return WorkItem.programme_id == self.programme_id


def ensure_work_items(
    session: Session,
    *,
    subject: Subject,
    stage: str,
    round: int,
    departments: Sequence[str],
    due_on: dt.date | None,
) -> list[WorkItem]:
    """The stage's work items, creating the missing ones; running twice creates nothing more."""
    for department in departments:
        insert_unless_present(
            session,
            insert(WorkItem).values(
                application_id=subject.application_id,
                cycle_id=subject.cycle_id,
                programme_id=subject.programme_id,
                stage=stage,
                department=department,
                round=round,
                state="open",
                due_on=due_on,
                version=1,
                created_at=utc_now(),
            ),
        )
    return stage_items(session, subject=subject, stage=stage, round=round)


def stage_items(session: Session, *, subject: Subject, stage: str, round: int) -> list[WorkItem]:
    query = select(WorkItem).where(
        subject.where(), WorkItem.stage == stage, WorkItem.round == round
    )
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
