"""Follow-up requests: the background work a command leaves, committed with the command.

Session in, no commit. One pending request per subject (a partial unique index): asking again
moves the due date earlier, never adds a second row, so racing commands agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import Application, Cycle, FollowUp, WorkItem
from ipaward.repository._savepoint import insert_unless_present

PENDING, DONE = "pending", "done"


@dataclass(frozen=True)
class Subject:
    """What a request is about: an application, or an annual list (a cycle)."""

    application_id: int | None = None
    cycle_id: int | None = None

    def where(self) -> ColumnElement[bool]:
        if self.application_id is not None:
            return FollowUp.application_id == self.application_id
        return FollowUp.cycle_id == self.cycle_id


def request(
    session: Session,
    subject: Subject,
    *,
    reason: str,
    due_on: dt.date | None = None,
) -> FollowUp:
    """Ask for follow-up work on `subject` (None: as soon as possible) in the caller's
    transaction; an existing pending request keeps the earlier of the two due dates."""
    if (subject.application_id is None) == (subject.cycle_id is None):
        raise ValueError("a follow-up is about one application or one cycle")
    pending = (subject.where(), FollowUp.state == PENDING)
    insert_unless_present(
        session,
        insert(FollowUp).values(
            application_id=subject.application_id,
            cycle_id=subject.cycle_id,
            reason=reason,
            due_on=due_on,
            state=PENDING,
            attempts=0,
            created_at=utc_now(),
        ),
    )
    row = session.scalars(select(FollowUp).where(*pending).with_for_update()).one()
    if row.due_on is not None and (due_on is None or due_on < row.due_on):
        row.due_on, row.reason = due_on, reason
        session.flush()
    return row


def settle(session: Session, subject: Subject, *, today: dt.date) -> int:
    """Mark the subject's requests that were due by `today` done (the work has just been
    done in this transaction); a request for a later date stays pending."""
    due = or_(FollowUp.due_on.is_(None), FollowUp.due_on <= today)
    result = session.execute(
        update(FollowUp)
        .where(subject.where(), FollowUp.state == PENDING, due)
        .values(state=DONE, done_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def cancel_all(session: Session, subject: Subject) -> None:
    """Nothing more will happen to a final subject."""
    session.execute(
        update(FollowUp)
        .where(subject.where(), FollowUp.state == PENDING)
        .values(state="cancelled", done_at=utc_now())
        .execution_options(synchronize_session=False)
    )


def due(
    session: Session, *, today: dt.date, before: dt.datetime | None = None, limit: int = 500
) -> list[FollowUp]:
    """Pending requests due by `today`, oldest first; `before`: only those created earlier
    (the sweeper leaves the newest to the hand-off that is already carrying them)."""
    query = select(FollowUp).where(
        FollowUp.state == PENDING, or_(FollowUp.due_on.is_(None), FollowUp.due_on <= today)
    )
    if before is not None:
        query = query.where(FollowUp.created_at < before)
    return list(session.scalars(query.order_by(FollowUp.id).limit(limit)))


def mark_dispatched(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id.in_(list(ids)))
            .values(dispatched_at=utc_now(), attempts=FollowUp.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def record_failure(session: Session, request_id: int, error: str) -> None:
    session.execute(
        update(FollowUp)
        .where(FollowUp.id == request_id)
        .values(last_error=error[:2000], attempts=FollowUp.attempts + 1)
        .execution_options(synchronize_session=False)
    )


def pending_for(session: Session, *, application_id: int) -> FollowUp | None:
    query = select(FollowUp).where(
        FollowUp.application_id == application_id, FollowUp.state == PENDING
    )
    return session.scalars(query).one_or_none()


def pending_ids(session: Session, *, numbers: Sequence[str]) -> list[int]:
    """The pending requests (due now) of these applications, and of the lists they wait on:
    what a command hands to the background right after its commit."""
    query = (
        select(FollowUp.id)
        .join(Application, Application.id == FollowUp.application_id)
        .where(
            Application.number.in_(list(numbers)),
            FollowUp.state == PENDING,
            FollowUp.due_on.is_(None),
        )
    )
    return list(session.scalars(query.order_by(FollowUp.id)))


def unattended(session: Session, *, live_states: Sequence[str], waiting_for_list: str) -> list[str]:
    """Numbers of live applications with neither an open work item nor a pending request
    (its own, or, waiting for its annual list, the list's): the invariant is that there are
    none."""
    open_item = exists().where(WorkItem.application_id == Application.id, WorkItem.state == "open")
    own_request = exists().where(
        FollowUp.application_id == Application.id, FollowUp.state == PENDING
    )
    rows = session.execute(
        select(Application.number, Application.state, Application.measure, Application.year)
        .where(Application.state.in_(list(live_states)), ~open_item, ~own_request)
        .order_by(Application.number)
    ).all()
    lists = _covered_lists(session) if any(r.state == waiting_for_list for r in rows) else set()
    return [
        r.number for r in rows if not (r.state == waiting_for_list and (r.measure, r.year) in lists)
    ]


def _covered_lists(session: Session) -> set[tuple[str, int | None]]:
    """(measure, year) of annual lists with a pending request or an open work item."""
    requested = session.execute(
        select(Cycle.measure, Cycle.year)
        .join(FollowUp, FollowUp.cycle_id == Cycle.id)
        .where(FollowUp.state == PENDING)
    )
    covered: set[tuple[str, int | None]] = {(m, y) for m, y in requested}
    waiting = session.execute(
        select(Cycle.measure, Cycle.year)
        .join(WorkItem, WorkItem.cycle_id == Cycle.id)
        .where(WorkItem.state == "open")
    )
    covered.update((m, y) for m, y in waiting)
    return covered
