"""Programme measures pay nothing: each year the lead assigns, every unit reports, the lead compiles."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ipaward.db.models import AuditEntry, Notice, Programme, WorkItem
from ipaward.workflow.decisions import decide
from ipaward.workflow.programme import ProgrammeReport, advance_programme
from tests.support.workbench import Workbench

TODAY = dt.date(2025, 3, 3)
M04_REPORTERS = [
    "city.science",
    "city.drc",
    "city.education",
    "city.industry",
    "city.agriculture",
    "city.sasac",
    "institutions",
]


def run(bench: Workbench, *, measure: str = "M04", year: int = 2025) -> ProgrammeReport:
    with bench.transaction() as session:
        return advance_programme(session, bench.ctx, measure_code=measure, year=year, today=TODAY)


def open_programme_items(bench: Workbench, stage: str) -> list[WorkItem]:
    with bench.transaction() as session:
        items = list(
            session.scalars(
                select(WorkItem)
                .join(Programme, Programme.id == WorkItem.programme_id)
                .where(
                    Programme.measure == "M04",
                    Programme.year == 2025,
                    WorkItem.stage == stage,
                    WorkItem.state == "open",
                )
                .order_by(WorkItem.id)
            )
        )
        session.expunge_all()
        return items


def answer(bench: Workbench, items: list[WorkItem], text: str = "已完成") -> None:
    for item in items:
        with bench.transaction() as session:
            decide(
                session,
                work_item_id=item.id,
                department=item.department,
                officer="officer",
                outcome="approve",
                comment=f"{item.department}{text}",
            )


def test_a_programme_year_goes_assign_report_compile_and_every_run_is_idempotent(
    bench: Workbench,
) -> None:
    first = run(bench)
    assert (first.cycle, first.stage, first.done) == ("M04:2025", "assign", False)
    assert [i.department for i in open_programme_items(bench, "assign")] == ["city.amr"]
    assert len(first.notice_ids) == 1
    assert run(bench).notice_ids == [] and bench.count(WorkItem) == 1  # again: nothing new

    answer(bench, open_programme_items(bench, "assign"), "下达揭榜挂帅攻关目录")
    second = run(bench)
    assert second.stage == "report"
    reporters = open_programme_items(bench, "report")
    assert [i.department for i in reporters] == M04_REPORTERS
    assert all(i.due_on == dt.date(2025, 3, 31) for i in reporters)  # twenty working days
    assert run(bench).notice_ids == []

    answer(bench, reporters[:-1])
    assert run(bench).stage == "report"  # one unit has not reported yet
    answer(bench, reporters[-1:])
    third = run(bench)
    assert third.stage == "compile"
    assert third.reports == {d: f"{d}已完成" for d in M04_REPORTERS}

    answer(bench, open_programme_items(bench, "compile"), "年度汇总完成")
    final = run(bench)
    assert final.done and final.steps == ["2025年度工作已汇总完成"]

    assert bench.count(WorkItem) == 1 + 7 + 1
    assert bench.count(Notice, Notice.application_id.is_(None)) == 1 + 7 + 1
    stages = [
        row.details["to"]["stage"]
        for row in bench.audit_rows(AuditEntry.action == "programme.stage")
    ]
    assert stages == ["assign", "report", "compile"]
    assert run(bench).done and bench.count(WorkItem) == 9


def test_each_programme_year_is_its_own_cycle(bench: Workbench) -> None:
    run(bench, year=2025)
    run(bench, year=2026)

    with bench.transaction() as session:
        years = session.execute(
            select(Programme.measure, Programme.year, func.count(WorkItem.id))
            .join(WorkItem, WorkItem.programme_id == Programme.id)
            .group_by(Programme.measure, Programme.year)
            .order_by(Programme.year)
        ).all()
    assert [tuple(row) for row in years] == [("M04", 2025, 1), ("M04", 2026, 1)]


def test_a_paying_measure_is_not_a_programme(bench: Workbench) -> None:
    with pytest.raises(ValueError, match="not a programme measure"):
        run(bench, measure="M07")
