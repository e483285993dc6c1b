"""Funds, budgets, counters and audit rows, one transaction at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import AuditEntry, Fund, FundMovement
from ipaward.db.session import transaction
from ipaward.repository import audit
from ipaward.repository.budgets import (
    BudgetExhausted,
    NoBudget,
    budget_remaining,
    commit_budget,
    set_budget,
)
from ipaward.repository.counters import next_value
from ipaward.repository.funds import (
    FundExhausted,
    UnknownFund,
    draw,
    ensure_fund,
    fund_balance,
)

MakeApplication = Callable[..., int]


def test_ensure_fund_creates_once_with_a_full_balance(session: Session) -> None:
    fund = ensure_fund(session, code="M10", name="风险补偿资金池", capacity=100_000_000)
    assert fund.balance == 100_000_000
    again = ensure_fund(session, code="M10", name="renamed", capacity=1)
    assert (again.id, again.name, again.capacity) == (fund.id, "风险补偿资金池", 100_000_000)
    assert fund_balance(session, code="M10") == 100_000_000
    assert fund_balance(session, code="nope") is None


def test_draw_takes_from_the_balance_and_records_why(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session, measure="M10")
    fund = ensure_fund(session, code="M10", name="池", capacity=1_000)
    movement = draw(session, code="M10", amount=800, application_id=app_id, reason="claim")
    assert (movement.amount, movement.fund_code, movement.application_id) == (-800, "M10", app_id)
    assert fund_balance(session, code="M10") == 200
    assert fund.balance == 200  # the loaded object is kept in step
    with pytest.raises(FundExhausted) as raised:
        draw(session, code="M10", amount=201, application_id=app_id, reason="claim")
    assert raised.value.balance == 200
    with pytest.raises(UnknownFund):
        draw(session, code="M99", amount=1, application_id=None, reason="x")
    with pytest.raises(ValueError):
        draw(session, code="M10", amount=0, application_id=None, reason="x")
    assert len(session.scalars(select(FundMovement)).all()) == 1
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["fund.create", "fund.draw"]
    assert session.get_one(Fund, fund.id).balance == 200


def test_budgets_commit_up_to_their_amount(session: Session) -> None:
    assert budget_remaining(session, measure="M02", year=2024) is None
    with pytest.raises(NoBudget):
        commit_budget(session, measure="M02", year=2024, amount=1)
    set_budget(session, measure="M02", year=2024, amount=500_000)
    assert commit_budget(session, measure="M02", year=2024, amount=300_000) == 200_000
    with pytest.raises(BudgetExhausted) as raised:
        commit_budget(session, measure="M02", year=2024, amount=200_001)
    assert raised.value.remaining == 200_000
    with pytest.raises(ValueError, match="below"):
        set_budget(session, measure="M02", year=2024, amount=299_999)
    budget = set_budget(session, measure="M02", year=2024, amount=400_000)
    assert (budget.amount, budget.committed) == (400_000, 300_000)
    assert budget_remaining(session, measure="M02", year=2024) == 100_000


def test_counters_start_at_one_and_give_back_rolled_back_numbers(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        assert [next_value(session, key="app:2024:M07") for _ in range(3)] == [1, 2, 3]
        assert next_value(session, key="app:2024:M09") == 1
    with pytest.raises(RuntimeError), transaction(session_factory) as session:
        assert next_value(session, key="app:2024:M07") == 4
        raise RuntimeError("abandoned")
    with transaction(session_factory) as session:
        assert next_value(session, key="app:2024:M07") == 4


def test_audit_record_returns_the_stored_row(session: Session) -> None:
    entry = audit.record(
        session, actor="dept:CZJ:张三", action="decision.approve", entity="work_item", entity_id=7
    )
    assert entry.id is not None
    assert (entry.entity_id, entry.details, entry.at.tzinfo is not None) == ("7", {}, True)
