"""Lines leaving the list: taken out by a department (例外事项), objected to during 公示,
withdrawn, the whole list refused, or filed after the list went out. Each goes back to the
single-application route, and the rest of the list goes on."""

from __future__ import annotations

import datetime as dt

import pytest

from ipaward.workflow.decisions import decide
from ipaward.workflow.errors import InvalidAction
from tests.ipaward.cycles.support import FILED, CycleBench, another, m07, m09
from tests.support.applications import example


def test_the_lead_takes_one_line_out_and_the_recipients_other_line_is_assessed_again(
    bench: CycleBench,
) -> None:
    first = bench.accept(m07(0, 4))
    second = bench.accept(m07(4, 4))
    other = bench.accept(another(m07(20, 6), 1, kind="university"))
    bench.settle("M07", on=FILED)

    bench.approve_list("M07", exceptions={"city.amr": [f"{second}:受让企业信息需核实"]})
    report = bench.settle("M07", on=FILED)

    assert report["stage"] == "countersign"
    lines = bench.cycle("M07").lines
    assert lines[second] == ("excepted", 20000)
    assert lines[first] == ("refused", 0)  # alone, 4 transfers are below the threshold
    assert lines[other] == ("included", 30000)
    taken = bench.application(second)
    assert (taken.state, taken.stage) == ("in_review", "lead_review")  # its own route now
    assert bench.application(first).state == "rejected"
    assert any(i.stage == "lead_review" for i in bench.open_items(second))


def test_an_exception_names_a_line_of_that_list_with_an_approval(
    sqlite_bench: CycleBench,
) -> None:
    number = sqlite_bench.accept(m09("X", 2))
    sqlite_bench.settle("M09", on=FILED)
    [item] = sqlite_bench.list_items("M09")
    own = sqlite_bench.submit(example("m06_grading"), on=FILED)
    sqlite_bench.advance(own, on=FILED)
    [own_item] = sqlite_bench.open_items(own)

    def attempt(work_item: int, outcome: str, exceptions: list[str]) -> None:
        with sqlite_bench.transaction() as session:
            decide(
                session,
                work_item_id=work_item,
                department="city.amr",
                officer="o",
                outcome=outcome,
                comment="意见",
                exceptions=exceptions,
            )

    with pytest.raises(InvalidAction, match="名单中没有"):
        attempt(item.id, "approve", ["ZZIP-2024-M09-999999:不存在"])
    with pytest.raises(InvalidAction, match="随同意名单的决定一并作出"):
        attempt(item.id, "reject", [number])
    with pytest.raises(InvalidAction, match="只适用于年度集中评审名单"):
        attempt(own_item.id, "approve", [number])
    attempt(item.id, "approve", [f"{number}:需单独复核"])  # a valid one is recorded
    assert sqlite_bench.list_items("M09") == []


def test_an_objection_during_the_list_publicity_reopens_that_line_only(
    bench: CycleBench,
) -> None:
    objected = bench.accept(m09("O", 2))
    kept = bench.accept(another(m09("K", 2), 4))
    _, day = bench.drive_list("M09", stop=lambda r: r["state"] == "publicity")

    report = bench.object(objected, name="漳州某公司(加盖公章)", text="产品认定时间存疑", on=day)

    assert "移出名单" in report.steps[0]
    application = bench.application(objected)
    assert (application.state, application.stage) == ("in_review", "objection_review")
    assert bench.cycle("M09").lines[objected][0] == "excepted"
    report, _ = bench.drive_list("M09", on=day)
    assert report["lines"] == {"paid": 1, "excepted": 1}
    assert bench.application(kept).state == "paid"
    bench.decide(objected, "city.amr", comment="异议不成立")  # its own route goes on
    after = bench.advance(objected, on=day + dt.timedelta(days=10))
    assert after.state == "publicity"


def test_a_withdrawn_line_leaves_the_list(sqlite_bench: CycleBench) -> None:
    gone = sqlite_bench.accept(m09("W", 2))
    stays = sqlite_bench.accept(another(m09("S", 2), 5))
    sqlite_bench.settle("M09", on=FILED)
    sqlite_bench.withdraw(gone)
    sqlite_bench.approve_list("M09")
    sqlite_bench.settle("M09", on=FILED)
    assert sqlite_bench.cycle("M09").lines[gone][0] == "excepted"
    report, _ = sqlite_bench.drive_list("M09")
    assert report["lines"] == {"paid": 1, "excepted": 1}
    assert sqlite_bench.application(gone).state == "withdrawn"
    assert sqlite_bench.ledger(gone) == [] and len(sqlite_bench.ledger(stays)) == 1


def test_a_department_refusing_the_list_sends_every_line_its_own_way(
    sqlite_bench: CycleBench,
) -> None:
    numbers = [sqlite_bench.accept(another(m09(f"N{i}", 2), 10 + i)) for i in range(2)]
    sqlite_bench.settle("M09", on=FILED)
    [item] = sqlite_bench.list_items("M09")
    with sqlite_bench.transaction() as session:
        decide(
            session,
            work_item_id=item.id,
            department="city.amr",
            officer="o",
            outcome="reject",
            comment="名单需逐件复核",
        )
    report = sqlite_bench.settle("M09", on=FILED)
    assert report["state"] == "done"
    for number in numbers:
        assert sqlite_bench.application(number).stage == "lead_review"


def test_a_filing_accepted_after_the_list_went_out_takes_its_own_route(
    sqlite_bench: CycleBench,
) -> None:
    sqlite_bench.accept(m09("E", 2))
    sqlite_bench.settle("M09", on=FILED)
    late = sqlite_bench.accept(another(m09("L", 2), 20), on=FILED + dt.timedelta(days=1))
    sqlite_bench.settle("M09", on=FILED + dt.timedelta(days=1))
    application = sqlite_bench.application(late)
    assert (application.state, application.stage) == ("in_review", "lead_review")
    assert late not in sqlite_bench.cycle("M09").lines
