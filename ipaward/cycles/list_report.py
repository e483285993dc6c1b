"""What one run of the cycle did, and where its list stands (shown to operators)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward.db.models import Cycle, CycleLine, WorkItem


@dataclass
class CycleReport:
    measure: str
    year: int
    state: str = "none"
    stage: str | None = None
    moved: bool = False
    steps: list[str] = field(default_factory=list)
    notice_ids: list[int] = field(default_factory=list)
    waiting_on: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # status → count
    amounts: dict[str, int] = field(default_factory=dict)  # status → yuan
    budget: str | None = None
    budget_stop: dict[str, object] | None = None

    def note(self, line: str) -> None:
        self.steps.append(line)

    def markdown(self) -> str:
        rows = [
            f"| {status} | {count} | {self.amounts.get(status, 0):,} |"
            for status, count in sorted(self.lines.items())
        ]
        lines = [
            f"# 年度结算 {self.measure} {self.year}",
            "",
            f"- 状态: {self.state}",
            f"- 环节: {self.stage or '—'}",
            f"- 等待: {'、'.join(self.waiting_on) or '—'}",
            f"- 预算: {self.budget or '—'}",
            "",
            "| 名单行状态 | 项数 | 金额(元) |",
            "|---|---|---|",
            *rows,
            "",
            "## 本次推进",
            *(f"- {step}" for step in self.steps or ["无变化(等待人工环节或日历)"]),
        ]
        return "\n".join(lines)


def describe(session: Session, cycle: Cycle, report: CycleReport) -> None:
    """Fill state, counts per line status and whom the list waits on."""
    report.state, report.stage = cycle.state, cycle.stage
    rows = session.execute(
        select(
            CycleLine.status, func.count(CycleLine.id), func.coalesce(func.sum(CycleLine.amount), 0)
        )
        .where(CycleLine.cycle_id == cycle.id)
        .group_by(CycleLine.status)
    )
    for status, count, amount in rows:
        report.lines[status] = int(count)
        report.amounts[status] = int(amount)
    stop = cycle.details.get("budget_stop")
    report.budget_stop = dict(stop) if isinstance(stop, dict) else None
    if cycle.state == "in_review":
        report.waiting_on = list(
            session.scalars(
                select(WorkItem.department).where(
                    WorkItem.cycle_id == cycle.id,
                    WorkItem.stage == cycle.stage,
                    WorkItem.state == "open",
                )
            )
        )
    elif cycle.state == "publicity":
        report.waiting_on = [f"publicity(至{cycle.details.get('publicity_ends_on')})"]
    elif cycle.state == "budget_stop":
        report.waiting_on = ["budget(config/budgets.toml)"]
    elif cycle.state == "paying":
        report.waiting_on = ["payment"]
