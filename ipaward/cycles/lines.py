"""The cycle row and its lines: created idempotently, one chunk of whole recipients at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, joinedload

from ipaward.assessment import item_keys
from ipaward.cycles.chunk_priors import priors_for
from ipaward.cycles.list_route import cycle_measure
from ipaward.cycles.settle import LineResult, assess_recipient
from ipaward.cycles.shared import SharedItem, shared_items, withheld
from ipaward.db.models import Application, Cycle, CycleLine
from ipaward.lifecycle.states import LineStatus
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.reassess import stored_application
from ipaward.workflow.states import AWAITING_CYCLE

INCLUDED, EXCEPTED, REFUSED, PAID = (
    LineStatus.INCLUDED,
    LineStatus.EXCEPTED,
    LineStatus.REFUSED,
    LineStatus.PAID,
)
DEFAULT_CHUNK = 500


def awaiting_groups(session: Session, cycle: Cycle) -> list[list[int]]:
    """Applications waiting for this cycle and not yet on its list, grouped per recipient."""
    lined = select(CycleLine.application_id).where(CycleLine.cycle_id == cycle.id)
    rows = session.execute(
        select(Application.id, Application.applicant_id)
        .where(
            Application.measure == cycle.measure,
            Application.year == cycle.year,
            Application.state == AWAITING_CYCLE,
            Application.id.not_in(lined),
        )
        .order_by(Application.applicant_id, Application.submitted_on, Application.id)
    )
    groups: dict[int, list[int]] = {}
    for application_id, applicant_id in rows:
        groups.setdefault(applicant_id, []).append(application_id)
    return list(groups.values())


def pack(groups: Iterable[Sequence[int]], size: int = DEFAULT_CHUNK) -> list[list[int]]:
    """Chunks of about `size` ids that never split a recipient's group."""
    chunks: list[list[int]] = []
    current: list[int] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            chunks.append(current)
            current = []
        current.extend(group)
    if current:
        chunks.append(current)
    return chunks


def line_applications(
    session: Session, ctx: WorkflowContext, cycle: Cycle, application_ids: Collection[int]
) -> int:
    """Put these awaiting applications on the list; returns how many lines were added.

    Whole recipients: a recipient already on the list is assessed again with its new ones.
    """
    fresh = _applications(
        session,
        Application.id.in_(list(application_ids)),
        Application.state == AWAITING_CYCLE,
        Application.measure == cycle.measure,
        Application.year == cycle.year,
    )
    existing = {
        line.application_id: line
        for line in session.scalars(
            select(CycleLine).where(
                CycleLine.cycle_id == cycle.id,
                CycleLine.recipient_uscc.in_({a.applicant.uscc for a in fresh}),
                CycleLine.status == INCLUDED,
            )
        )
    }
    new = [a for a in fresh if a.id not in existing]
    if not new:
        return 0
    others = _applications(session, Application.id.in_(list(existing)))
    results = assess_groups(session, ctx, cycle, [*new, *others])
    session.execute(
        insert(CycleLine),
        [
            {
                "cycle_id": cycle.id,
                "application_id": a.id,
                "recipient_uscc": a.applicant.uscc,
                "amount": results[a.id].line.amount,
                "status": INCLUDED,
                "details": {**who(a), **results[a.id].details()},
            }
            for a in new
        ],
    )
    _rewrite(session, existing.values(), results)
    return len(new)


def resettle(
    session: Session, ctx: WorkflowContext, cycle: Cycle, recipients: Collection[str]
) -> list[CycleLine]:
    """Assess the included lines of these recipients again (after a line was taken out)."""
    lines = list(
        session.scalars(
            select(CycleLine).where(
                CycleLine.cycle_id == cycle.id,
                CycleLine.recipient_uscc.in_(list(recipients)),
                CycleLine.status == INCLUDED,
            )
        )
    )
    if lines:
        apps = _applications(session, Application.id.in_([line.application_id for line in lines]))
        _rewrite(session, lines, assess_groups(session, ctx, cycle, apps))
    return lines


@dataclass(frozen=True)
class Assessed:
    """One application's line, what the ledger had paid its recipient this year, and the items
    it shares with other recipients on the list."""

    line: LineResult
    prior_paid: int
    shared: tuple[SharedItem, ...] = ()

    def details(self) -> dict[str, Any]:
        return line_details(self.line, self.prior_paid, self.shared)


def assess_groups(
    session: Session, ctx: WorkflowContext, cycle: Cycle, applications: Sequence[Application]
) -> dict[int, Assessed]:
    """Application id → its assessed line; an item another recipient filed first is left out."""
    by_recipient: dict[str, list[Application]] = defaultdict(list)
    for application in applications:
        by_recipient[application.applicant.uscc].append(application)
    keys = {
        uscc: [key for a in group for key in item_keys(stored_application(ctx, a))]
        for uscc, group in by_recipient.items()
    }
    identity = cycle_measure(ctx, cycle).identity  # what the ledger keys the measure by
    priors = priors_for(session, measure=identity, year=cycle.year, keys_by_recipient=keys)
    shared = shared_items(session, applications=applications)
    results: dict[int, Assessed] = {}
    for uscc, group in by_recipient.items():
        mine = [item for a in group for item in shared.get(a.id, [])]
        prior = replace(priors[uscc], withheld=withheld(mine))
        for line in assess_recipient(ctx, group, prior):
            results[line.application_id] = Assessed(
                line, priors[uscc].year_paid, tuple(shared.get(line.application_id, []))
            )
    return results


def who(application: Application) -> dict[str, str]:
    """Kept on the line so lists and notices need no join."""
    return {
        "number": application.number,
        "applicant": application.applicant.name,
        "jurisdiction": application.applicant.jurisdiction,
    }


def line_details(
    result: LineResult, prior_paid: int, shared: Sequence[SharedItem] = ()
) -> dict[str, Any]:
    """Everything a list, a notice or a payment needs, so none of them re-reads the payload."""
    return {
        "shared": [item.record() for item in shared],
        "eligible": result.payable,
        "items": [list(item) for item in result.items],
        "city_amount": result.city_amount,
        "jurisdiction_amount": result.jurisdiction_amount,
        "yearly_cap": result.yearly_cap,
        "explanation": list(result.explanation),
        "findings": list(result.findings),
        "edition": result.edition,
        "reference_date": result.reference_date,
        "reason": None if result.payable else result.reason(),
        "prior_year_paid": prior_paid,
    }


def _rewrite(session: Session, lines: Iterable[CycleLine], results: dict[int, Assessed]) -> None:
    for line in lines:
        assessed = results[line.application_id]
        line.amount = assessed.line.amount
        kept = {k: v for k, v in line.details.items() if k != "pro_rated"}
        line.details = {**kept, **assessed.details()}
    session.flush()


def _applications(session: Session, *where: Any) -> list[Application]:
    query = select(Application).options(joinedload(Application.applicant)).where(*where)
    return list(session.scalars(query.order_by(Application.id)).unique())


def included(session: Session, cycle: Cycle) -> list[CycleLine]:
    """The lines still on the list, in the order they were lined up."""
    return lines_with(session, cycle, INCLUDED)


def lines_with(session: Session, cycle: Cycle, status: str) -> list[CycleLine]:
    query = select(CycleLine).where(CycleLine.cycle_id == cycle.id, CycleLine.status == status)
    return list(session.scalars(query.order_by(CycleLine.id)))


@dataclass(frozen=True, kw_only=True)
class ListSummary:
    """What the cycle-level steps need of the list, read without loading every line."""

    count: int
    total: int
    shares: dict[str, int]  # jurisdiction code → the county share of its lines


def summarise(session: Session, cycle: Cycle, status: str = INCLUDED) -> ListSummary:
    """Streamed in partitions, so memory stays flat however long the list is."""
    rows = session.execute(
        select(CycleLine.amount, CycleLine.details)
        .where(CycleLine.cycle_id == cycle.id, CycleLine.status == status)
        .execution_options(yield_per=1000)
    )
    count = total = 0
    shares: dict[str, int] = {}
    for amount, details in rows:
        count += 1
        total += int(amount)
        place = str(details.get("jurisdiction", ""))
        shares[place] = shares.get(place, 0) + int(details.get("jurisdiction_amount", 0))
    return ListSummary(count=count, total=total, shares=shares)


def lines_numbered(session: Session, cycle: Cycle, numbers: Collection[str]) -> list[CycleLine]:
    """The included lines of these application numbers."""
    query = (
        select(CycleLine)
        .join(Application, Application.id == CycleLine.application_id)
        .where(
            CycleLine.cycle_id == cycle.id,
            CycleLine.status == INCLUDED,
            Application.number.in_(list(numbers)),
        )
    )
    return list(session.scalars(query))


def count_with(session: Session, cycle: Cycle, status: str = INCLUDED) -> int:
    query = select(func.count(CycleLine.id)).where(
        CycleLine.cycle_id == cycle.id, CycleLine.status == status
    )
    return int(session.scalar(query) or 0)


def total_with(session: Session, cycle: Cycle, status: str) -> int:
    query = select(func.coalesce(func.sum(CycleLine.amount), 0)).where(
        CycleLine.cycle_id == cycle.id, CycleLine.status == status
    )
    return int(session.scalar(query) or 0)
