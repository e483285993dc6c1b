"""Numbers a person gives the workflow: refused outside their range before anything is written.

The testers' cases: a 补正 deadline of 99999999 working days was stored and then crashed every
background advance (the application waited on nobody, for good); 100000 put the deadline in
the year 2410.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ipaward.config.config_errors import ConfigError
from ipaward.db.models import AuditEntry, Decision, WorkItem
from ipaward.settings import PROJECT_ROOT
from ipaward.workflow.context import load_procedure
from ipaward.workflow.decisions import decide
from ipaward.workflow.errors import InvalidAction, NotFound
from ipaward.workflow.limits import check_chunk_size, check_year, stored_deadline
from ipaward.workflow.programme import advance_programme
from tests.conftest import OpenBench
from tests.ipaward.workflow.test_decisions import waiting_on_the_lead
from tests.support.workbench import Item, Workbench

FILED = dt.date(2025, 9, 15)  # a Monday
CONTRACT = ["documents[transfer_contract]:盖章不清"]


def returned_with(bench: Workbench, item: Item, days: int) -> None:
    bench.decide_item(item, "return", comment="请补正", items=CONTRACT, deadline_days=days)


@pytest.mark.parametrize("days", [99999999, 100000, 61, 0, -1, 10**30])
def test_a_deadline_out_of_range_is_refused_and_the_application_still_waits_on_the_lead(
    sqlite_bench: Workbench, days: int
) -> None:
    number, item = waiting_on_the_lead(sqlite_bench)
    audit_before = sqlite_bench.count(AuditEntry)

    with pytest.raises(InvalidAction) as refused:
        returned_with(sqlite_bench, item, days)

    assert str(refused.value).startswith("补正期限须为1至60个工作日之间的整数")
    assert sqlite_bench.count(Decision) == 0
    assert sqlite_bench.count(AuditEntry) == audit_before
    assert sqlite_bench.open_items(number) == [item]  # not stranded: still open, same version
    report = sqlite_bench.advance(number, on=FILED)
    assert (report.state, report.stage, report.waiting_on) == (
        "in_review",
        "lead_review",
        ["city.amr"],
    )


@pytest.mark.parametrize(
    ("days", "deadline"),
    # 国庆 (10-01…08) not counted, the make-up Sunday 09-28 and Saturday 10-11 counted
    [(1, dt.date(2025, 9, 16)), (60, dt.date(2025, 12, 12))],
)
def test_the_bounds_themselves_are_accepted(
    sqlite_bench: Workbench, days: int, deadline: dt.date
) -> None:
    number, item = waiting_on_the_lead(sqlite_bench)

    returned_with(sqlite_bench, item, days)
    report = sqlite_bench.advance(number, on=FILED)

    assert report.state == "correction_requested"
    correction = sqlite_bench.application(number).correction or {}
    assert (correction["deadline_working_days"], correction["deadline"]) == (
        days,
        deadline.isoformat(),
    )


def test_the_range_is_a_setting(open_bench: OpenBench, tmp_path: Path) -> None:
    """config/workflow.toml decides; decide() reads it from the context or the config folder."""
    config = tmp_path / "narrow-config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    text = (config / "workflow.toml").read_text(encoding="utf-8")
    narrowed = text.replace("correction_working_days_max = 60", "correction_working_days_max = 20")
    assert narrowed != text
    (config / "workflow.toml").write_text(narrowed, encoding="utf-8")
    bench = open_bench(config_dir=config)
    assert bench.ctx.procedure.correction_working_days_range == (1, 20)
    _, item = waiting_on_the_lead(bench)

    with pytest.raises(InvalidAction, match="须为1至20个工作日"):
        returned_with(bench, item, 21)  # the config folder of the environment
    with bench.transaction() as session, pytest.raises(InvalidAction, match="须为1至20个工作日"):
        decide(
            session,
            work_item_id=item.id,
            department="city.amr",
            officer="o",
            outcome="return",
            comment="请补正",
            items=CONTRACT,
            deadline_days=21,
            procedure=bench.ctx.procedure,
        )
    returned_with(bench, item, 20)
    assert bench.count(Decision) == 1


@pytest.mark.parametrize(
    ("lines", "key"),
    [
        ("correction_working_days_min = 0", "correction_working_days_min"),
        ("correction_working_days_max = 251", "correction_working_days_max"),
        ("correction_working_days_max = 9", "correction_working_days"),  # default 10 outside
    ],
)
def test_a_range_that_makes_no_sense_is_a_config_error(
    tmp_path: Path, lines: str, key: str
) -> None:
    text = (PROJECT_ROOT / "config" / "workflow.toml").read_text(encoding="utf-8")
    name = lines.split(" =")[0]
    kept = "\n".join(line for line in text.splitlines() if not line.startswith(name + " "))
    (tmp_path / "workflow.toml").write_text(kept + "\n" + lines + "\n", encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        load_procedure(tmp_path)

    assert error.value.key == f".{key}"


@pytest.mark.parametrize("work_item_id", [0, -1, 2**63, 10**30])
def test_an_item_id_beyond_any_row_is_not_found(sqlite_bench: Workbench, work_item_id: int) -> None:
    waiting_on_the_lead(sqlite_bench)
    with sqlite_bench.transaction() as session, pytest.raises(NotFound, match="没有待办事项"):
        decide(
            session,
            work_item_id=work_item_id,
            department="city.amr",
            officer="o",
            outcome="approve",
            comment="同意",
        )
    assert sqlite_bench.count(Decision) == 0


@pytest.mark.parametrize("version", [0, -1, 2**63, 10**30])
def test_a_version_out_of_range_is_refused(sqlite_bench: Workbench, version: int) -> None:
    number, item = waiting_on_the_lead(sqlite_bench)
    with pytest.raises(InvalidAction, match="版本号须为1至9223372036854775807之间的整数"):
        sqlite_bench.decide_item(item, "approve", expected_version=version)
    assert sqlite_bench.count(Decision) == 0
    assert sqlite_bench.open_items(number) == [item]


def test_a_deadline_stored_before_the_check_no_longer_strands_the_application(
    sqlite_bench: Workbench,
) -> None:
    """A decision row from before the range was checked: the nearest allowed deadline is used."""
    number, item = waiting_on_the_lead(sqlite_bench)
    returned_with(sqlite_bench, item, 5)
    with sqlite_bench.transaction() as session:
        session.execute(
            update(Decision)
            .where(Decision.work_item_id == item.id)
            .values(
                details={
                    "items": [{"field": "documents[transfer_contract]", "reason": "盖章不清"}],
                    "deadline_days": 99999999,
                }
            )
        )

    report = sqlite_bench.advance(number, on=FILED)

    assert report.state == "correction_requested"
    assert "所存补正期限99999999超出1至60个工作日,按60个工作日计" in report.steps
    correction = sqlite_bench.application(number).correction or {}
    assert correction["deadline_working_days"] == 60


def test_stored_deadlines_are_read_leniently() -> None:
    procedure = load_procedure(PROJECT_ROOT / "config")
    assert stored_deadline(procedure, None) == (10, None)
    assert stored_deadline(procedure, 5) == (5, None)
    assert stored_deadline(procedure, "7") == (7, None)
    assert stored_deadline(procedure, 0)[0] == 1
    assert stored_deadline(procedure, "many")[0] == 10


@pytest.mark.parametrize("year", [1999, 2101, 0, -1, 99999, 10**30])
def test_a_year_out_of_range_is_refused(year: int) -> None:
    with pytest.raises(InvalidAction, match="年度须为2000至2100之间的整数"):
        check_year(year)


def test_the_year_bounds_themselves_are_accepted() -> None:
    check_year(2000)
    check_year(2100)
    check_chunk_size(1)
    check_chunk_size(10_000)
    for size in (0, -5, 10_001):
        with pytest.raises(InvalidAction, match="每批件数"):
            check_chunk_size(size)


def test_a_programme_year_out_of_range_stores_nothing(sqlite_bench: Workbench) -> None:
    with sqlite_bench.transaction() as session, pytest.raises(InvalidAction, match="年度"):
        advance_programme(session, sqlite_bench.ctx, measure_code="M04", year=99999, today=FILED)
    assert sqlite_bench.count(WorkItem) == 0
    assert sqlite_bench.count(AuditEntry) == 0


def test_a_return_within_range_keeps_its_deadline_in_the_decision(
    sqlite_bench: Workbench,
) -> None:
    _, item = waiting_on_the_lead(sqlite_bench)
    returned_with(sqlite_bench, item, 60)
    with sqlite_bench.transaction() as session:
        details = session.scalars(select(Decision.details)).one()
    assert details["deadline_days"] == 60
