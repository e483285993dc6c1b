"""补正 asked by a department: the route stops, and resumes at the same stage in a new round."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from tests.support.applications import example, pdf_bytes
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 9, 15)  # a Monday
RETURNED_ON = dt.date(2025, 9, 17)  # a Wednesday
FIVE_WORKING_DAYS_LATER = dt.date(2025, 9, 24)


def clearer_contract(document: dict[str, Any], path: Path) -> None:
    """The resubmission replaces the transfer contract with a new scan."""
    if document["kind"] == "transfer_contract":
        content = pdf_bytes("transfer contract, stamped clearly")
        path.write_bytes(content)
        document["sha256"] = hashlib.sha256(content).hexdigest()


def test_a_return_at_countersign_resumes_countersign_in_round_two_and_keeps_round_one(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED, label="m07")
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide(number, "city.finance")  # one countersigner had already agreed
    bench.decide(
        number,
        "city.science",
        "return",
        comment="转让合同盖章不清",
        items=["documents[transfer_contract]:盖章不清,请重新扫描"],
        deadline_days=5,
    )

    report = bench.advance(number, on=RETURNED_ON)

    assert report.state == "correction_requested"
    correction = bench.application(number).correction
    assert correction is not None
    assert correction["items"] == [
        {"field": "documents[transfer_contract]", "reason": "盖章不清,请重新扫描"}
    ]
    assert (correction["requested_by"], correction["resume_stage"]) == (
        "city.science",
        "countersign",
    )
    assert (correction["deadline"], correction["deadline_working_days"]) == (
        FIVE_WORKING_DAYS_LATER.isoformat(),
        5,
    )
    round_one = {
        i.department: (i.state, i.outcome) for i in bench.items(number) if i.stage == "countersign"
    }
    assert round_one == {
        "city.finance": ("done", "countersign"),
        "city.education": ("cancelled", None),
        "city.science": ("done", "return"),
        "city.agriculture": ("cancelled", None),
    }
    assert bench.notice_kinds(number)[-1] == "correction"

    changes = bench.resubmit(
        number,
        example("m07_university_transfers"),
        on=dt.date(2025, 9, 22),
        label="m07",
        broken=clearer_contract,
    )
    assert [c["path"] for c in changes] == ["$.documents[3].sha256"]
    report = bench.advance(number, on=dt.date(2025, 9, 22))

    assert (report.state, report.stage) == ("in_review", "countersign")
    assert report.steps[0] == "形式审查通过,恢复至责任单位会签"
    assert bench.application(number).stage_round == 2
    round_two = [i for i in bench.items(number) if i.stage == "countersign" and i.round == 2]
    assert [(i.department, i.state) for i in round_two] == [
        ("city.finance", "open"),
        ("city.education", "open"),
        ("city.science", "open"),
        ("city.agriculture", "open"),
    ]
    # lead review and countersign kept
    assert len([i for i in bench.items(number) if i.round == 1]) == 1 + 4
    assert "acceptance" not in bench.notice_kinds(number)[1:]  # not accepted a second time

    bench.drive(number, on=dt.date(2025, 9, 22), until=at(state="paid"))
    assert bench.ledger(number)[0].amount == 40000


def test_a_return_by_the_lead_without_a_deadline_uses_ten_working_days_and_resumes_lead_review(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED, label="m07")
    bench.advance(number, on=FILED)
    bench.decide(
        number,
        "city.amr",
        "return",
        comment="请补充受让企业营业执照",
        items=["evidence.transfers[0].transferee"],
    )

    bench.advance(number, on=FILED)
    correction = bench.application(number).correction
    assert correction is not None
    assert correction["items"] == [
        {"field": "evidence.transfers[0].transferee", "reason": "请补充受让企业营业执照"}
    ]
    # the tenth is Sun 28 Sep, a swapped working day
    assert (correction["deadline"], correction["resume_stage"]) == (
        "2025-09-28",
        "lead_review",
    )

    bench.resubmit(number, example("m07_university_transfers"), on=FILED, label="m07")
    report = bench.advance(number, on=FILED)
    assert (report.stage, report.waiting_on) == ("lead_review", ["city.amr"])
    assert [(i.round, i.state) for i in bench.items(number)] == [(1, "done"), (2, "open")]


def test_one_countersigner_refusing_rejects_the_application_and_cancels_the_others(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.drive(number, on=FILED, until=at("countersign"))
    bench.decide(number, "city.education", "reject", comment="受让方与申请人存在关联关系")

    report = bench.advance(number, on=FILED)

    assert report.state == "rejected"
    assert report.steps == ["不予奖励:受让方与申请人存在关联关系"]
    states = sorted(i.state for i in bench.items(number) if i.stage == "countersign")
    assert states == ["cancelled", "cancelled", "cancelled", "done"]
    refusal = bench.notices(number)[-1]
    assert (
        refusal.kind == "refusal"
        and "不予奖励" in refusal.body
        and "受让方与申请人存在关联关系" in refusal.body
    )
    assert bench.ledger(number) == []


def test_a_reward_year_corrected_on_resubmission_is_the_year_the_ledger_charges(
    bench: Workbench,
) -> None:
    """The year is on the application row and the payload: a correction must change both."""
    wrong_year = example("m07_university_transfers")
    wrong_year["year"] = 2025  # the transfers were recorded in 2024
    number = bench.submit(wrong_year, on=FILED, label="m07")
    bench.advance(number, on=FILED)
    bench.decide(number, "city.amr", "return", comment="申报年度有误,应为2024年度", items=["year"])
    bench.advance(number, on=FILED)

    bench.resubmit(number, example("m07_university_transfers"), on=FILED, label="m07")  # year 2024
    bench.drive(number, on=FILED, until=at(state="paid"))

    [entry] = bench.ledger(number)
    assert (entry.year, entry.amount) == (2024, 40000)
    assert bench.application(number).year == 2024
