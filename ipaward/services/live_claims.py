"""One live application per applicant and once-only item.

The same file submitted twice, or a second application for an item the applicant's first
one is still waiting on, would be two live applications for one payment. It is refused at
filing, naming the first, inside the storing transaction: the applicant's row is locked
first (created if new), so two filings of one applicant are stored one after the other and
the second always sees the first. On PostgreSQL that is `SELECT … FOR UPDATE`; SQLite
transactions here begin IMMEDIATE, which serialises every writer anyway.

Live means open (`OPEN_STATES`): a rejected or withdrawn application leaves its items free
to be filed again, and a paid one is the ledger's business (the rule explains that the item
was paid already; the ledger's unique key refuses a second payment). A resubmission after
补正 is the same application, never a second one. Other applicants claiming the item are
not refused here: the reviewers see it (`workflow/checks.py`, `claimed_elsewhere`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ipaward.db.models import Applicant, Application, EvidenceItem
from ipaward.exchange.problems import InvalidApplications, Problem
from ipaward.exchange.validate import ValidApplication
from ipaward.repository.ledger import describe_item
from ipaward.workflow.states import OPEN_STATES, STATE_NAMES


class SecondLiveApplication(InvalidApplications):
    """The applicant already has a live application for one of these items; nothing stored."""

    def __init__(self, problems: Sequence[Problem], *, first: str) -> None:
        super().__init__(problems)
        self.first = first  # the live application's number, or its place in this filing


def lock_applicant(session: Session, application: ValidApplication) -> Applicant:
    """The applicant's row, created when new, locked until the transaction ends."""
    facts = application.envelope.applicant
    query = select(Applicant).where(Applicant.uscc == facts.uscc).with_for_update()
    applicant = session.scalars(query).one_or_none()
    if applicant is None:
        values = {
            "uscc": facts.uscc,
            "name": facts.name,
            "kind": facts.kind,
            "jurisdiction": application.jurisdiction.code,
        }
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":  # a racing first filing: wait for it, then lock its row
            session.execute(postgresql_insert(Applicant).values(values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            session.execute(sqlite_insert(Applicant).values(values).on_conflict_do_nothing())
        else:
            session.add(Applicant(**values))
            session.flush()
        applicant = session.scalars(query).one()
    return applicant


def refuse_second_live(
    session: Session,
    *,
    applicant_id: int,
    application: ValidApplication,
    keys: Iterable[str],
    own_id: int | None,
) -> None:
    """Raise SecondLiveApplication when another live application of this applicant claims one
    of `keys` (the caller holds the applicant's lock). Keys begin with the measure's identity,
    so this holds whatever clause number each application's edition gives the measure."""
    wanted = set(keys)
    rows = session.execute(
        select(Application.id, Application.number, Application.state, EvidenceItem.item_key)
        .join(EvidenceItem, EvidenceItem.application_id == Application.id)
        .where(
            Application.applicant_id == applicant_id,
            Application.state.in_(OPEN_STATES),
        )
        .order_by(Application.id, EvidenceItem.id)
    ).all()
    clashes = [row for row in rows if row.id != own_id and row.item_key in wanted]
    if not clashes:
        return
    first = clashes[0]
    items = [row.item_key for row in clashes if row.id == first.id]
    state = STATE_NAMES.get(first.state, first.state)
    raise SecondLiveApplication(
        [
            Problem(
                code="already_applied",
                path=f"{application.path}.evidence",
                message=f"申请人{application.envelope.applicant.name}已有在办申请{first.number}"
                f"({state})申报了{_items(items, application.measure)},同一项目不能同时有两份在办申请;"
                f"请等待{first.number}办结或先撤回(ipaward withdraw {first.number}),"
                f"需补正的请用 ipaward resubmit {first.number}",
            )
        ],
        first=first.number,
    )


def refuse_within_filing(
    applications: Sequence[ValidApplication], keys: Sequence[set[str]]
) -> None:
    """Two applications of one filing (one transaction) by one applicant for one item."""
    seen: dict[tuple[str, str, str], int] = {}
    for index, (application, claimed) in enumerate(zip(applications, keys, strict=True)):
        owner = (application.envelope.applicant.uscc, application.identity)
        clash = next(
            (seen[(*owner, key)] for key in sorted(claimed) if (*owner, key) in seen), None
        )
        if clash is not None:
            other = applications[clash]
            shared = sorted(claimed & keys[clash])
            place = f"本次提交的第{clash + 1}份申请({other.path})"
            raise SecondLiveApplication(
                [
                    Problem(
                        code="already_applied",
                        path=f"{application.path}.evidence",
                        message=f"与{place}是同一申请人的同一项目({_items(shared, application.measure)});"
                        "同一项目只能申报一次,请删去其中一份",
                    )
                ],
                first=place,
            )
        for key in claimed:
            seen.setdefault((*owner, key), index)


def _items(keys: Sequence[str], measure: str) -> str:
    named = [describe_item(key) for key in keys[:3]]
    text = "、".join(f"措施{measure}的奖补" if name == "该单位" else name for name in named)
    return text + (f"等{len(keys)}项" if len(keys) > 3 else "")
