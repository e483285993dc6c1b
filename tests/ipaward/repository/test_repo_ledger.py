"""Posting to the ledger: all or nothing, and what load_prior_awards reports afterwards."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import AnnualAccount, AuditEntry, LedgerEntry, LedgerItem
from ipaward.db.session import transaction
from ipaward.repository.budgets import set_budget
from ipaward.repository.funds import ensure_fund
from ipaward.repository.ledger import (
    AlreadyPaid,
    LedgerError,
    YearlyCapExceeded,
    load_prior_awards,
)
from ipaward.repository.postings import Posting, post_award, post_many

MakeApplication = Callable[..., int]
UNIVERSITY = "12350600000000000X"
OTHER = "91350600000000000Y"


def post(session: Session, application_id: int, **overrides: Any) -> LedgerEntry:
    """A M07 posting with sensible defaults; tests override what they are about."""
    values: dict[str, Any] = {
        "application_id": application_id,
        "measure": "M07",
        "recipient_uscc": UNIVERSITY,
        "year": 2024,
        "amount": 35_000,
        "items": [("M07:transfer:201710601862.3", 5_000)],
        "city_amount": 35_000,
        "jurisdiction_amount": 0,
        "jurisdiction": "XC",
        "edition": "2024",
        "yearly_cap": 300_000,
    }
    values.update(overrides)
    actor = values.pop("actor", "system")
    entry = session.get(LedgerEntry, post_award(session, Posting(**values), actor=actor))
    assert entry is not None
    return entry


def count(session: Session, model: type[Any]) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_posting_stores_entry_items_year_total_and_audit_row(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    items = [("M07:transfer:B", 5_000), ("M07:transfer:A", 5_000)]
    entry = post(session, app_id, items=items)
    assert [(i.item_key, i.amount, i.year) for i in entry.items] == [
        ("M07:transfer:A", 5_000, 2024),
        ("M07:transfer:B", 5_000, 2024),
    ]
    account = session.execute(select(AnnualAccount)).scalar_one()
    assert (account.cap, account.paid) == (300_000, 35_000)
    audit_row = session.execute(select(AuditEntry)).scalar_one()
    assert (audit_row.action, audit_row.entity_id) == ("ledger.post", str(entry.id))
    assert audit_row.details["items"] == ["M07:transfer:A", "M07:transfer:B"]


def test_already_paid_keeps_the_outer_transaction_usable_and_stores_nothing(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        app_id = make_application(session)
        post(session, app_id, items=[("M07:transfer:1", 5_000)])
        with pytest.raises(AlreadyPaid) as raised:
            post(
                session,
                app_id,
                items=[("M07:transfer:0", 5_000), ("M07:transfer:1", 5_000)],
            )
        assert raised.value.item_key == "M07:transfer:1"
        post(session, app_id, items=[("M07:transfer:2", 5_000)])
    with transaction(session_factory) as session:
        keys = session.scalars(select(LedgerItem.item_key).order_by(LedgerItem.item_key)).all()
        assert keys == ["M07:transfer:1", "M07:transfer:2"]
        assert count(session, LedgerEntry) == 2
        assert count(session, AuditEntry) == 2
        account = session.execute(select(AnnualAccount)).scalar_one()
        assert account.paid == 70_000


def test_an_item_paid_to_another_recipient_is_already_paid(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    post(session, app_id, recipient_uscc=OTHER, items=[("M07:transfer:X", 5_000)])
    with pytest.raises(AlreadyPaid):
        post(session, app_id, items=[("M07:transfer:X", 5_000)])
    # The same key under another measure is another item.
    post(session, app_id, measure="M09", items=[("M07:transfer:X", 5_000)], yearly_cap=None)


def test_yearly_cap_exceeded_stores_nothing_and_keeps_the_transaction(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        app_id = make_application(session)
        post(session, app_id, amount=250_000, items=[("M07:transfer:1", 5_000)])
        with pytest.raises(YearlyCapExceeded) as raised:
            post(session, app_id, amount=60_000, items=[("M07:transfer:2", 5_000)])
        assert (raised.value.cap, raised.value.paid, raised.value.amount) == (
            300_000,
            250_000,
            60_000,
        )
        post(session, app_id, amount=50_000, items=[("M07:transfer:3", 5_000)])
        post(session, app_id, year=2025, amount=60_000, items=[("M07:transfer:4", 5_000)])
    with transaction(session_factory) as session:
        assert "M07:transfer:2" not in session.scalars(select(LedgerItem.item_key)).all()
        rows = session.execute(select(AnnualAccount.year, AnnualAccount.paid))
        paid = {year: total for year, total in rows}
        assert paid == {2024: 300_000, 2025: 60_000}


def test_malformed_postings_are_refused_before_touching_the_database(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    with pytest.raises(ValueError, match="twice"):
        post(session, app_id, items=[("K", 1), ("K", 2)])
    with pytest.raises(ValueError, match="negative"):
        post(session, app_id, amount=-1)
    with pytest.raises(ValueError, match="year"):
        post(session, app_id, year=None)
    assert count(session, LedgerEntry) == 0


def test_ledger_exceptions_survive_pickling() -> None:
    """Prefect may pickle a task's exception; it must come back intact."""
    already = pickle.loads(pickle.dumps(AlreadyPaid("M07:transfer:1")))
    assert already.item_key == "M07:transfer:1"
    assert str(already) == "专利1的转让已获本措施奖励,不重复奖励"
    cap = pickle.loads(pickle.dumps(YearlyCapExceeded("M07", UNIVERSITY, 2024, 300_000, 1, 2)))
    assert (cap.cap, cap.paid, cap.amount) == (300_000, 1, 2)


def test_load_prior_awards_reports_items_year_and_measure_totals(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        app_id = make_application(session)
        post(session, app_id, year=2023, amount=30_000, items=[("M07:t:1", 5_000)])
        post(session, app_id, amount=35_000, items=[("M07:t:2", 5_000), ("M07:t:3", 5_000)])
        post(session, app_id, recipient_uscc=OTHER, amount=30_000, items=[("M07:t:9", 5_000)])
        set_budget(session, measure="M07", year=2024, amount=1_000_000)
        ensure_fund(session, code="M10", name="风险补偿资金池", capacity=100_000_000)
    with transaction(session_factory) as session:
        prior = load_prior_awards(
            session,
            measure="M07",
            recipient_uscc=UNIVERSITY,
            year=2024,
            item_keys=["M07:t:1", "M07:t:9", "M07:t:new"],
            fund_code="M10",
        )
    assert dict(prior.paid_items) == {"M07:t:1": 5_000, "M07:t:9": 5_000}
    assert (prior.year_paid, prior.year_items, prior.measure_paid) == (35_000, 2, 65_000)
    assert (prior.budget_remaining, prior.fund_balance) == (1_000_000, 100_000_000)


def test_load_prior_awards_for_a_newcomer_is_empty(session: Session) -> None:
    prior = load_prior_awards(session, measure="M01", recipient_uscc=OTHER, year=None, item_keys=[])
    assert (dict(prior.paid_items), prior.year_paid, prior.year_items, prior.measure_paid) == (
        {},
        0,
        0,
        0,
    )
    assert (prior.budget_remaining, prior.fund_balance) == (None, None)


def test_load_prior_awards_handles_more_keys_than_one_in_list(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    items = [(f"M09:product:{n:05d}", 5_000) for n in range(1_200)]
    post(session, app_id, measure="M09", amount=100_000, items=items, yearly_cap=100_000)
    prior = load_prior_awards(
        session,
        measure="M09",
        recipient_uscc=UNIVERSITY,
        year=2024,
        item_keys=[key for key, _ in items],
    )
    assert len(prior.paid_items) == 1_200
    assert prior.year_items == 1_200


def test_a_chunk_over_one_recipients_cap_is_refused_whole_and_a_chunk_within_is_posted(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    """post_many charges a chunk's accounts with one conditional UPDATE: one recipient over
    its cap refuses the chunk (the caller then posts recipient by recipient)."""

    def posting(app_id: int, uscc: str, amount: int, key: str) -> Posting:
        return Posting(
            application_id=app_id,
            measure="M07",
            recipient_uscc=uscc,
            year=2024,
            amount=amount,
            items=[(key, 5_000)],
            city_amount=amount,
            jurisdiction_amount=0,
            jurisdiction="XC",
            edition="2024",
            yearly_cap=300_000,
        )

    with transaction(session_factory) as session:
        first = make_application(session)
        second = make_application(session, uscc=OTHER)
        post(session, first, amount=250_000, items=[("M07:transfer:1", 5_000)])
        over = [posting(first, UNIVERSITY, 60_000, "M07:transfer:2")]
        over.append(posting(second, OTHER, 60_000, "M07:transfer:3"))
        with pytest.raises(LedgerError), session.begin_nested():
            post_many(session, over, actor="system")
        within = [posting(first, UNIVERSITY, 50_000, "M07:transfer:2")]
        within.append(posting(second, OTHER, 60_000, "M07:transfer:3"))
        assert len(post_many(session, within, actor="system")) == 2
    with transaction(session_factory) as session:
        rows = session.execute(select(AnnualAccount.recipient_uscc, AnnualAccount.paid))
        assert {row.recipient_uscc: row.paid for row in rows} == {
            UNIVERSITY: 300_000,
            OTHER: 60_000,
        }
        assert count(session, LedgerEntry) == 3
