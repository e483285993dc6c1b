"""Advancing is idempotent: twice equals once, and a run killed half-way leaves nothing behind.

A rerun after a crash must not duplicate a work item, a notice or a ledger row, and no
payment may be made twice, even when two applications claim the same transfers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import (
    AnnualAccount,
    AuditEntry,
    Fund,
    FundMovement,
    LedgerEntry,
    LedgerItem,
    Notice,
)
from ipaward.rules.facts import NO_PRIOR_AWARDS
from ipaward.workflow import notify, reassess
from ipaward.workflow.advance import advance_application
from ipaward.workflow.advance_report import AdvanceReport
from tests.ipaward.repository.test_repo_races import race
from tests.support.applications import example
from tests.support.identifiers import uscc
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)


def crash(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("worker killed")


def notice_files(bench: Workbench) -> set[str]:
    root = bench.settings.home
    return {path.relative_to(root).as_posix() for path in (root / "notices").rglob("*.txt")}


def stored_notice_paths(bench: Workbench) -> set[str]:
    with bench.transaction() as session:
        return {path for path in session.scalars(select(Notice.path)) if path}


def test_advancing_twice_equals_advancing_once_at_every_point_of_the_path(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    day = FILED
    seen: list[str] = []
    for _ in range(12):
        first = bench.advance(number, on=day)
        after_once = bench.footprint()
        again = bench.advance(number, on=day)
        assert bench.footprint() == after_once, first.steps
        assert (again.state, again.stage, again.steps) == (first.state, first.stage, [])
        assert again.waiting_on == first.waiting_on
        seen.append(first.stage or first.state)
        if first.state == "paid":
            break
        ends = bench.application(number).publicity_ends_on
        if first.state == "publicity" and ends is not None:
            day = ends
            assert bench.advance(number, on=day).steps == []  # the last day of 公示 changes nothing
            assert bench.footprint() == after_once
            day += dt.timedelta(days=1)
        else:
            bench.decide_all(number)
    assert seen == ["lead_review", "countersign", "publicity", "finance", "paid"]
    assert bench.footprint().ledger_entries == 1


def test_two_runs_advancing_one_application_at_the_same_moment_act_once(bench: Workbench) -> None:
    """A retried task and the trigger after a decision may overlap: the row lock serialises them."""
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide_all(number)
    before = bench.footprint()
    application_id = bench.application(number).id

    def work(session: Session, index: int) -> AdvanceReport:
        return advance_application(session, bench.ctx, application_id=application_id, today=FILED)

    outcomes = race(bench.settings.database_url, work)

    assert all(isinstance(o, AdvanceReport) for o in outcomes), outcomes
    # one moved it on, the other found it done
    assert sorted(len(o.steps) for o in outcomes) == [0, 2]
    after = bench.footprint()
    assert (after.notices, after.state_changes) == (before.notices + 2, before.state_changes + 1)
    assert bench.notice_kinds(number).count("publicity") == 1


def test_a_run_killed_while_opening_publicity_rolls_back_and_the_rerun_writes_each_notice_once(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide_all(number)
    before = bench.footprint()
    numbers_before = [n.doc_number for n in bench.notices(number)]

    with monkeypatch.context() as patch:
        patch.setattr(notify, "publicity", crash)  # after the review result notice and the move
        with pytest.raises(RuntimeError, match="worker killed"):
            bench.advance(number, on=FILED)

    assert bench.footprint() == before
    application = bench.application(number)
    assert (application.state, application.stage, application.publicity_ends_on) == (
        "in_review",
        "countersign",
        None,
    )

    report = bench.advance(number, on=FILED)

    assert report.state == "publicity"
    after = bench.footprint()
    assert after.notices == before.notices + 2  # review result and publicity, once each
    assert after.work_items == before.work_items
    assert after.state_changes == before.state_changes + 1
    kinds = bench.notice_kinds(number)
    assert (kinds.count("review_result"), kinds.count("publicity")) == (1, 1)
    # The killed run gave its document numbers back: the rerun's follow without a gap.
    amr = [
        n.doc_number
        for n in bench.notices(number)
        if n.authority == "city.amr" and n.kind != "task"  # a 待办 takes no number
    ]
    assert amr == [f"漳市监知〔2025〕{serial}号" for serial in range(1, len(amr) + 1)]
    assert [n for n in numbers_before if n in amr] == [
        n for n in numbers_before if n and n.startswith("漳市监知")
    ]
    # no file of a notice that was never stored
    assert notice_files(bench) == stored_notice_paths(bench)


def test_a_run_killed_after_posting_the_payment_rolls_the_ledger_back_and_the_rerun_pays_once(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("finance"))
    bench.decide_all(number)
    before = bench.footprint()

    with monkeypatch.context() as patch:
        patch.setattr(notify, "payment", crash)  # after the ledger entry and the move to paid
        with pytest.raises(RuntimeError, match="worker killed"):
            bench.advance(number, on=dt.date(2025, 10, 13))

    assert bench.footprint() == before
    assert bench.count(AnnualAccount) == 0
    assert bench.count(AuditEntry, AuditEntry.action == "ledger.post") == 0
    assert bench.application(number).state == "in_review"

    assert bench.advance(number, on=dt.date(2025, 10, 13)).state == "paid"
    assert bench.advance(number, on=dt.date(2025, 10, 14)).steps == []

    after = bench.footprint()
    assert (after.ledger_entries, after.ledger_items) == (1, 8)
    assert bench.notice_kinds(number).count("payment") == 1
    with bench.transaction() as session:
        account = session.scalars(select(AnnualAccount)).one()
        assert (account.paid, account.cap) == (40000, 300000)


def test_a_claim_killed_after_drawing_on_the_fund_leaves_the_fund_as_it_was(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = bench.submit(example("m10_pledge_loan_loss"), on=FILED)
    bench.drive(number, on=FILED, until=at("finance"))
    bench.decide_all(number)

    with monkeypatch.context() as patch:
        patch.setattr(notify, "payment", crash)
        with pytest.raises(RuntimeError):
            bench.advance(number, on=FILED)
    assert (bench.count(Fund), bench.count(FundMovement), bench.count(LedgerEntry)) == (0, 0, 0)

    bench.advance(number, on=FILED)
    bench.advance(number, on=FILED)
    assert (bench.count(Fund), bench.count(FundMovement), bench.count(LedgerEntry)) == (1, 1, 1)
    with bench.transaction() as session:
        assert session.scalars(select(Fund.balance)).one() == 100_000_000 - 1_000_001


def same_transfers_by_another_university() -> dict[str, Any]:
    data = example("m07_university_transfers")
    data["applicant"] |= {"name": "漳州职业技术学院", "uscc": uscc(7, prefix="12350600")}
    return data


@pytest.fixture
def two_claims_at_finance(bench: Workbench) -> tuple[str, str]:
    """Two universities claim the same eight transfers; both pass review and 公示."""
    first = bench.submit(example("m07_university_transfers"), on=FILED)
    second = bench.submit(same_transfers_by_another_university(), on=FILED)
    for number in (first, second):
        bench.drive(number, on=FILED, until=at("finance"))
        bench.decide_all(number)
    return first, second


def test_both_claims_show_the_reviewers_that_the_transfers_are_claimed_twice(
    bench: Workbench, two_claims_at_finance: tuple[str, str]
) -> None:
    first, second = two_claims_at_finance
    for number, other in ((first, second), (second, first)):
        assessment = bench.application(number).assessment
        assert assessment is not None
        elsewhere = [f for f in assessment["findings"] if f["code"] == "claimed_elsewhere"]
        assert len(elsewhere) == 8 and all(other in f["message"] for f in elsewhere)


def test_the_second_claim_of_paid_transfers_is_refused_before_payment(
    bench: Workbench, two_claims_at_finance: tuple[str, str]
) -> None:
    first, second = two_claims_at_finance
    payday = dt.date(2025, 10, 13)
    assert bench.advance(first, on=payday).state == "paid"

    report = bench.advance(second, on=payday)

    assert report.state == "rejected"
    assert report.steps[-1].startswith("不予奖励:拨付前复核")
    assert bench.notice_kinds(second)[-1] == "refusal"
    assert (bench.count(LedgerEntry), bench.count(LedgerItem)) == (1, 8)
    assert bench.ledger(second) == []


def test_the_ledger_refuses_a_second_payment_that_slipped_past_the_reassessment(
    bench: Workbench, two_claims_at_finance: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_claims_at_finance
    payday = dt.date(2025, 10, 13)
    bench.advance(first, on=payday)
    monkeypatch.setattr(reassess, "prior_awards", lambda *a, **k: NO_PRIOR_AWARDS)  # a stale read

    report = bench.advance(second, on=payday)

    assert report.state == "rejected"
    assert report.steps[-1].startswith("不予奖励:拨付被拒绝:专利")
    assert report.steps[-1].endswith("的转让已获本措施奖励,不重复奖励")
    assert (bench.count(LedgerEntry), bench.count(LedgerItem)) == (1, 8)
    assert bench.count(AuditEntry, AuditEntry.action == "ledger.post") == 1


def test_two_claims_paid_at_the_same_moment_pay_the_transfers_once(
    bench: Workbench, two_claims_at_finance: tuple[str, str]
) -> None:
    numbers = two_claims_at_finance
    ids = [bench.application(number).id for number in numbers]

    def work(session: Session, index: int) -> AdvanceReport:
        return advance_application(
            session, bench.ctx, application_id=ids[index], today=dt.date(2025, 10, 13)
        )

    outcomes = race(bench.settings.database_url, work)

    assert all(isinstance(o, AdvanceReport) for o in outcomes), outcomes
    assert sorted(o.state for o in outcomes) == ["paid", "rejected"]
    [refused] = [o for o in outcomes if o.state == "rejected"]
    # PostgreSQL runs both at once: the unique ledger item refuses the loser at posting, and
    # its second assessment sees the winner's transfers. SQLite serialises them: the loser's
    # first assessment already sees them. Either way the refusal quotes the rule's figures.
    assert "拨付前复核:" in refused.steps[-1]
    assert "少于6件" in refused.steps[-1]
    assert (bench.count(LedgerEntry), bench.count(LedgerItem)) == (1, 8)
    assert bench.count(Notice, Notice.kind == "payment") == 1


def test_notice_files_on_disk_match_the_stored_notices_after_a_whole_path(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="paid"))
    assert notice_files(bench) == stored_notice_paths(bench)
