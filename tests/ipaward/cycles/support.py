"""A workbench for the annual cycle: the shipped config (annual measures wait for the cycle),
filings of one recipient split over several applications, and the departments of a list.

Everything the tasks read themselves (IPAWARD_HOME, IPAWARD_DATABASE_URL, IPAWARD_CONFIG_DIR)
points at this bench, so `run_cycle` and the flows act on the same database.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ipaward.db.models import Cycle, CycleLine, WorkItem
from ipaward.services.database import ensure_schema
from ipaward.settings import PROJECT_ROOT, load_settings
from ipaward.workflow.context import load_context
from ipaward.workflow.decisions import decide
from tests.support.applications import example
from tests.support.pg_roles import use_database
from tests.support.workbench import Workbench

FILED = dt.date(2025, 3, 3)  # a Monday; the 2024 lists are settled in 2025


class CycleBench(Workbench):
    def accept(self, data: dict[str, Any], *, on: dt.date = FILED) -> str:
        """Submit with real documents and run intake: the application waits for its cycle."""
        number = self.submit(data, on=on)
        report = self.advance(number, on=on)
        assert self.application(number).state == "awaiting_cycle", report.steps
        return number

    def settle(self, measure: str, *, on: dt.date, year: int = 2024) -> dict[str, Any]:
        """One run of the cycle without Prefect (the flow runs the same task functions)."""
        from tasks.cycle_chunks import InlineRunner, run_cycle

        report = run_cycle(InlineRunner(), measure=measure, year=year, today=on, chunk_size=3)
        with self.acting():
            pass  # the invariant, after the run's last transaction
        return report

    def list_items(self, measure: str, year: int = 2024) -> list[WorkItem]:
        with self.transaction() as session:
            rows = list(
                session.scalars(
                    select(WorkItem)
                    .join(Cycle, Cycle.id == WorkItem.cycle_id)
                    .where(
                        Cycle.measure == measure,
                        Cycle.year == year,
                        WorkItem.state == "open",
                    )
                    .order_by(WorkItem.id)
                )
            )
            session.expunge_all()
            return rows

    def approve_list(
        self, measure: str, *, exceptions: dict[str, list[str]] | None = None, year: int = 2024
    ) -> int:
        """Every open item on the list approved (countersigned), some with exceptions."""
        items = self.list_items(measure, year)
        for item in items:
            with self.transaction() as session:
                decide(
                    session,
                    work_item_id=item.id,
                    department=item.department,
                    officer=f"officer@{item.department}",
                    outcome="countersign" if item.stage == "countersign" else "approve",
                    comment="同意名单",
                    exceptions=(exceptions or {}).get(item.department, []),
                )
        return len(items)

    def drive_list(
        self,
        measure: str,
        *,
        on: dt.date = FILED,
        stop: Callable[[dict[str, Any]], bool] | None = None,
    ) -> tuple[dict[str, Any], dt.date]:
        """Run and approve until the list is done (or `stop(report)`); the report and date."""
        report = self.settle(measure, on=on)
        for _ in range(12):
            if report["state"] == "done" or (stop and stop(report)):
                return report, on
            if report["state"] == "publicity":
                on = self.cycle(measure).publicity_ends + dt.timedelta(days=1)
            elif report["state"] == "in_review":
                self.approve_list(measure)
            else:
                raise AssertionError(f"the list stopped: {report}")
            report = self.settle(measure, on=on)
        raise AssertionError(f"{measure} list did not finish: {report}")

    def cycle(self, measure: str, year: int = 2024) -> CycleView:
        with self.transaction() as session:
            cycle = session.scalars(
                select(Cycle).where(Cycle.measure == measure, Cycle.year == year)
            ).one()
            lines = list(
                session.scalars(
                    select(CycleLine).where(CycleLine.cycle_id == cycle.id).order_by(CycleLine.id)
                )
            )
            return CycleView(
                state=cycle.state,
                stage=cycle.stage,
                total=cycle.total,
                details=dict(cycle.details),
                lines={str(line.details["number"]): (line.status, line.amount) for line in lines},
            )


class CycleView:
    def __init__(
        self,
        *,
        state: str,
        stage: str | None,
        total: int,
        details: dict[str, Any],
        lines: dict[str, tuple[str, int]],
    ) -> None:
        self.state, self.stage, self.total, self.details, self.lines = (
            state,
            stage,
            total,
            details,
            lines,
        )

    @property
    def publicity_ends(self) -> dt.date:
        return dt.date.fromisoformat(self.details["publicity_ends_on"])


def open_cycle_bench(
    root: Path,
    monkeypatch: Any,
    *,
    database_url: str | None = None,
    edit_config: Callable[[Path], None] | None = None,
) -> CycleBench:
    """A fresh home on the shipped config (a copy, so a test may edit it)."""
    config = root / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    if edit_config is not None:
        edit_config(config)
    monkeypatch.setenv("IPAWARD_HOME", str(root / "home"))
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(config))
    use_database(monkeypatch, database_url)  # PostgreSQL: as the app role
    from tasks import runtime

    runtime.reset()
    settings = load_settings()
    ensure_schema(settings)
    return CycleBench(settings=settings, ctx=load_context(settings), inbox=root / "filings")


def closing(bench: CycleBench) -> Iterator[CycleBench]:
    from tasks import runtime

    try:
        yield bench
    finally:
        bench.close()
        runtime.reset()


def transfers(first: int, count: int, *, on: str = "2024-05-10") -> list[dict[str, Any]]:
    """M07 transfers of distinct invention patents to Zhangzhou enterprises."""
    from ipaward.exchange.identifiers import patent_check_character

    out = []
    for index in range(first, first + count):
        digits = f"2021100{index:05d}"
        out.append(
            {
                "patent_number": f"{digits}.{patent_check_character(digits)}",
                "transferee": {
                    "name": f"漳州受让企业{index}有限公司",
                    "uscc": "91350600MA30000001",
                    "jurisdiction": "龙文区",
                },
                "recorded_on": on,
            }
        )
    return out


def m07(first: int, count: int) -> dict[str, Any]:
    data = example("m07_university_transfers")
    data["evidence"]["transfers"] = transfers(first, count)
    return data


def m09(prefix: str, count: int, *, applicant: dict[str, Any] | None = None) -> dict[str, Any]:
    data = example("m09_recognised_products")
    data["other_awards"] = []
    data["evidence"]["products"] = [
        {
            "name": f"产品{prefix}{k}",
            "recognition_no": f"MJCP-2024-{prefix}{k:03d}",
            "recognised_on": "2024-06-01",
        }
        for k in range(count)
    ]
    if applicant is not None:
        data["applicant"] = copy.deepcopy(applicant)
    return data


def another(data: dict[str, Any], serial: int, *, kind: str = "enterprise") -> dict[str, Any]:
    """The same filing by another legal person (its own valid USCC and name)."""
    from ipaward.demo.fake_identities import uscc_for

    changed = copy.deepcopy(data)
    changed["applicant"]["name"] = f"漳州测试申请人{serial}"
    changed["applicant"]["uscc"] = uscc_for(kind, "芗城区", 7_000_000 + serial)
    changed["other_awards"] = []
    return changed
