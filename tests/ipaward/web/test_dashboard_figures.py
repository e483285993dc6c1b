"""The dashboard's figures on a hand-built cohort, on SQLite and PostgreSQL: the pipeline in
route order (an annual application at its list's stage), money by reward year and by
Zhangzhou's posting year, budgets, per-unit caps and funds, months by Zhangzhou's date,
backlogs in working days, and a department's scope (pages it may open, lists it reviews)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import Application, Budget, Cycle, CycleLine, Fund, LedgerEntry, WorkItem
from ipaward.settings import Settings
from ipaward.web.due_distances import DeadlineCounter
from ipaward.web.reads.access import scope_of
from ipaward.web.reads.dashboard import dashboard
from ipaward.workflow.context import WorkflowContext, load_context
from tests.conftest import MakeApplication

PROJECT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2025, 10, 27)
UNIT = "12350600000000000X"
UTC = dt.UTC


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def _app(
    session: Session,
    make: MakeApplication,
    measure: str,
    *,
    year: int | None,
    state: str,
    stage: str | None = None,
    amount: int | None = None,
) -> Application:
    app = session.get_one(Application, make(session, measure=measure))
    app.year, app.state, app.stage = year, state, stage
    app.submitted_on = dt.date(2025, 9, 15)
    if amount is not None:
        app.assessment = {"eligible": True, "amount": amount}
    return app


IDENTITIES = {"M07": "patent-transfers", "M12": "enforcement-cases"}


def _item(
    session: Session,
    app: Application | None,
    department: str,
    *,
    state: str,
    due: dt.date,
    cycle: Cycle | None = None,
) -> WorkItem:
    item = WorkItem(
        application_id=app.id if app else None,
        cycle_id=cycle.id if cycle else None,
        stage="lead_review",
        department=department,
        state=state,
        due_on=due,
    )
    session.add(item)
    return item


def _paid(session: Session, app: Application, amount: int, posted: str) -> None:
    session.add(
        LedgerEntry(
            application_id=app.id,
            measure=IDENTITIES[app.measure],  # the ledger keeps the measure's identity
            recipient_uscc=UNIT,
            year=app.year,
            amount=amount,
            city_amount=amount,
            jurisdiction_amount=0,
            edition="2024",
            posted_at=_at(posted),
        )
    )


def _cohort(session: Session, make: MakeApplication) -> dict[str, Any]:
    in_review = _app(
        session, make, "M07", year=2024, state="in_review", stage="lead_review", amount=40_000
    )
    listed = _app(session, make, "M09", year=2024, state="awaiting_cycle", amount=99)
    _app(session, make, "M13", year=2024, state="awaiting_cycle", amount=100_000)  # no list yet
    claim = _app(
        session, make, "M10", year=None, state="in_review", stage="lead_review", amount=500_000
    )
    paid = _app(session, make, "M07", year=2024, state="paid")
    one_off = _app(session, make, "M12", year=None, state="paid")
    returned = _app(session, make, "M15", year=None, state="correction_requested", amount=50_000)
    _app(session, make, "M01", year=None, state="submitted")  # no work item yet
    session.flush()
    _item(session, in_review, "city.amr", state="open", due=dt.date(2025, 10, 10))
    _item(session, claim, "city.finreg", state="open", due=dt.date(2025, 11, 3))
    for app in (paid, one_off, returned):
        _item(session, app, "city.amr", state="done", due=dt.date(2025, 9, 1))
    cycle = Cycle(measure="M09", year=2024, state="publicity", stage="publicity", details={})
    session.add(cycle)
    session.flush()
    list_item = _item(session, None, "city.amr", state="done", due=dt.date(2025, 9, 1), cycle=cycle)
    session.add(
        CycleLine(
            cycle_id=cycle.id,
            application_id=listed.id,
            recipient_uscc=UNIT,
            amount=30_000,
            status="included",
            details={},
        )
    )
    # 17:30 UTC on 31 December is 1 January in Zhangzhou: posted in 2025, for reward year 2024
    _paid(session, paid, 100_000, "2024-12-31T17:30:00")
    _paid(session, paid, 200_000, "2025-06-30T15:59:00")  # 23:59 in Zhangzhou: still June
    _paid(session, one_off, 150_000, "2025-02-28T16:00:00")  # midnight: 1 March in Zhangzhou
    session.add(Budget(measure="patent-transfers", year=2024, amount=1_500_000, committed=300_000))
    session.add(
        Fund(
            code="inclusive_finance_risk_fund",
            name="风险补偿资金",
            capacity=10**8,
            balance=99_500_000,
        )
    )
    session.flush()
    return {"listed": listed, "list_item": list_item, "in_review": in_review, "claim": claim}


@pytest.fixture
def ctx(tmp_path: Path, migrated_url: str) -> WorkflowContext:
    return load_context(
        Settings(home=tmp_path, database_url=migrated_url, config_dir=PROJECT / "config")
    )


def _figures(session: Session, ctx: WorkflowContext, department: str) -> dict[str, Any]:
    return dashboard(
        session,
        scope_of(session, department),
        ctx,
        DeadlineCounter(ctx.calendar),
        today=TODAY,
        prefect_ui_url="http://127.0.0.1:4200",
    )


def _pipeline(data: dict[str, Any]) -> dict[str, int]:
    return {row["name"]: row["count"] for row in data["pipeline"] if row["count"]}


def _limits(data: dict[str, Any]) -> dict[tuple[str, str, int | None], dict[str, Any]]:
    return {(r["kind"], r["measure"], r.get("year")): r for r in data["money"]["limits"]}


def test_the_operator_sees_every_figure(
    session_factory: sessionmaker[Session], make_application: MakeApplication, ctx: WorkflowContext
) -> None:
    with session_factory() as session:
        _cohort(session, make_application)
        data = _figures(session, ctx, "operator")

    assert data["applications"]["total"] == 8
    assert [row["name"] for row in data["pipeline"]][:5] == [
        "受理审查", "待申请人补正", "待年度集中评审", "牵头单位审核", "责任单位会签",
    ]  # fmt: skip
    assert _pipeline(data) == {
        "受理审查": 1,
        "待申请人补正": 1,
        "待年度集中评审": 1,
        "牵头单位审核": 2,
        "公示": 1,  # the M09 application stands where its yearly list stands
    }
    assert data["money"]["paid"] == [
        {"measure": "M07", "reward_year": 2024, "posted_year": 2025, "payments": 2,
         "paid": 300_000, "city": 300_000, "jurisdiction": 0},
        {"measure": "M12", "reward_year": None, "posted_year": 2025, "payments": 1,
         "paid": 150_000, "city": 150_000, "jurisdiction": 0},
    ]  # fmt: skip
    limits = _limits(data)
    assert limits["budget", "M07", 2024] == {
        "kind": "budget", "measure": "M07", "year": 2024, "limit": 1_500_000, "paid": 300_000,
        "committed": 300_000, "approved": 0, "reviewing": 40_000,
    }  # fmt: skip
    assert limits["budget", "M09", 2024]["approved"] == 30_000  # its list is in 公示
    assert limits["budget", "M13", 2024]["reviewing"] == 100_000
    assert limits["cap", "M07", 2024] == {
        "kind": "cap", "measure": "M07", "year": 2024, "limit": 300_000, "paid": 300_000,
        "units": 1, "at_cap": 1,
    }  # fmt: skip
    assert ("budget", "M07", 2026) not in limits  # a future year without activity
    [fund] = [r for r in data["money"]["limits"] if r["kind"] == "fund"]
    assert fund["measure"] == "M10" and fund["paid"] == 500_000 and fund["limit"] == 10**8

    monthly = data["monthly"]
    assert monthly["months"][0] == "2025-01" and monthly["months"][-1] == "2025-10"
    paid = dict(zip(monthly["months"], monthly["paid"], strict=True))
    assert {m: n for m, n in paid.items() if n} == {"2025-01": 1, "2025-03": 1, "2025-06": 1}
    assert dict(zip(monthly["months"], monthly["submitted"], strict=True))["2025-09"] == 8

    backlog = {row["department"]: row for row in data["backlog"]}
    assert backlog["city.amr"] == {
        "department": "city.amr", "open": 1, "overdue": 1, "escalated": 1,
        "earliest_due": "2025-10-10",
    }  # fmt: skip
    assert backlog["city.finreg"]["overdue"] == 0


def test_a_department_counts_only_what_it_may_open(
    session_factory: sessionmaker[Session], make_application: MakeApplication, ctx: WorkflowContext
) -> None:
    with session_factory() as session:
        made = _cohort(session, make_application)
        data = _figures(session, ctx, "city.amr")
        numbers = {row["number"]: row["page"] for row in data["recent"]}

    # its pages (four applications) and the line of the yearly list it reviewed
    assert data["applications"]["total"] == 5
    assert _pipeline(data) == {"待申请人补正": 1, "牵头单位审核": 1, "公示": 1}
    assert numbers[made["in_review"].number] == f"/applications/{made['in_review'].number}"
    assert numbers[made["listed"].number] == f"/work-items/{made['list_item'].id}"
    assert made["claim"].number not in numbers  # M10 is city.finreg's
    assert [row["department"] for row in data["backlog"]] == ["city.amr"]
    limits = _limits(data)
    assert limits["budget", "M13", 2024]["reviewing"] == 0  # that application is not its
    assert not [r for r in data["money"]["limits"] if r["kind"] == "fund"]  # M10's fund
    assert data["money"]["total_paid"] == 450_000


def test_a_department_without_work_sees_nothing(
    session_factory: sessionmaker[Session], make_application: MakeApplication, ctx: WorkflowContext
) -> None:
    with session_factory() as session:
        _cohort(session, make_application)
        data = _figures(session, ctx, "city.court")
    assert data["applications"]["total"] == 0 and data["recent"] == []
    assert data["backlog"] == [] and data["money"]["paid"] == []
    assert sum(row["count"] for row in data["pipeline"]) == 0
    assert data["money"]["limits"] == [] and sum(data["monthly"]["paid"]) == 0
