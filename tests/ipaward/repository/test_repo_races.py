"""Two workers at the same moment: the database lets exactly one of them win.

Each thread has its own engine and session, waits at a barrier, then runs its work in a
transaction that stays open a little while, so the second one really collides with the
first instead of running after it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import AnnualAccount, FundMovement, LedgerEntry, LedgerItem
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.repository.budgets import BudgetExhausted, commit_budget, set_budget
from ipaward.repository.counters import next_value
from ipaward.repository.funds import FundExhausted, draw, ensure_fund, fund_balance
from ipaward.repository.ledger import AlreadyPaid, YearlyCapExceeded
from ipaward.repository.postings import Posting, post_award

MakeApplication = Callable[..., int]
HOLD_SECONDS = 0.3


def race(url: str, work: Callable[[Session, int], Any], *, workers: int = 2) -> list[Any]:
    """Run `work(session, worker_index)` in `workers` threads at once; results or exceptions."""
    barrier = threading.Barrier(workers)
    outcomes: list[Any] = [None] * workers

    def run(index: int) -> None:
        engine = make_engine(url)
        try:
            factory = make_session_factory(engine)
            barrier.wait(timeout=30)
            with transaction(factory) as session:
                outcomes[index] = work(session, index)
                time.sleep(HOLD_SECONDS)
        except Exception as exc:
            outcomes[index] = exc
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a racing worker hung"
    return outcomes


def posting(application_id: int, *, item_key: str, amount: int) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "measure": "M07",
        "recipient_uscc": "12350600000000000X",
        "year": 2024,
        "amount": amount,
        "items": [(item_key, 5_000)],
        "city_amount": amount,
        "jurisdiction_amount": 0,
        "jurisdiction": None,
        "edition": "2024",
        "yearly_cap": 300_000,
    }


def scalar(factory: sessionmaker[Session], statement: Any) -> Any:
    with transaction(factory) as session:
        return session.execute(statement).scalar_one()


def test_the_same_once_only_item_is_paid_once(
    migrated_url: str, session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        apps = [make_application(session), make_application(session)]

    def pay(session: Session, index: int) -> int:
        key = "M07:transfer:201710601862.3"
        return post_award(session, Posting(**posting(apps[index], item_key=key, amount=35_000)))

    outcomes = race(migrated_url, pay)
    assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, AlreadyPaid) for o in outcomes) == 1, outcomes
    assert scalar(session_factory, select(func.count(LedgerItem.id))) == 1
    assert scalar(session_factory, select(func.count(LedgerEntry.id))) == 1
    assert scalar(session_factory, select(AnnualAccount.paid)) == 35_000


def test_two_postings_that_fit_the_cap_alone_but_not_together(
    migrated_url: str, session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        apps = [make_application(session), make_application(session)]

    def pay(session: Session, index: int) -> int:
        item = f"M07:transfer:{index}"
        return post_award(session, Posting(**posting(apps[index], item_key=item, amount=200_000)))

    outcomes = race(migrated_url, pay)
    assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, YearlyCapExceeded) for o in outcomes) == 1, outcomes
    assert scalar(session_factory, select(AnnualAccount.paid)) == 200_000
    assert scalar(session_factory, select(func.count(LedgerEntry.id))) == 1


def test_two_draws_that_fit_the_fund_alone_but_not_together(
    migrated_url: str, session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        ensure_fund(session, code="M10", name="风险补偿资金池", capacity=1_000_000)
        apps = [make_application(session, measure="M10") for _ in range(2)]

    def claim(session: Session, index: int) -> int:
        return draw(
            session, code="M10", amount=600_000, application_id=apps[index], reason="loss"
        ).id

    outcomes = race(migrated_url, claim)
    assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, FundExhausted) for o in outcomes) == 1, outcomes
    assert scalar(session_factory, select(func.count(FundMovement.id))) == 1
    with transaction(session_factory) as session:
        assert fund_balance(session, code="M10") == 400_000


def test_two_commitments_that_fit_the_budget_alone_but_not_together(
    migrated_url: str, session_factory: sessionmaker[Session]
) -> None:
    with transaction(session_factory) as session:
        set_budget(session, measure="M02", year=2024, amount=1_000_000)

    def commit(session: Session, index: int) -> int:
        return commit_budget(session, measure="M02", year=2024, amount=700_000)

    outcomes = race(migrated_url, commit)
    assert sorted(type(o).__name__ for o in outcomes) == ["BudgetExhausted", "int"], outcomes
    assert any(isinstance(o, BudgetExhausted) and o.remaining == 300_000 for o in outcomes)


def test_counters_are_gap_free_and_unique_under_two_threads(migrated_url: str) -> None:
    """Each number is taken in its own transaction, as numbering an application does."""
    increments = 50
    taken: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        engine = make_engine(migrated_url)
        try:
            factory = make_session_factory(engine)
            barrier.wait(timeout=30)
            for _ in range(increments):
                with transaction(factory) as session:
                    taken[index].append(next_value(session, key="app:2024:M07"))
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a counting worker hung"
    assert sorted(taken[0] + taken[1]) == list(range(1, 2 * increments + 1))
    for mine in taken:
        assert mine == sorted(mine)
