"""What a work item with no application is about: an annual list (its cycle) or a
programme's yearly work, read through the item's foreign key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Cycle, Programme, WorkItem


@dataclass(frozen=True, kw_only=True)
class YearlySubject:
    kind: Literal["list", "programme"]
    id: int
    measure: str  # the clause number of the edition judging the year
    year: int

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def ref(self) -> str:
        """How the audit log names it ("cycle:M07:2024", "M04:2025")."""
        return list_ref(self.measure, self.year) if self.is_list else f"{self.measure}:{self.year}"

    @property
    def title(self) -> str:
        kind = "年度集中评审名单" if self.is_list else "年度工作任务"
        return f"{self.measure} {self.year}{kind}"


def list_ref(measure: str, year: int) -> str:
    """An annual list's name in the audit log and in follow-ups: "cycle:M07:2024"."""
    return f"cycle:{measure}:{year}"


def of_cycle(cycle: Cycle) -> YearlySubject:
    return YearlySubject(kind="list", id=cycle.id, measure=cycle.measure, year=cycle.year)


def of_programme(programme: Programme) -> YearlySubject:
    return YearlySubject(
        kind="programme", id=programme.id, measure=programme.measure, year=programme.year
    )


def yearly_subject(session: Session, item: WorkItem) -> YearlySubject | None:
    """The list or programme year of an item (None for an application's item)."""
    if item.cycle_id is not None:
        cycle = session.get(Cycle, item.cycle_id)
        return of_cycle(cycle) if cycle is not None else None
    if item.programme_id is not None:
        programme = session.get(Programme, item.programme_id)
        return of_programme(programme) if programme is not None else None
    return None


def yearly_subjects(session: Session, items: Iterable[WorkItem]) -> dict[int, YearlySubject]:
    """Item id → its list or programme year, in two queries for any number of items."""
    items = list(items)
    cycles = {i.cycle_id for i in items if i.cycle_id is not None}
    programmes = {i.programme_id for i in items if i.programme_id is not None}
    by_cycle = {
        c.id: of_cycle(c)
        for c in (session.scalars(select(Cycle).where(Cycle.id.in_(cycles))) if cycles else [])
    }
    by_programme = {
        p.id: of_programme(p)
        for p in (
            session.scalars(select(Programme).where(Programme.id.in_(programmes)))
            if programmes
            else []
        )
    }
    found: dict[int, YearlySubject] = {}
    for item in items:
        subject = (
            by_cycle.get(item.cycle_id)
            if item.cycle_id is not None
            else by_programme.get(item.programme_id)
            if item.programme_id is not None
            else None
        )
        if subject is not None:
            found[item.id] = subject
    return found
