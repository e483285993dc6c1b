"""One recipient's applications of a year are assessed together: thresholds, yearly caps and
once-only items hold across all of them, and the award is attributed back to each one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ipaward.db.models import AnnualAccount, LedgerItem
from ipaward.services import intake
from ipaward.services.live_claims import SecondLiveApplication
from tests.ipaward.cycles.support import FILED, CycleBench, another, m07, m09
from tests.support.applications import example


def test_two_m07_filings_below_the_threshold_alone_reach_it_together(bench: CycleBench) -> None:
    first = bench.accept(m07(0, 4))
    second = bench.accept(m07(4, 4))  # 4 + 4 = 8 transfers: 30,000 + 2 × 5,000

    bench.settle("M07", on=FILED)
    assert bench.cycle("M07").lines == {first: ("included", 20000), second: ("included", 20000)}
    report, _ = bench.drive_list("M07")

    assert report["lines"] == {"paid": 2}
    assert [e.amount for e in bench.ledger(first) + bench.ledger(second)] == [20000, 20000]
    with bench.transaction() as session:
        [account] = session.scalars(
            select(AnnualAccount).where(AnnualAccount.measure == "patent-transfers")
        )
        keys = session.scalars(
            select(LedgerItem.item_key).where(LedgerItem.measure == "patent-transfers")
        )
        assert (account.paid, account.cap) == (40000, 300000)
        assert len(set(keys)) == 8  # every transfer counted once, for this year, for ever
    explanation = bench.application(second).assessment["explanation"]
    assert any("合并评审" in line and "合计核定40000元" in line for line in explanation)


def test_m09_products_of_two_filings_share_the_yearly_cap(sqlite_bench: CycleBench) -> None:
    first = sqlite_bench.accept(m09("A", 12))  # 12 × 5,000 = 60,000
    second = sqlite_bench.accept(m09("B", 12))  # +60,000 would pass the 100,000 cap

    sqlite_bench.settle("M09", on=FILED)
    assert sqlite_bench.cycle("M09").lines == {
        first: ("included", 60000),
        second: ("included", 40000),
    }
    sqlite_bench.drive_list("M09")
    with sqlite_bench.transaction() as session:
        [account] = session.scalars(
            select(AnnualAccount).where(AnnualAccount.measure == "patent-intensive-products")
        )
        items = {
            key: amount
            for key, amount in session.execute(select(LedgerItem.item_key, LedgerItem.amount))
        }
    assert (account.paid, account.cap) == (100000, 100000)
    assert sum(items.values()) == 100000 and len(items) == 24
    assert sorted(items.values()).count(0) == 4  # beyond the cap: counted, not paid


def test_a_second_m13_filing_of_the_same_year_is_refused_once_per_year(
    sqlite_bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sqlite_bench.accept(example("m13_service_body_year"))
    with pytest.raises(SecondLiveApplication, match=first):  # refused at filing now
        sqlite_bench.submit(example("m13_service_body_year"), on=FILED)
    # A second filing stored before that rule existed: the year's list still pays once.
    monkeypatch.setattr(intake, "refuse_second_live", lambda *a, **k: None)
    second = sqlite_bench.accept(example("m13_service_body_year"))

    sqlite_bench.settle("M13", on=FILED)
    assert sqlite_bench.cycle("M13").lines == {
        first: ("included", 150000),
        second: ("included", 0),
    }
    sqlite_bench.drive_list("M13")
    assert sqlite_bench.application(first).state == "paid"
    assert sqlite_bench.application(second).state == "rejected"
    assert [e.amount for e in sqlite_bench.ledger(first)] == [150000]


def test_a_recipient_filing_after_its_list_was_assessed_is_assessed_with_it(
    sqlite_bench: CycleBench,
) -> None:
    """Filings lined up in two chunks of one build are still one recipient's year."""
    other = another(m07(50, 6), 3, kind="university")
    numbers = [sqlite_bench.accept(m07(0, 3)), sqlite_bench.accept(other)]
    numbers.append(sqlite_bench.accept(m07(3, 3)))
    sqlite_bench.settle("M07", on=FILED)
    lines = sqlite_bench.cycle("M07").lines
    assert lines[numbers[0]][1] + lines[numbers[2]][1] == 30000  # 3 + 3 = 6 transfers
    assert lines[numbers[1]] == ("included", 30000)
