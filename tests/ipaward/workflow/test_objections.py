"""Objections during 公示: written, real-name and in time, else refused without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest

from ipaward.db.models import DECISION_OUTCOMES, AuditEntry
from ipaward.workflow.errors import InvalidAction
from ipaward.workflow.outcomes import OUTCOMES
from tests.support.applications import example
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)
PUBLISHED_ON = dt.date(2025, 9, 25)  # a Thursday: 公示 runs to 9 Oct over the National Day holiday
ENDS = dt.date(2025, 10, 9)


def publicise(bench: Workbench) -> str:
    """An M07 application in 公示 from PUBLISHED_ON to ENDS; its number."""
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide_all(number)
    bench.advance(number, on=PUBLISHED_ON)
    assert bench.application(number).publicity_ends_on == ENDS
    return number


@pytest.fixture
def in_publicity(bench: Workbench) -> str:
    return publicise(bench)


@pytest.mark.parametrize(
    ("name", "text", "on", "why"),
    [
        ("", "受让企业为申请人关联企业", dt.date(2025, 9, 30), "实名"),
        ("   ", "受让企业为申请人关联企业", dt.date(2025, 9, 30), "实名"),
        ("张三", "  ", dt.date(2025, 9, 30), "书面"),
        ("张三", "受让企业为申请人关联企业", ENDS + dt.timedelta(days=1), "逾期"),
    ],
    ids=["anonymous", "blank-name", "no-reasons", "late"],
)
def test_an_anonymous_unreasoned_or_late_objection_is_refused_and_changes_nothing(
    sqlite_bench: Workbench, name: str, text: str, on: dt.date, why: str
) -> None:
    number = publicise(sqlite_bench)
    before = sqlite_bench.footprint()

    with pytest.raises(InvalidAction, match=why):
        sqlite_bench.object(number, name=name, text=text, on=on)

    assert sqlite_bench.footprint() == before
    application = sqlite_bench.application(number)
    assert (application.state, application.objection, application.stage_round) == (
        "publicity",
        None,
        1,
    )


def test_an_objection_to_an_application_not_in_publicity_is_refused(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)

    with pytest.raises(InvalidAction, match="不在公示期内"):
        bench.object(number, name="张三", text="有异议", on=FILED)
    assert bench.application(number).stage == "lead_review"


def test_a_valid_objection_stops_the_publicity_and_puts_it_before_the_lead(
    bench: Workbench, in_publicity: str
) -> None:
    bench.object(
        in_publicity, name="漳州某科技有限公司", text="所列第3件专利受让方为申请人关联企业", on=ENDS
    )

    application = bench.application(in_publicity)
    assert (application.state, application.stage, application.stage_round) == (
        "in_review",
        "objection_review",
        2,
    )
    assert application.objection is not None
    assert (
        application.objection["name"] == "漳州某科技有限公司"
        and application.objection["open"] is True
    )
    [item] = bench.open_items(in_publicity)
    assert (item.department, item.stage, item.round) == ("city.amr", "objection_review", 2)
    assert bench.notice_kinds(in_publicity)[-1] == "task"

    later = bench.advance(in_publicity, on=ENDS + dt.timedelta(days=5))
    # the window does not lapse
    assert (later.stage, later.waiting_on) == (
        "objection_review",
        ["city.amr"],
    )


def test_the_report_of_an_objection_says_where_the_application_now_stands(
    bench: Workbench, in_publicity: str
) -> None:
    """`ipaward object` prints this report: state, stage and whom it waits on, like an advance."""
    report = bench.object(
        in_publicity, name="张三", text="所列第3件专利受让方为申请人关联企业", on=ENDS
    )

    assert report.steps == ["进入异议复核(第2轮):待市市场监管局办理"]
    assert (report.state, report.stage, report.waiting_on) == (
        "in_review",
        "objection_review",
        ["city.amr"],
    )


def test_an_objection_found_groundless_opens_a_new_publicity_window(
    bench: Workbench, in_publicity: str
) -> None:
    bench.object(
        in_publicity,
        name="张三",
        text="所列第3件专利受让方为申请人关联企业",
        on=dt.date(2025, 9, 30),
    )
    bench.decide(
        in_publicity,
        "city.amr",
        "objection_dismissed",
        comment="经核查,受让方与申请人无关联关系,异议不成立",
    )

    resolved_on = dt.date(2025, 10, 13)  # a Monday
    report = bench.advance(in_publicity, on=resolved_on)

    assert (report.state, report.stage) == ("publicity", "publicity")
    assert "异议不成立,重新公示" in report.steps
    application = bench.application(in_publicity)
    # five working days after the resolution
    assert application.publicity_ends_on == dt.date(2025, 10, 20)
    assert application.stage_round == 3
    assert application.objection is not None and application.objection["open"] is False
    publicity = [n for n in bench.notices(in_publicity) if n.kind == "publicity"]
    assert len(publicity) == 2 and publicity[0].doc_number != publicity[1].doc_number

    bench.drive(in_publicity, on=resolved_on, until=at(state="paid"))
    assert len(bench.ledger(in_publicity)) == 1


def test_an_objection_found_well_founded_rejects_the_application_with_a_refusal(
    bench: Workbench, in_publicity: str
) -> None:
    bench.object(
        in_publicity,
        name="张三",
        text="所列第3件专利受让方为申请人关联企业",
        on=dt.date(2025, 9, 30),
    )
    bench.decide(
        in_publicity,
        "city.amr",
        "objection_upheld",
        comment="经核查异议成立:受让方为申请人全资子公司",
    )

    report = bench.advance(in_publicity, on=dt.date(2025, 10, 13))

    assert report.state == "rejected"
    refusal = bench.notices(in_publicity)[-1]
    assert refusal.kind == "refusal"
    assert "不予奖励" in refusal.body and "受让方为申请人全资子公司" in refusal.body
    assert bench.ledger(in_publicity) == []
    assert bench.open_items(in_publicity) == []


def test_an_upheld_objection_is_recorded_as_resolved(bench: Workbench, in_publicity: str) -> None:
    bench.object(
        in_publicity,
        name="张三",
        text="所列第3件专利受让方为申请人关联企业",
        on=dt.date(2025, 9, 30),
    )
    bench.decide(in_publicity, "city.amr", "objection_upheld", comment="经核查异议成立")

    bench.advance(in_publicity, on=dt.date(2025, 10, 13))

    objection = bench.application(in_publicity).objection
    assert objection is not None
    assert (objection["open"], objection.get("resolved_on")) == (False, "2025-10-13")


def test_outcomes_and_the_database_check_name_the_same_decisions() -> None:
    assert set(DECISION_OUTCOMES) == set(OUTCOMES)


def test_an_upheld_objection_names_the_objector_and_the_reason_in_the_refusal_and_audit(
    bench: Workbench, in_publicity: str
) -> None:
    bench.object(in_publicity, name="漳州某科技有限公司", text="受让方为关联企业", on=ENDS)
    bench.decide(in_publicity, "city.amr", "objection_upheld", comment="受让方为全资子公司")

    report = bench.advance(in_publicity, on=dt.date(2025, 10, 13))

    assert report.state == "rejected"
    refusal = bench.notices(in_publicity)[-1]
    assert refusal.kind == "refusal"
    assert "漳州某科技有限公司" in refusal.body and "受让方为全资子公司" in refusal.body
    objection = bench.application(in_publicity).objection or {}
    assert (objection["upheld"], objection["reason"]) == (True, "受让方为全资子公司")
    [decided] = bench.audit_rows(AuditEntry.action == "work_item.objection_upheld")
    assert decided.details["objector"] == "漳州某科技有限公司"
    assert decided.details["comment"] == "受让方为全资子公司"
    [rejected] = bench.audit_rows(AuditEntry.action == "application.reject")
    assert "漳州某科技有限公司" in rejected.details["reason"]


def test_a_dismissed_objection_is_audited_and_the_application_goes_on(
    bench: Workbench, in_publicity: str
) -> None:
    bench.object(in_publicity, name="张三", text="受让方为关联企业", on=ENDS)
    bench.decide(in_publicity, "city.amr", "objection_dismissed", comment="无关联关系")

    report = bench.advance(in_publicity, on=dt.date(2025, 10, 13))

    assert (report.state, report.stage) == ("publicity", "publicity")
    objection = bench.application(in_publicity).objection or {}
    assert (objection["open"], objection["upheld"], objection["reason"]) == (
        False,
        False,
        "无关联关系",
    )
    [decided] = bench.audit_rows(AuditEntry.action == "work_item.objection_dismissed")
    assert (decided.details["objector"], decided.details["stage"]) == ("张三", "objection_review")


@pytest.mark.parametrize(
    ("outcome", "comment", "why"),
    [
        ("approve", "同意", "只能作出“异议成立”或“异议不成立”"),
        ("reject", "不予通过", "只能作出“异议成立”或“异议不成立”"),
        ("return", "补正", "只能作出“异议成立”或“异议不成立”"),
        ("objection_upheld", "  ", "异议成立须写明理由"),
        ("objection_dismissed", "", "异议不成立须写明理由"),
    ],
)
def test_an_objection_review_refuses_the_generic_outcomes_and_a_missing_reason(
    sqlite_bench: Workbench, outcome: str, comment: str, why: str
) -> None:
    number = publicise(sqlite_bench)
    sqlite_bench.object(number, name="张三", text="受让方为关联企业", on=ENDS)
    before = sqlite_bench.footprint()

    with pytest.raises(InvalidAction, match=why):
        sqlite_bench.decide(number, "city.amr", outcome, comment=comment, items=["x:y"])

    assert sqlite_bench.footprint() == before
    assert [i.stage for i in sqlite_bench.open_items(number)] == ["objection_review"]


@pytest.mark.parametrize("outcome", ["objection_upheld", "objection_dismissed"])
def test_objection_outcomes_are_refused_outside_an_objection_review(
    sqlite_bench: Workbench, outcome: str
) -> None:
    number = sqlite_bench.submit(example("m07_university_transfers"), on=FILED)
    sqlite_bench.advance(number, on=FILED)
    before = sqlite_bench.footprint()

    with pytest.raises(InvalidAction, match="只用于异议复核环节"):
        sqlite_bench.decide(number, "city.amr", outcome, comment="理由")

    assert sqlite_bench.footprint() == before


def test_a_paper_objection_counts_from_the_day_it_was_received(
    bench: Workbench, in_publicity: str
) -> None:
    """Received on the last day of 公示, recorded the next working day: in time; its scan's
    digest and who recorded it go with the objection and into the audit row."""
    scan = {"sha256": "ab" * 32, "name": "异议书.pdf", "media_type": "application/pdf"}
    bench.object(
        in_publicity,
        name="张三",
        text="受让方为关联企业",
        on=ENDS + dt.timedelta(days=1),
        received_on=ENDS,
        scan=scan,
        recorded_by="city.amr/王五",
    )

    objection = bench.application(in_publicity).objection or {}
    assert (objection["received_on"], objection["recorded_on"]) == ("2025-10-09", "2025-10-10")
    assert (objection["scan"], objection["recorded_by"]) == (scan, "city.amr/王五")
    [received] = bench.audit_rows(AuditEntry.action == "application.object")
    assert received.details["scan_sha256"] == "ab" * 32
    assert received.details["recorded_by"] == "city.amr/王五"


@pytest.mark.parametrize(
    ("received_on", "why"),
    [(ENDS + dt.timedelta(days=1), "逾期"), (ENDS + dt.timedelta(days=3), "不能晚于今天")],
    ids=["received-late", "received-in-the-future"],
)
def test_a_paper_objection_received_late_or_in_the_future_is_refused(
    sqlite_bench: Workbench, received_on: dt.date, why: str
) -> None:
    number = publicise(sqlite_bench)
    before = sqlite_bench.footprint()

    with pytest.raises(InvalidAction, match=why):
        sqlite_bench.object(
            number,
            name="张三",
            text="有异议",
            on=ENDS + dt.timedelta(days=1),
            received_on=received_on,
        )

    assert sqlite_bench.footprint() == before
    assert sqlite_bench.application(number).state == "publicity"
