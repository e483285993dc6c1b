"""Who may see what: a department sees an application only if it has (or had) a work item on
it; operators see everything. Anything else answers 404, so existence is not revealed.

Figures and lists (the dashboard, its JSON) count through a `Scope`: the same page test as SQL,
plus the lines of the yearly lists the department has a work item on (their numbers, names
and amounts are on that list's own page), so nothing is counted that the reader cannot open."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from ipaward.db.models import Application, Cycle, CycleLine, WorkItem
from ipaward.web.accounts import OPERATOR


def page_rule(department: str) -> ColumnElement[bool]:
    """The application page's test, on Application.id: a work item of the department on it."""
    if department == OPERATOR:
        return true()
    item = aliased(WorkItem)  # never correlated with a work_items table of the outer query
    return exists().where(item.application_id == Application.id, item.department == department)


def visible_application_id(session: Session, *, number: str, department: str) -> int | None:
    """The application's id when `department` may see it, else None (also when it is absent)."""
    query = select(Application.id).where(Application.number == number, page_rule(department))
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


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What one department may open, as SQL conditions for figures and lists: applications
    whose page it may open, and the lines of the yearly lists it has a work item on (their
    numbers, names and amounts are on that list's page). Operators: everything."""

    department: str
    lists: frozenset[tuple[str, int]] = frozenset()  # (measure, year) of its yearly lists

    @property
    def everything(self) -> bool:
        return self.department == OPERATOR

    def openable(self) -> ColumnElement[bool]:
        """Applications whose page the department may open (the page's own test)."""
        return page_rule(self.department)

    def listed(self) -> ColumnElement[bool]:
        """Applications on one of the department's yearly lists."""
        if not self.lists:
            return false()
        on_lists = or_(*(and_(Cycle.measure == m, Cycle.year == y) for m, y in sorted(self.lists)))
        return Application.id.in_(
            select(CycleLine.application_id)
            .join(Cycle, Cycle.id == CycleLine.cycle_id)
            .where(on_lists)
        )

    def applications(self) -> ColumnElement[bool]:
        """Every application the department may read something of, on Application.id."""
        if self.everything:
            return true()
        return or_(self.openable(), self.listed())

    def work_items(self) -> ColumnElement[bool]:
        """Work items it may open: those on an application it may open, and its own items
        without an application (a yearly list, a programme's yearly work)."""
        if self.everything:
            return true()
        mine = aliased(WorkItem)
        on_visible = WorkItem.application_id.in_(
            select(mine.application_id).where(
                mine.department == self.department, mine.application_id.is_not(None)
            )
        )
        own_yearly = and_(WorkItem.application_id.is_(None), WorkItem.department == self.department)
        return or_(on_visible, own_yearly)


def scope_of(session: Session, department: str) -> Scope:
    """The department's scope; its yearly lists are read once (a handful of rows)."""
    if department == OPERATOR:
        return Scope(department=department)
    lists = session.execute(
        select(Cycle.measure, Cycle.year)
        .join(WorkItem, WorkItem.cycle_id == Cycle.id)
        .where(WorkItem.department == department)
        .distinct()
    )
    return Scope(department=department, lists=frozenset((m, y) for m, y in lists))
