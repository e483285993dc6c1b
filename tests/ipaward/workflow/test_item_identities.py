"""One item, one payment, however it is typed: the single route compares items by their
canonical identity, and a refusal after acceptance is a 不予奖励 notice in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ipaward.db.models import LedgerEntry, Notice
from tests.support.applications import example
from tests.support.identifiers import uscc
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 3, 3)


def m12_by(serial: int, judgment: str) -> dict[str, Any]:
    data = example("m12_domestic_case")
    data["applicant"]["uscc"] = uscc(serial)
    data["applicant"]["name"] = f"漳州古雷石化科技{serial}有限公司"
    data["evidence"]["case"]["judgment_no"] = judgment
    return data


def refusal_body(bench: Workbench, number: str) -> str:
    application = bench.application(number)
    with bench.transaction() as session:
        return session.scalars(
            select(Notice.body).where(
                Notice.application_id == application.id, Notice.kind == "refusal"
            )
        ).one()


def test_one_judgment_written_with_both_kinds_of_brackets_is_paid_once(bench: Workbench) -> None:
    first = bench.submit(m12_by(1, "(2024)闽06民初123号"), on=FILED)
    second = bench.submit(m12_by(2, "（2024）闽06民初123号"), on=FILED)
    bench.drive(first, on=FILED, until=at("finance"))
    bench.drive(second, on=FILED, until=at("finance"))

    findings = bench.application(second).assessment["findings"]
    assert any(f["code"] == "claimed_elsewhere" and first in f["message"] for f in findings)

    bench.drive(first, on=FILED, until=at(state="paid"))
    bench.decide_all(second)
    report = bench.advance(second, on=FILED)

    assert report.state == "rejected"
    assert [e.amount for e in bench.ledger(first)] == [200000]
    assert bench.count(LedgerEntry) == 1
    body = refusal_body(bench, second)
    assert "不予奖励告知书" in body and "不予受理" not in body
    assert "拨付前复核" in body and "不重复补助" in body


def test_an_institution_is_paid_once_for_its_certification_even_in_a_later_year(
    bench: Workbench,
) -> None:
    first = bench.submit(example("m03_university_certification"), on=FILED)
    bench.drive(first, on=FILED, until=at(state="paid"))
    again = example("m03_university_certification")
    again["evidence"]["certification"].update(
        certificate_no="IPMS-2025-0112", certified_on="2025-06-18"
    )

    later = dt.date(2025, 9, 1)
    second = bench.submit(again, on=later)
    bench.advance(second, on=later)
    assessment = bench.application(second).assessment
    assert (assessment["eligible"], assessment["amount"]) == (False, 0)
    assert any("不再重复" in line for line in assessment["explanation"])
    assert [e.amount for e in bench.ledger(first)] == [100000]
    assert bench.ledger(second) == []
