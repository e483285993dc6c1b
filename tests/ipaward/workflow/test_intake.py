"""Intake (形式审查): faulty files ask for one 补正 listing everything; a late or outside filing is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from ipaward.db.models import WorkItem
from ipaward.notices.dates import chinese_date
from ipaward.workflow.errors import InvalidAction
from tests.support.applications import example, pdf_bytes
from tests.support.identifiers import uscc
from tests.support.workbench import Workbench

THURSDAY = dt.date(2025, 9, 25)  # before the National Day holiday (1–8 Oct 2025)
# 26, 28 (Sun, worked), 29, 30 Sep; 9, 10, 11 (Sat, worked), 13, 14, 15 Oct
TEN_WORKING_DAYS_LATER = dt.date(2025, 10, 15)
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120)  # a Windows executable, named .pdf


def faulty_m07() -> dict[str, Any]:
    """M07 without its CNIPA recordal; the files are damaged by `damage` as they are written."""
    data = example("m07_university_transfers")
    data["documents"] = [d for d in data["documents"] if d["kind"] != "cnipa_recordal"]
    return data


def damage(document: dict[str, Any], path: Path) -> None:
    if document["kind"] == "integrity_pledge":  # changed after its digest was declared
        path.write_bytes(pdf_bytes("a different pledge"))
    elif document["kind"] == "business_licence":  # never handed over
        path.unlink()
    elif document["kind"] == "transfer_contract":  # a program renamed .pdf, digest matching
        path.write_bytes(PROGRAM)
        document["sha256"] = hashlib.sha256(PROGRAM).hexdigest()


def test_every_document_problem_is_listed_in_one_correction_request_with_a_working_day_deadline(
    bench: Workbench,
) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    report = bench.advance(number, on=THURSDAY)

    assert report.state == "correction_requested"
    application = bench.application(number)
    correction = application.correction
    assert correction is not None and correction["open"] is True
    problems = {item["kind"]: item["reason"] for item in correction["items"]}
    assert set(problems) == {
        "integrity_pledge",
        "business_licence",
        "transfer_contract",
        "cnipa_recordal",
    }
    assert "不存在" in problems["business_licence"]
    assert "可执行" in problems["transfer_contract"] or "Windows" in problems["transfer_contract"]
    assert "缺少材料" in problems["cnipa_recordal"]
    assert correction["deadline"] == TEN_WORKING_DAYS_LATER.isoformat()
    assert correction["deadline_working_days"] == 10
    assert correction["resume_stage"] is None
    assert report.waiting_on == [f"applicant(补正期限{TEN_WORKING_DAYS_LATER.isoformat()})"]
    assert bench.notice_kinds(number) == ["correction"]
    assert bench.count(WorkItem) == 0  # not accepted, nobody has work yet


def test_a_corrected_resubmission_is_accepted_and_the_stored_diff_names_what_changed(
    bench: Workbench,
) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)

    changes = bench.resubmit(
        number, example("m07_university_transfers"), on=dt.date(2025, 10, 9), label="m07"
    )

    changed = {change["path"] for change in changes}
    # The pledge's declared digest was right (the file was wrong), so only the program's
    # digest and the added recordal differ in the JSON.
    assert changed == {"$.documents[3].sha256", "$.documents[4]"}
    application = bench.application(number)
    assert application.state == "resubmitted"
    assert application.correction is not None and application.correction["diff"] == changes

    report = bench.advance(number, on=dt.date(2025, 10, 9))
    assert (report.state, report.stage, report.waiting_on) == (
        "in_review",
        "lead_review",
        ["city.amr"],
    )
    assert report.steps[0] == "形式审查通过,予以受理"
    assert (bench.application(number).correction or {})["open"] is False
    assert bench.notice_kinds(number) == ["correction", "acceptance", "task"]


def test_a_resubmission_still_missing_a_document_asks_again_in_a_second_round(
    bench: Workbench,
) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)
    # files fixed, recordal still missing
    bench.resubmit(number, faulty_m07(), on=dt.date(2025, 10, 9), label="m07")

    report = bench.advance(number, on=dt.date(2025, 10, 9))

    assert report.state == "correction_requested"
    correction = bench.application(number).correction
    assert correction is not None and correction["round"] == 2
    assert [item["kind"] for item in correction["items"]] == ["cnipa_recordal"]
    # ten working days after 9 Oct (Sat 11 Oct is worked)
    assert correction["deadline"] == "2025-10-22"
    assert bench.notice_kinds(number) == ["correction", "correction"]


def test_a_correction_not_answered_by_its_deadline_is_refused_at_the_next_advance(
    bench: Workbench,
) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)

    assert bench.advance(number, on=TEN_WORKING_DAYS_LATER).state == "correction_requested"
    report = bench.advance(number, on=TEN_WORKING_DAYS_LATER + dt.timedelta(days=1))

    assert report.state == "rejected"
    deadline = chinese_date(TEN_WORKING_DAYS_LATER)
    assert report.steps == [f"不予受理:未在补正期限（{deadline}）内补正材料，视为放弃申请"]
    refusal = bench.notices(number)[-1]
    assert refusal.kind == "refusal" and "不予受理" in refusal.body  # it was never accepted
    assert bench.history(number)[-1] == "application.reject"


def test_a_resubmission_after_the_deadline_is_refused(bench: Workbench) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)
    late = TEN_WORKING_DAYS_LATER + dt.timedelta(days=1)

    with pytest.raises(InvalidAction):
        bench.resubmit(number, example("m07_university_transfers"), on=late, label="m07")

    assert bench.application(number).state == "correction_requested"
    assert bench.advance(number, on=late).state == "rejected"


def test_an_event_before_the_policy_took_effect_is_not_accepted(bench: Workbench) -> None:
    data = example("m03_university_certification")
    data["evidence"]["certification"]["certified_on"] = (
        "2023-06-18"  # the policy dates from 2024-02-02
    )
    number = bench.submit(data, on=THURSDAY)

    report = bench.advance(number, on=THURSDAY)

    assert report.state == "rejected"
    assert "不在政策有效期内" in report.steps[-1]
    [refusal] = bench.notices(number)
    assert refusal.kind == "refusal" and "不予受理" in refusal.body
    assert bench.count(WorkItem) == 0
    assert bench.advance(number, on=THURSDAY).steps == []  # final: nothing more happens


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d.update(example("m03_university_certification")), "措施M03与原申请M07不一致"),
        (
            lambda d: d["applicant"].update(uscc=uscc(9, prefix="12350600")),
            "统一社会信用代码与原申请不一致",
        ),
    ],
    ids=["another-measure", "another-applicant"],
)
def test_a_resubmission_of_something_else_is_refused_and_changes_nothing(
    bench: Workbench, change: Any, why: str
) -> None:
    number = bench.submit(faulty_m07(), on=THURSDAY, label="m07", broken=damage)
    bench.advance(number, on=THURSDAY)
    before = bench.application(number)
    other = example("m07_university_transfers")
    change(other)

    with pytest.raises(InvalidAction, match=why):
        bench.resubmit(number, other, on=dt.date(2025, 10, 9))

    after = bench.application(number)
    assert (after.state, after.payload, after.correction) == (
        before.state,
        before.payload,
        before.correction,
    )
    assert bench.history(number)[-1] == "application.return"


def test_a_resubmission_without_a_correction_request_is_refused(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=THURSDAY)
    bench.advance(number, on=THURSDAY)

    with pytest.raises(InvalidAction, match="审核中,无需补正"):
        bench.resubmit(number, example("m07_university_transfers"), on=THURSDAY)
    assert bench.application(number).stage == "lead_review"
