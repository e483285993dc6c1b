"""Money that runs out: the M02 yearly budget and the M10 risk fund are never overdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import Budget, Fund, LedgerEntry
from ipaward.repository.budgets import set_budget
from ipaward.repository.funds import ensure_fund
from ipaward.workflow.advance import advance_application
from ipaward.workflow.advance_report import AdvanceReport
from tests.ipaward.repository.test_repo_races import race
from tests.support.applications import example
from tests.support.identifiers import uscc
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)


def navigation_project(serial: int) -> dict[str, Any]:
    data = example("m02_navigation_project")  # 400,000
    data["evidence"]["project"]["title"] = f"漳州市第{serial}号产业专利导航"
    data["applicant"]["uscc"] = uscc(serial, prefix="11350600")
    return data


def at_finance(bench: Workbench, data: dict[str, Any]) -> str:
    number = bench.submit(data, on=FILED)
    bench.drive(number, on=FILED, until=at("finance"))
    bench.decide_all(number)
    return number


def committed_and_paid(bench: Workbench) -> tuple[int, int]:
    with bench.transaction() as session:
        committed = session.scalars(select(Budget.committed)).one()
        paid = session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0)))
    return int(committed), int(paid or 0)


def test_navigation_projects_are_paid_within_the_years_budget_the_last_one_what_is_left(
    bench: Workbench,
) -> None:
    with bench.transaction() as session:
        set_budget(session, measure="patent-navigation", year=2025, amount=500_000)
    first, second = (
        at_finance(bench, navigation_project(1)),
        at_finance(bench, navigation_project(2)),
    )

    assert bench.advance(first, on=FILED).state == "paid"
    assert bench.advance(second, on=FILED).state == "paid"

    assert [bench.ledger(n)[0].amount for n in (first, second)] == [400_000, 100_000]
    assert committed_and_paid(bench) == (500_000, 500_000)
    third = at_finance(bench, navigation_project(3))
    report = bench.advance(third, on=FILED)
    assert report.state == "rejected" and report.steps[-1].startswith("不予奖励:拨付前复核")
    assert committed_and_paid(bench) == (500_000, 500_000)


def test_two_navigation_projects_paid_at_the_same_moment_never_overdraw_the_budget(
    bench: Workbench,
) -> None:
    with bench.transaction() as session:
        set_budget(session, measure="patent-navigation", year=2025, amount=500_000)
    ids = [bench.application(at_finance(bench, navigation_project(i))).id for i in (1, 2)]

    def work(session: Session, index: int) -> AdvanceReport:
        return advance_application(session, bench.ctx, application_id=ids[index], today=FILED)

    outcomes = race(bench.settings.database_url, work)

    assert all(isinstance(o, AdvanceReport) for o in outcomes), outcomes
    committed, paid = committed_and_paid(bench)
    assert committed == paid <= 500_000
    # SQLite serialises the two: the second is paid what is left. On PostgreSQL both read the
    # full budget and the budget's check constraint refuses the second commitment at posting.
    states = sorted(o.state for o in outcomes)
    assert states in (["paid", "paid"], ["paid", "rejected"])


def test_a_claim_larger_than_the_funds_balance_is_paid_the_balance_and_the_next_is_refused(
    bench: Workbench,
) -> None:
    with bench.transaction() as session:
        ensure_fund(
            session, code="inclusive_finance_risk_fund", name="风险补偿资金", capacity=600_000
        )
    first = at_finance(bench, example("m10_pledge_loan_loss"))  # 80% of the loss is 1,000,001

    assert bench.advance(first, on=FILED).state == "paid"
    assert bench.ledger(first)[0].amount == 600_000
    with bench.transaction() as session:
        assert session.scalars(select(Fund.balance)).one() == 0

    second_claim = example("m10_pledge_loan_loss")
    second_claim["evidence"]["loan"]["contract_no"] = "XY-ZZ-ZYDK-2024-0099"
    second = at_finance(bench, second_claim)
    report = bench.advance(second, on=FILED)
    assert report.state == "rejected"
    assert bench.ledger(second) == []
