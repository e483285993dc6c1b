"""What the notices of a real run say agrees with what the run does (issue 11.2): a 补正
lapse produces the refusal the 补正 notice announced, the 公示 cites the route's own stages,
the 拨付通知 instructs the finance offices that pay, and every body is written in Chinese
form (full-width marks, 2025年9月15日 dates)."""

from __future__ import annotations

import datetime as dt
import json
import re

from ipaward.db.models import Notice
from ipaward.notices.issue import notice_files
from ipaward.text.punctuation import half_width_marks
from tests.ipaward.workflow.test_intake import (
    TEN_WORKING_DAYS_LATER,
    THURSDAY,
    damage,
    faulty_m07,
)
from tests.support.applications import example
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)  # a Monday
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def assert_written_in_chinese_form(notices: list[Notice]) -> None:
    for notice in notices:
        assert not ISO_DATE.search(notice.body), (notice.kind, ISO_DATE.findall(notice.body))
        assert half_width_marks(notice.body) == [], (notice.kind, half_width_marks(notice.body))


def lapse_sentence(correction: Notice) -> str:
    [sentence] = [line for line in correction.body.splitlines() if "逾期未补正的" in line]
    return sentence


def test_a_lapse_at_intake_is_the_不予受理_the_correction_notice_announced(
    sqlite_bench: Workbench,
) -> None:
    bench = sqlite_bench
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)
    bench.advance(number, on=TEN_WORKING_DAYS_LATER + dt.timedelta(days=1))

    correction, refusal = bench.notices(number)
    assert "视为放弃申请，本机关将作出不予受理决定" in lapse_sentence(correction)
    assert "撤回" not in correction.body
    assert refusal.kind == "refusal" and "不予受理告知书" in refusal.body
    assert "本机关决定不予受理" in refusal.body
    assert "2025年10月15日" in refusal.body and "视为放弃申请" in refusal.body
    assert "2025年9月25日申报" in refusal.body  # the filing date, as the notice writes dates
    assert_written_in_chinese_form([correction, refusal])


def test_a_lapse_after_acceptance_is_the_不予奖励_the_correction_notice_announced(
    sqlite_bench: Workbench,
) -> None:
    bench = sqlite_bench
    number = bench.submit(example("m07_university_transfers"), on=FILED, label="m07")
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide(
        number,
        "city.science",
        "return",
        comment="合同不清",
        items=["documents[transfer_contract]:盖章不清,请重新扫描"],  # an officer's ","
        deadline_days=5,
    )
    bench.advance(number, on=dt.date(2025, 9, 17))
    bench.advance(number, on=dt.date(2025, 10, 20))

    kinds = bench.notice_kinds(number)
    assert kinds[-1] == "refusal" and "acceptance" in kinds
    correction = next(n for n in bench.notices(number) if n.kind == "correction")
    refusal = bench.notices(number)[-1]
    assert "本机关将作出不予奖励决定" in lapse_sentence(correction)
    assert "不予奖励告知书" in refusal.body and "本机关决定不予奖励" in refusal.body
    assert_written_in_chinese_form(bench.notices(number))


def test_a_paid_award_cites_its_route_and_instructs_the_finance_office(
    sqlite_bench: Workbench,
) -> None:
    bench = sqlite_bench
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="paid"))
    notices = {n.kind: n for n in bench.notices(number)}

    publicity = notices["publicity"].body
    assert "经单位申报、形式审查、牵头单位审核、责任单位会签，拟对" in publicity
    assert "初审" not in publicity and "复审" not in publicity
    assert "经单位申报、形式审查、牵头单位审核、责任单位会签，现将审核结果" in (
        notices["review_result"].body
    )

    payment = notices["payment"]
    lines = payment.body.splitlines()
    applicant = example("m07_university_transfers")["applicant"]["name"]
    assert "漳州市财政局：" in lines  # addressed to the office that pays …
    assert f"请按规定及时将上述资金拨付至{applicant}" in payment.body
    assert f"抄送：{applicant}。" in lines  # … and the applicant is told by its copy
    meta = json.loads(notice_files(payment, settings=bench.settings).meta.read_text("utf-8"))
    assert meta["recipients"][0] == "city.finance"
    assert meta["recipients"][-1].startswith("applicant-")
    assert_written_in_chinese_form(bench.notices(number))


def test_a_route_without_publicity_promises_none_and_cites_none(sqlite_bench: Workbench) -> None:
    bench = sqlite_bench
    number = bench.submit(example("m02_navigation_project"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="paid"))
    notices = {n.kind: n for n in bench.notices(number)}
    assert "publicity" not in notices
    assert "公示" not in notices["review_result"].body
    assert "公示" not in notices["payment"].body
    assert "经审核，核定奖补资金" in notices["payment"].body
    assert_written_in_chinese_form(bench.notices(number))
