"""One live application per applicant and once-only item: the second is refused at filing,
naming the first, even when both arrive at the same moment; nothing of it is stored."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from ipaward.db.models import Applicant, Application, AuditEntry, EvidenceItem, FollowUp
from ipaward.exchange.validate import ValidApplication, validate_file
from ipaward.services.intake import Submitted, submit
from ipaward.services.live_claims import SecondLiveApplication
from tests.ipaward.cycles.support import another, m07
from tests.support.applications import example
from tests.support.workbench import Workbench

FILED = dt.date(2025, 3, 3)


def filed(bench: Workbench, data: dict[str, Any]) -> ValidApplication:
    [valid] = validate_file(bench.write(data), bench.ctx.policy, as_of=FILED)
    return valid


def store(bench: Workbench, applications: list[ValidApplication]) -> list[Submitted]:
    with bench.transaction() as session:
        return submit(
            session, policy=bench.ctx.policy, applications=applications, as_of=FILED, actor="t"
        )


def rows(bench: Workbench) -> tuple[int, ...]:
    return tuple(
        bench.count(model) for model in (Applicant, Application, EvidenceItem, AuditEntry, FollowUp)
    )


def test_the_same_file_submitted_twice_is_refused_naming_the_first(bench: Workbench) -> None:
    first = bench.submit(example("m07_university_transfers"), on=FILED)
    before = rows(bench)

    with pytest.raises(SecondLiveApplication) as refused:
        bench.submit(example("m07_university_transfers"), on=FILED)

    assert refused.value.first == first
    [problem] = refused.value.problems
    assert (problem.code, problem.path) == ("already_applied", "$.evidence")
    assert f"已有在办申请{first}(已提交)" in problem.message
    assert "专利" in problem.message and "等8项" in problem.message
    assert f"ipaward withdraw {first}" in problem.message
    assert rows(bench) == before  # no applicant, application, item, audit row or request


@pytest.mark.parametrize(
    ("state", "live"),
    [
        ("submitted", True),
        ("correction_requested", True),
        ("resubmitted", True),
        ("in_review", True),
        ("awaiting_cycle", True),
        ("publicity", True),
        ("withdrawn", False),
        ("rejected", False),
        ("paid", False),  # the rule and the ledger refuse paying it twice
    ],
)
def test_only_a_live_application_blocks_a_new_one(
    sqlite_bench: Workbench, state: str, live: bool
) -> None:
    first = sqlite_bench.submit(example("m12_domestic_case"), on=FILED)
    with sqlite_bench.transaction() as session:
        session.execute(update(Application).values(state=state))

    if live:
        with pytest.raises(SecondLiveApplication, match=first):
            sqlite_bench.submit(example("m12_domestic_case"), on=FILED)
        assert sqlite_bench.count(Application) == 1
    else:
        second = sqlite_bench.submit(example("m12_domestic_case"), on=FILED)
        assert second != first and sqlite_bench.count(Application) == 2


def test_other_items_of_the_same_applicant_and_the_same_items_of_another_are_stored(
    sqlite_bench: Workbench,
) -> None:
    sqlite_bench.submit(m07(0, 4), on=FILED)
    sqlite_bench.submit(m07(4, 4), on=FILED)  # the same university, other transfers
    sqlite_bench.submit(another(m07(0, 4), 1, kind="university"), on=FILED)  # reviewers see it
    assert sqlite_bench.count(Application) == 3


def test_one_filing_holding_the_application_twice_stores_nothing(bench: Workbench) -> None:
    valid = filed(bench, example("m10_pledge_loan_loss"))
    with pytest.raises(SecondLiveApplication) as refused:
        store(bench, [valid, valid])
    assert "本次提交的第1份申请" in refused.value.problems[0].message
    assert rows(bench) == (0, 0, 0, 0, 0)


def broken_contract(document: dict[str, Any], path: Path) -> None:
    if document["kind"] == "transfer_contract":
        path.unlink()


def test_a_resubmission_is_the_same_application_not_a_second(sqlite_bench: Workbench) -> None:
    number = sqlite_bench.submit(m07(0, 6), on=FILED, broken=broken_contract)
    assert sqlite_bench.advance(number, on=FILED).state == "correction_requested"

    sqlite_bench.resubmit(number, m07(0, 6), on=FILED)

    assert sqlite_bench.application(number).state == "resubmitted"


def test_a_resubmission_taking_another_live_applications_items_is_refused(
    sqlite_bench: Workbench,
) -> None:
    number = sqlite_bench.submit(m07(0, 6), on=FILED, broken=broken_contract)
    sqlite_bench.advance(number, on=FILED)
    other = sqlite_bench.submit(m07(6, 6), on=FILED)

    with pytest.raises(SecondLiveApplication, match=other):
        sqlite_bench.resubmit(number, m07(3, 6), on=FILED)

    assert sqlite_bench.application(number).state == "correction_requested"
    assert sqlite_bench.count(EvidenceItem) == 12  # six each, as before


@pytest.mark.parametrize("applicant", ["new", "known"])
def test_two_submits_at_once_store_one_and_refuse_the_other_naming_it(
    bench: Workbench, applicant: str
) -> None:
    """The first holds the applicant's row (its insert, or FOR UPDATE) until it commits; the
    second waits for it, then sees it. Without the lock both would be stored."""
    if applicant == "known":
        bench.submit(m07(20, 6), on=FILED)  # other transfers: its row exists, unlocked
    valid = filed(bench, example("m07_university_transfers"))
    session = bench.factory()
    transaction = session.begin()
    [first] = submit(session, policy=bench.ctx.policy, applications=[valid], as_of=FILED, actor="a")
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["stored"] = store(bench, [valid])
        except SecondLiveApplication as error:
            outcome["refused"] = error

    racer = threading.Thread(target=second)
    racer.start()
    racer.join(timeout=1.5)
    assert racer.is_alive()  # waiting for the first transaction
    transaction.commit()
    session.close()
    racer.join(timeout=60)

    refused = outcome.get("refused")
    assert isinstance(refused, SecondLiveApplication), outcome
    assert refused.first == first.number and first.number in refused.problems[0].message
    assert bench.count(Application) == (2 if applicant == "known" else 1)


def test_two_free_running_submits_end_with_exactly_one_stored(bench: Workbench) -> None:
    valid = filed(bench, example("m09_recognised_products"))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit_once() -> None:
        start.wait()
        try:
            [stored] = store(bench, [valid])
            outcomes.append(stored.number)
        except SecondLiveApplication as error:
            outcomes.append(f"refused:{error.first}")

    racers = [threading.Thread(target=submit_once) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)

    [number] = [o for o in outcomes if not o.startswith("refused:")]
    assert sorted(outcomes) == sorted([number, f"refused:{number}"])
    assert bench.count(Application) == 1
