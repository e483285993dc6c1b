"""Items shared between recipients of one annual list, and items written in several ways:
resolved before 公示, paid once, never a whole line refused for them after publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ipaward.db.models import CycleLine, LedgerItem, Notice
from tests.ipaward.cycles.support import FILED, CycleBench, another, m07, m09
from tests.support.workbench import at

LATER = FILED + dt.timedelta(days=1)


def second_university(first: int, count: int, *, shared_from: dict[str, Any]) -> dict[str, Any]:
    """Another university's filing whose first transfer is one the other one also lists."""
    data = another(m07(first, count), 1, kind="university")
    data["evidence"]["transfers"][0] = dict(shared_from["evidence"]["transfers"][0])
    return data


def line_details(bench: CycleBench, number: str) -> dict[str, Any]:
    with bench.transaction() as session:
        lines = session.scalars(select(CycleLine)).all()
        [line] = [line for line in lines if line.details["number"] == number]
        return dict(line.details)


def paid_keys(bench: CycleBench) -> list[str]:
    with bench.transaction() as session:
        return list(
            session.scalars(
                select(LedgerItem.item_key).where(LedgerItem.measure == "patent-transfers")
            )
        )


def test_a_transfer_two_universities_list_goes_to_the_earlier_filing_and_the_other_keeps_nine(
    bench: CycleBench,
) -> None:
    ours = m07(0, 10)
    theirs = second_university(100, 10, shared_from=ours)
    first = bench.accept(ours, on=FILED)
    second = bench.accept(theirs, on=LATER)

    bench.settle("M07", on=LATER)
    assert bench.cycle("M07").lines == {first: ("included", 50000), second: ("included", 45000)}
    kept, lost = line_details(bench, first), line_details(bench, second)
    assert [(s["kept"], s["owner"], s["others"]) for s in kept["shared"]] == [
        (True, first, [second])
    ]
    assert [(s["kept"], s["owner"]) for s in lost["shared"]] == [(False, first)]
    assert any(first in f["message"] and f["code"] == "shared_item" for f in lost["findings"])

    report, _ = bench.drive_list("M07", on=LATER)
    assert report["lines"] == {"paid": 2}
    assert [e.amount for e in bench.ledger(first)] == [50000]
    assert [e.amount for e in bench.ledger(second)] == [45000]
    keys = paid_keys(bench)
    assert len(keys) == len(set(keys)) == 19


def test_the_same_transfer_written_with_zl_and_in_full_width_is_one_transfer_paid_once(
    bench: CycleBench,
) -> None:
    ours = m07(0, 10)
    theirs = second_university(100, 10, shared_from=ours)
    number = theirs["evidence"]["transfers"][0]["patent_number"]
    theirs["evidence"]["transfers"][0]["patent_number"] = "ＺＬ" + "".join(
        chr(ord(c) + 0xFEE0) for c in number
    )
    first = bench.accept(ours, on=FILED)
    second = bench.accept(theirs, on=LATER)

    bench.drive_list("M07", on=LATER)
    assert [e.amount for e in bench.ledger(first) + bench.ledger(second)] == [50000, 45000]
    keys = paid_keys(bench)
    assert len(keys) == len(set(keys)) == 19


def test_when_the_earlier_filing_earns_nothing_the_shared_transfer_returns_before_publicity(
    bench: CycleBench,
) -> None:
    ours = m07(0, 3)  # three transfers: below the six the clause asks
    theirs = second_university(100, 10, shared_from=ours)
    first = bench.accept(ours, on=FILED)
    second = bench.accept(theirs, on=LATER)

    bench.settle("M07", on=LATER)
    assert bench.cycle("M07").lines == {first: ("included", 0), second: ("included", 45000)}
    bench.approve_list("M07")  # the lead unit's review refuses the line that earns nothing
    bench.settle("M07", on=LATER)
    assert bench.cycle("M07").lines == {first: ("refused", 0), second: ("included", 50000)}

    bench.drive_list("M07", on=LATER)
    assert [e.amount for e in bench.ledger(second)] == [50000]
    assert bench.application(first).state == "rejected"


def test_a_transfer_paid_elsewhere_after_publicity_leaves_the_line_its_other_nine(
    bench: CycleBench,
) -> None:
    ours = m07(0, 10)
    number = bench.accept(ours, on=FILED)
    _, day = bench.drive_list(
        "M07", on=FILED, stop=lambda r: r["state"] == "in_review" and r["stage"] == "finance"
    )
    assert bench.cycle("M07").lines == {number: ("included", 50000)}
    # Another university files late: its application goes down its own route and is paid
    # first, with the transfer both list.
    late = bench.accept(second_university(100, 10, shared_from=ours), on=day)
    bench.settle("M07", on=day)
    bench.drive(late, on=day, until=at(state="paid"))
    assert [e.amount for e in bench.ledger(late)] == [50000]

    report, _ = bench.drive_list("M07", on=day)
    assert report["lines"] == {"paid": 1}
    assert bench.application(number).state == "paid"
    assert [e.amount for e in bench.ledger(number)] == [45000]
    explanation = bench.application(number).assessment["explanation"]
    assert any("拨付前复核:公示金额50000元" in line for line in explanation)
    keys = paid_keys(bench)
    assert len(keys) == len(set(keys)) == 19


def test_declarations_for_the_recipient_itself_are_deducted_on_m07_and_m09_lists(
    bench: CycleBench,
) -> None:
    transfers = m07(0, 6)
    transfers["other_awards"] = [
        {"item": transfers["applicant"]["uscc"], "source": "福建省", "amount": 10000}
    ]
    products = m09("A", 3)
    products["other_awards"] = [
        {"item": products["applicant"]["uscc"], "source": "福建省", "amount": 4000}
    ]
    first, second = bench.accept(transfers), bench.accept(products)

    bench.drive_list("M07")
    bench.drive_list("M09")
    assert [e.amount for e in bench.ledger(first)] == [20000]
    assert [e.amount for e in bench.ledger(second)] == [11000]


def test_a_line_refused_after_acceptance_gets_a_refusal_to_award_in_chinese_with_its_figures(
    bench: CycleBench,
) -> None:
    number = bench.accept(m07(0, 5))  # five transfers: one short
    bench.drive_list("M07")
    assert bench.application(number).state == "rejected"
    with bench.transaction() as session:
        notice = session.scalars(
            select(Notice).where(Notice.kind == "refusal", Notice.event_key.like("app:%"))
        ).one()
        body = notice.body
    assert "不予奖励告知书" in body and "不予受理" not in body
    assert "合计5件，少于6件" in body  # the notice writes Chinese marks
    assert "once-only" not in body and "M07:" not in body
