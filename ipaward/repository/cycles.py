"""The annual lists' rows: found or created idempotently (racing creators agree).

A list is created in the building state when its first application starts waiting for it,
dated to open on its settlement day (`details.opens_on`): nothing lines it up before then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, Cycle, CycleLine
from ipaward.lifecycle.declared import Role
from ipaward.lifecycle.engine import Move, born
from ipaward.lifecycle.paths import ANNUAL_LIST
from ipaward.lifecycle.states import AnnualListState, LineStatus
from ipaward.repository._savepoint import insert_unless_present
from ipaward.repository.subjects import list_ref

BUILDING = AnnualListState.BUILDING


def find_cycle(session: Session, *, measure: str, year: int) -> Cycle | None:
    query = select(Cycle).where(Cycle.measure == measure, Cycle.year == year).with_for_update()
    return session.scalars(query).one_or_none()


def ensure_cycle(
    session: Session,
    *,
    measure: str,
    year: int,
    route: dict[str, Any],
    actor: str,
    opens_on: dt.date | None = None,
) -> Cycle:
    """The measure's cycle of the year, created (building, its route snapshotted) if missing."""
    details = {} if opens_on is None else {"opens_on": opens_on.isoformat()}
    created = insert_unless_present(
        session,
        insert(Cycle).values(
            measure=measure,
            year=year,
            state=BUILDING,
            stage=None,
            total=0,
            route=route,
            details=details,
            version=1,
        ),
    )
    cycle = find_cycle(session, measure=measure, year=year)
    assert cycle is not None
    if created:
        born(
            session,
            ANNUAL_LIST,
            "create",
            [Move(cycle.id, list_ref(measure, year), None, {"opens_on": details.get("opens_on")})],
            by=Role.SYSTEM,
            actor=actor,
        )
    return cycle


def is_open(cycle: Cycle, today: dt.date) -> bool:
    """A list is worked on from its settlement day on (or at once when created without one)."""
    opens = cycle.details.get("opens_on")
    return opens is None or dt.date.fromisoformat(str(opens)) <= today


def open_now(cycle: Cycle, today: dt.date) -> None:
    """The yearly settlement (or an operator's `ipaward cycle`) starts the list today."""
    if cycle.state == BUILDING and not is_open(cycle, today):
        cycle.details = {**cycle.details, "opens_on": today.isoformat()}


def listed_numbers(session: Session, *, measure: str, year: int) -> set[str]:
    """Numbers of the applications still on the list (what a decision may take out)."""
    rows = session.scalars(
        select(Application.number)
        .join(CycleLine, CycleLine.application_id == Application.id)
        .join(Cycle, Cycle.id == CycleLine.cycle_id)
        .where(
            Cycle.measure == measure, Cycle.year == year, CycleLine.status == LineStatus.INCLUDED
        )
    )
    return set(rows)
