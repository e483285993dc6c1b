"""The whole path of each kind of measure, from submission to payment.

award / annual (M07, M13): lead review → countersign → 公示 → finance → paid.
claim (M10): lead review → countersign → finance (no 公示), drawn from the risk fund.
budget (M02): lead review → countersign → finance, city finance only.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from ipaward.db.models import Fund, FundMovement, LedgerItem, WorkItem
from ipaward.settings import PROJECT_ROOT
from tests.conftest import OpenBench
from tests.support.applications import example
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)  # a Monday
M07_COUNTERSIGNERS = ["city.finance", "city.education", "city.science", "city.agriculture"]


def official_working_days_after(start: dt.date, days: int) -> dt.date:
    """The date `days` official working days after `start`, straight from chinese_calendar."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            days -= 1
    return day


def test_a_transfer_award_goes_lead_countersign_publicity_finance_and_is_paid_once(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    assessed = bench.application(number).assessment
    assert assessed is not None and assessed["amount"] == 40000

    report = bench.advance(number, on=FILED)
    assert (report.state, report.stage, report.waiting_on) == (
        "in_review",
        "lead_review",
        ["city.amr"],
    )
    bench.decide(number, "city.amr")

    report = bench.advance(number, on=dt.date(2025, 9, 16))
    assert (report.stage, report.waiting_on) == ("countersign", M07_COUNTERSIGNERS)
    application = bench.application(number)
    assert application.route is not None and application.route["copied"] == ["institutions"]
    assert "institutions" not in {item.department for item in bench.items(number)}
    bench.decide_all(number)

    thursday_before_national_day = dt.date(2025, 9, 25)
    report = bench.advance(number, on=thursday_before_national_day)
    ends = official_working_days_after(thursday_before_national_day, 5)
    assert ends == dt.date(2025, 10, 9)  # Sun 28 Sep is worked, 1–8 Oct are off
    assert (report.state, report.stage) == ("publicity", "publicity")
    assert bench.application(number).publicity_ends_on == ends

    assert bench.advance(number, on=ends).state == "publicity"  # the last day still counts
    report = bench.advance(number, on=ends + dt.timedelta(days=1))
    assert (report.stage, report.waiting_on) == ("finance", ["city.finance"])
    bench.decide(number, "city.finance")

    report = bench.advance(number, on=dt.date(2025, 10, 13))
    assert report.state == "paid" and report.waiting_on == []
    [entry] = bench.ledger(number)
    assert (entry.amount, entry.city_amount, entry.jurisdiction_amount) == (40000, 40000, 0)
    assert bench.count(LedgerItem, LedgerItem.entry_id == entry.id) == 8  # each transfer, once

    kinds = bench.notice_kinds(number)
    assert [k for k in kinds if k != "task"] == [
        "acceptance",
        "review_result",
        "publicity",
        "payment",
    ]
    assert kinds.count("task") == 1 + 4 + 1  # one per work item
    numbers = [notice.doc_number for notice in bench.notices(number) if notice.kind != "task"]
    assert all(numbers) and len(set(numbers)) == len(numbers)
    assert all(n.doc_number is None for n in bench.notices(number) if n.kind == "task")
    assert bench.history(number) == [
        "application.submit",
        "application.stage",  # lead review
        "application.stage",  # countersign
        "application.publicity",
        "application.stage",  # finance
        "application.paid",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "m01_introduced_enterprise",
        "m03_university_certification",
        "m06_grading",
        "m09_recognised_products",
        "m12_domestic_case",
        "m14_operation_centre_year",
        "m15_local_standard",
        "m17_research_centre_year",
    ],
)
def test_every_other_paying_example_reaches_payment_with_its_assessed_amount(
    sqlite_bench: Workbench, name: str
) -> None:
    number = sqlite_bench.submit(example(name), on=FILED)
    assessed = sqlite_bench.application(number).assessment
    assert assessed is not None
    sqlite_bench.drive(number, on=FILED, until=at(state="paid"))
    [entry] = sqlite_bench.ledger(number)
    assert entry.amount == assessed["amount"] > 0
    assert sqlite_bench.notice_kinds(number)[-1] == "payment"


def test_a_pledge_loss_claim_skips_publicity_and_draws_80_percent_from_the_risk_fund(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m10_pledge_loan_loss"), on=FILED)
    application = bench.application(number)
    assert application.route is not None
    assert [s["stage"] for s in application.route["stages"]] == [
        "lead_review",
        "countersign",
        "finance",
    ]
    assert application.route["copied"] == ["pbc.zhangzhou"]

    bench.advance(number, on=FILED)
    assert [i.department for i in bench.open_items(number)] == ["city.finreg"]
    bench.decide_all(number)
    bench.advance(number, on=FILED)
    assert [i.department for i in bench.open_items(number)] == [
        "city.finance",
        "city.amr",
        "nfra.zhangzhou",
    ]
    bench.decide_all(number)
    report = bench.advance(number, on=FILED)
    assert (report.state, report.stage, report.waiting_on) == (
        "in_review",
        "finance",
        ["city.finance"],
    )
    assert bench.count(Fund) == 0  # the fund is created when first drawn

    bench.decide_all(number)
    assert bench.advance(number, on=FILED).state == "paid"
    assert "publicity" not in bench.history(number)
    [entry] = bench.ledger(number)
    assert entry.amount == 1_000_001  # 80% of 1,250,001, rounded half up
    with bench.transaction() as session:
        fund = session.scalars(select(Fund)).one()
        assert (fund.code, fund.capacity) == ("inclusive_finance_risk_fund", 100_000_000)
        assert fund.balance == 100_000_000 - 1_000_001
        [movement] = session.scalars(select(FundMovement))
        assert movement.amount == -1_000_001
    assert "publicity" not in bench.notice_kinds(number)


def test_a_navigation_project_is_paid_by_city_finance_alone(bench: Workbench) -> None:
    number = bench.submit(example("m02_navigation_project"), on=FILED)
    application = bench.application(number)
    assert application.route is not None
    stages = {s["stage"]: s for s in application.route["stages"]}
    assert list(stages) == ["lead_review", "countersign", "finance"]
    assert stages["finance"]["departments"] == ["city.finance"]

    bench.drive(number, on=FILED, until=at(state="paid"))
    [entry] = bench.ledger(number)
    assert (entry.amount, entry.city_amount, entry.jurisdiction_amount) == (400000, 400000, 0)
    finance_items = bench.count(WorkItem, WorkItem.stage == "finance")
    assert finance_items == 1


@pytest.fixture
def config_with_county_share(tmp_path: Path) -> Path:
    """The repository's config, except that 龙文区 bears 40% of awards (city share 0.6)."""
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    edition = config / "editions" / "2024.toml"
    text = edition.read_text(encoding="utf-8")
    assert "city_share = {}" in text
    edition.write_text(
        text.replace("city_share = {}", 'city_share = { longwen = "0.6" }'), encoding="utf-8"
    )
    return config


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_an_annual_award_with_a_county_share_goes_to_both_finance_offices_and_splits_the_ledger(
    dialect: str,
    config_with_county_share: Path,
    open_bench: OpenBench,
    request: pytest.FixtureRequest,
) -> None:
    url = None if dialect == "sqlite" else request.getfixturevalue("postgres_database")
    bench = open_bench(database_url=url, config_dir=config_with_county_share)
    number = bench.submit(example("m13_service_body_year"), on=FILED)  # 龙文区, 150,000
    application = bench.application(number)
    assert application.assessment is not None
    assert (
        application.assessment["city_amount"],
        application.assessment["jurisdiction_amount"],
    ) == (90000, 60000)
    assert application.route is not None
    stages = {
        s["stage"]: s["departments"] for s in application.route["stages"] if "departments" in s
    }
    assert stages["countersign"] == ["city.finance", "longwen.gov"]
    assert stages["finance"] == ["city.finance", "longwen.finance"]

    report_date = bench.drive(number, on=FILED, until=at("finance"))
    assert sorted(i.department for i in bench.open_items(number)) == [
        "city.finance",
        "longwen.finance",
    ]
    bench.decide(number, "city.finance")
    assert bench.advance(number, on=report_date).stage == "finance"  # waits for the county too
    bench.decide(number, "longwen.finance")
    assert bench.advance(number, on=report_date).state == "paid"

    [entry] = bench.ledger(number)
    assert (entry.amount, entry.city_amount, entry.jurisdiction_amount, entry.jurisdiction) == (
        150000,
        90000,
        60000,
        "longwen",
    )
    payment = bench.notices(number)[-1]
    assert payment.kind == "payment"
    assert "漳州市龙文区财政局" in payment.body
    # both offices that pay are addressed; the applicant is told by the copy
    assert "漳州市财政局、漳州市龙文区财政局：" in payment.body.splitlines()
