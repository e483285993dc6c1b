"""The annual list: lead unit → responsible units → 公示 → finance → ledger, as one batch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ipaward.db.models import AnnualAccount, Cycle, LedgerEntry, Notice, WorkItem
from tests.ipaward.cycles.support import FILED, CycleBench, another, m07
from tests.support.applications import example


def test_a_list_passes_every_department_once_and_pays_each_line_once(bench: CycleBench) -> None:
    first = bench.accept(example("m09_recognised_products"))
    other = another(example("m09_recognised_products"), 1)
    for product in other["evidence"]["products"]:
        product["recognition_no"] += "-B"
    second = bench.accept(other)

    report = bench.settle("M09", on=FILED)
    assert (report["state"], report["stage"], report["waiting_on"]) == (
        "in_review",
        "lead_review",
        ["city.amr"],
    )
    assert report["lines"] == {"included": 2}
    bench.approve_list("M09")
    report = bench.settle("M09", on=FILED)
    assert report["stage"] == "countersign"
    assert set(report["waiting_on"]) == {
        "city.drc",
        "city.science",
        "city.industry",
        "city.finance",
        "city.sasac",
    }
    bench.approve_list("M09")
    report = bench.settle("M09", on=FILED)
    assert report["state"] == "publicity"
    ends = bench.cycle("M09").publicity_ends
    assert ends == dt.date(2025, 3, 10)  # 5 official working days
    assert bench.settle("M09", on=ends)["state"] == "publicity"  # still the last day
    report = bench.settle("M09", on=ends + dt.timedelta(days=1))
    assert (report["stage"], report["waiting_on"]) == ("finance", ["city.finance"])
    bench.approve_list("M09")
    report = bench.settle("M09", on=ends + dt.timedelta(days=1))
    assert report["state"] == "done" and report["lines"] == {"paid": 2}

    for number in (first, second):
        assert bench.application(number).state == "paid"
        assert len(bench.ledger(number)) == 1
        assert bench.notice_kinds(number).count("payment") == 1
    with bench.transaction() as session:
        publicity = list(session.scalars(select(Notice).where(Notice.kind == "publicity")))
    [notice] = publicity  # ONE 公示 with both lines
    assert first in notice.body and second in notice.body
    before = bench.footprint()
    assert bench.settle("M09", on=ends + dt.timedelta(days=9))["moved"] is False
    assert bench.footprint() == before


def test_lead_approval_refuses_the_lines_the_rule_gives_nothing_with_its_reason(
    sqlite_bench: CycleBench,
) -> None:
    short = sqlite_bench.accept(m07(0, 4))  # 4 transfers: the rule needs 6
    report = sqlite_bench.settle("M07", on=FILED)
    assert sqlite_bench.cycle("M07").lines == {short: ("included", 0)}
    sqlite_bench.approve_list("M07")
    report = sqlite_bench.settle("M07", on=FILED)
    assert report["state"] == "done"  # nothing left to publish or pay
    application = sqlite_bench.application(short)
    assert application.state == "rejected"
    assert "refusal" in sqlite_bench.notice_kinds(short)
    [reason] = [
        row.details["reason"]
        for row in sqlite_bench.audit_rows()
        if row.action == "application.reject"
    ]
    assert reason.startswith("2024年度集中评审:") and "少于6件" in reason


def test_the_list_is_chunked_and_the_ledger_holds_what_the_lines_say(
    sqlite_bench: CycleBench,
) -> None:
    numbers = [sqlite_bench.accept(another(m07(10 * i, 6), i, kind="university")) for i in range(5)]
    report, _ = sqlite_bench.drive_list("M07")
    assert report["lines"] == {"paid": 5}
    with sqlite_bench.transaction() as session:
        paid = sum(session.scalars(select(LedgerEntry.amount)))
        accounts = {a.recipient_uscc: a.paid for a in session.scalars(select(AnnualAccount))}
        list_items = session.scalars(
            select(WorkItem.stage)
            .join(Cycle, Cycle.id == WorkItem.cycle_id)
            .where(Cycle.measure == "M07", Cycle.year == 2024)
        ).all()
    assert paid == 30000 * 5 and sum(accounts.values()) == paid
    assert list_items.count("lead_review") == 1  # one item for the list, not one per line
    assert sqlite_bench.cycle("M07").total == paid
    assert all(sqlite_bench.application(n).state == "paid" for n in numbers)
