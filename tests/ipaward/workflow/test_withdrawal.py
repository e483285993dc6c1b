"""Withdrawal: any time before payment, closing what the departments still had to do."""

from __future__ import annotations

import datetime as dt

import pytest

from ipaward.workflow.errors import InvalidAction, WorkItemClosed
from tests.support.applications import example
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)


def test_withdrawing_during_countersign_cancels_the_open_items_and_stops_the_route(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide(number, "city.finance")
    [education, *_] = [i for i in bench.open_items(number) if i.department == "city.education"]

    bench.withdraw(number)

    application = bench.application(number)
    assert (application.state, application.stage) == ("withdrawn", None)
    assert bench.open_items(number) == []
    countersign = {i.department: i.state for i in bench.items(number) if i.stage == "countersign"}
    assert countersign == {
        "city.finance": "done",
        "city.education": "cancelled",
        "city.science": "cancelled",
        "city.agriculture": "cancelled",
    }
    assert bench.history(number)[-1] == "application.withdraw"
    with pytest.raises(WorkItemClosed):
        bench.decide_item(education, "countersign")
    report = bench.advance(number, on=FILED + dt.timedelta(days=30))
    assert (report.state, report.steps, report.waiting_on) == ("withdrawn", [], [])


def test_withdrawing_during_publicity_is_allowed(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="publicity"))

    bench.withdraw(number)

    assert bench.application(number).state == "withdrawn"
    assert bench.advance(number, on=dt.date(2025, 12, 31)).state == "withdrawn"


def test_withdrawing_after_payment_is_refused_and_changes_nothing(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="paid"))
    before = bench.footprint()

    with pytest.raises(InvalidAction, match="已拨付"):
        bench.withdraw(number)

    assert bench.application(number).state == "paid"
    assert bench.footprint() == before
    assert len(bench.ledger(number)) == 1


def test_withdrawing_twice_is_refused(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.withdraw(number)  # even before the first advance

    with pytest.raises(InvalidAction, match="已撤回"):
        bench.withdraw(number)
    assert bench.history(number) == ["application.submit", "application.withdraw"]
