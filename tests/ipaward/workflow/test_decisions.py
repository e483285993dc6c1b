"""A department's decision: its own open item, once; every refusal leaves no trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from ipaward.db.models import AuditEntry, Decision
from ipaward.workflow.decisions import Decided, decide
from ipaward.workflow.errors import (
    ConcurrentDecision,
    InvalidAction,
    NotFound,
    NotYourWorkItem,
    WorkflowError,
    WorkItemClosed,
)
from tests.ipaward.repository.test_repo_races import race
from tests.support.applications import example
from tests.support.workbench import Item, Workbench, at

FILED = dt.date(2025, 9, 15)
Attempt = Callable[[Workbench, Item], object]


def waiting_on_the_lead(bench: Workbench) -> tuple[str, Item]:
    """An application waiting on the lead unit's review; its one open work item."""
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)
    [item] = bench.open_items(number)
    assert (item.department, item.stage, item.version) == ("city.amr", "lead_review", 1)
    return number, item


@pytest.fixture
def lead_review(bench: Workbench) -> tuple[str, Item]:
    return waiting_on_the_lead(bench)


REFUSALS: dict[str, tuple[Attempt, type[WorkflowError], str]] = {
    "another department's item": (
        lambda b, i: b.decide_item(i, "approve", department="city.finance"),
        NotYourWorkItem,
        "不属于city.finance",
    ),
    "a stale version": (
        lambda b, i: b.decide_item(i, "approve", expected_version=i.version + 1),
        ConcurrentDecision,
        "已变化",
    ),
    "a rejection without reasons": (
        lambda b, i: b.decide_item(i, "reject", comment="  "),
        InvalidAction,
        "须写明理由",
    ),
    "a return naming nothing to correct": (
        lambda b, i: b.decide_item(i, "return", comment="材料不全"),
        InvalidAction,
        "须列明",
    ),
    "a return with no time to correct": (
        lambda b, i: b.decide_item(
            i, "return", items=["documents[transfer_contract]"], deadline_days=0
        ),
        InvalidAction,
        "补正期限须为1至60个工作日之间的整数",
    ),
    "a countersign outside the countersign stage": (
        lambda b, i: b.decide_item(i, "countersign"),
        InvalidAction,
        "会签",
    ),
    "an unknown outcome": (
        lambda b, i: b.decide_item(i, "maybe"),
        InvalidAction,
        "之一",
    ),
    "an item that does not exist": (
        lambda b, i: b.decide_item(replace(i, id=i.id + 1000), "approve"),
        NotFound,
        "没有待办事项",
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS), ids=list(REFUSALS))
def test_a_refused_decision_leaves_no_decision_and_no_audit_row(
    sqlite_bench: Workbench, refusal: str
) -> None:
    """Checked before anything is written (the closed item and the race run on both dialects)."""
    number, item = waiting_on_the_lead(sqlite_bench)
    attempt, error, message = REFUSALS[refusal]
    audit_before = sqlite_bench.count(AuditEntry)

    with pytest.raises(error, match=message):
        attempt(sqlite_bench, item)

    assert sqlite_bench.count(Decision) == 0
    assert sqlite_bench.count(AuditEntry) == audit_before
    assert sqlite_bench.open_items(number) == [item]  # still open, same version


def test_a_closed_item_cannot_be_decided_again(
    bench: Workbench, lead_review: tuple[str, Item]
) -> None:
    number, item = lead_review
    bench.decide_item(item, "approve")
    audit_before = bench.count(AuditEntry)

    with pytest.raises(WorkItemClosed, match="已办结"):
        bench.decide_item(item, "reject", comment="改变主意")

    assert bench.count(Decision) == 1
    assert bench.count(AuditEntry) == audit_before
    [done] = bench.items(number)
    assert (done.state, done.outcome, done.version) == ("done", "approve", 2)


def test_a_decision_writes_its_audit_row_in_the_same_transaction(
    bench: Workbench, lead_review: tuple[str, Item]
) -> None:
    number, item = lead_review

    decided = bench.decide_item(item, "approve", comment="材料齐全", expected_version=1)

    assert (decided.work_item_id, decided.number) == (item.id, number)
    [row] = bench.audit_rows(AuditEntry.entity == "work_item")
    assert (row.actor, row.action, row.entity_id) == (
        "city.amr/officer@city.amr",
        "work_item.approve",
        str(item.id),
    )
    assert row.details == {
        "application": number,
        "decision": decided.decision_id,  # what `ipaward verify` reconciles the decision with
        "department": "city.amr",
        "officer": "officer@city.amr",
        "outcome": "approve",
        "stage": "lead_review",
        "round": 1,
        "comment": "材料齐全",
    }


def test_two_officers_deciding_one_item_at_once_store_exactly_one_decision(
    bench: Workbench, lead_review: tuple[str, Item]
) -> None:
    number, item = lead_review
    choices = [("approve", "同意"), ("reject", "不符合条件")]

    def work(session: Session, index: int) -> Decided:
        outcome, comment = choices[index]
        return decide(
            session,
            work_item_id=item.id,
            department="city.amr",
            officer=f"officer-{index}",
            outcome=outcome,
            comment=comment,
            expected_version=item.version,
        )

    outcomes = race(bench.settings.database_url, work)

    winners = [o for o in outcomes if isinstance(o, Decided)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    # SQLite serialises the writers (the loser then reads a closed item); on PostgreSQL both
    # read it open and the conditional UPDATE of the loser finds no row left to close.
    assert isinstance(losers[0], ConcurrentDecision | WorkItemClosed), repr(losers[0])
    winner = outcomes.index(winners[0])
    assert bench.count(Decision) == 1
    assert len(bench.audit_rows(AuditEntry.entity == "work_item")) == 1
    [done] = bench.items(number)
    assert (done.state, done.outcome, done.version) == ("done", choices[winner][0], 2)
    expected_state = "in_review" if winner == 0 else "rejected"
    assert bench.advance(number, on=FILED).state == expected_state


def test_two_departments_countersigning_at_the_same_moment_both_count(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide(number, "city.finance")
    bench.decide(number, "city.science")
    education, agriculture = bench.open_items(number)

    def work(session: Session, index: int) -> Decided:
        item = (education, agriculture)[index]
        return decide(
            session,
            work_item_id=item.id,
            department=item.department,
            officer="officer",
            outcome="countersign",
            comment="同意",
        )

    outcomes = race(bench.settings.database_url, work)

    assert all(isinstance(o, Decided) for o in outcomes), outcomes
    assert bench.count(Decision) == 1 + 4
    assert bench.advance(number, on=FILED).state == "publicity"
