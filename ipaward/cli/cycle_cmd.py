"""`ipaward cycle`, `ipaward remind`, `ipaward report`: the scheduled side, run by hand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table

from ipaward import clock
from ipaward.cli import numbers
from ipaward.cli.output import console, print_json
from ipaward.dispatch import runner
from ipaward.labels import label
from ipaward.workflow.context import WorkflowContext

Today = Annotated[str | None, typer.Option("--today", help="Act as of this date (YYYY-MM-DD).")]


def _day(text: str | None) -> dt.date:
    return dt.date.fromisoformat(text) if text else clock.today()


def _ready() -> WorkflowContext:
    from ipaward.cli.workflow_cmd import context_or_exit
    from ipaward.services.database import ensure_schema

    ctx = context_or_exit()
    ensure_schema(ctx.settings)
    return ctx


def register(app: typer.Typer) -> None:
    @app.command("cycle")
    def cycle_command(
        year: Annotated[
            int, typer.Option("--year", help="The reward year to settle.", parser=numbers.YEAR)
        ],
        measure: Annotated[
            list[str] | None,
            typer.Option("--measure", help="An annual measure's code (default: all of them)."),
        ] = None,
        today: Today = None,
        lines: Annotated[
            bool, typer.Option("--lines", help="Also print each list's lines.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """The annual cycle: line up the year's applications per measure and move each list on
        (lead unit → responsible units → 公示 → finance → ledger); safe to run again any time."""
        ctx = _ready()
        annual = ctx.policy.annual_codes(year)
        codes = [m.upper() for m in measure or annual]
        unknown = sorted(set(codes) - set(annual))
        if unknown:
            raise typer.BadParameter(
                f"不是{year}年度所适用政策版本中的年度类措施:{'、'.join(unknown)}",
                param_hint="--measure",
            )
        reports = [runner().settle(code, year, today=_day(today)) for code in codes]
        if as_json:
            print_json([{**r, "lines_detail": _lines(r) if lines else None} for r in reports])
            return
        for report in reports:
            show_cycle(report)
            if lines:
                _show_lines(report)

    @app.command("remind")
    def remind_command(today: Today = None) -> None:
        """催办: overdue work items (official working days), each reminder once per deadline."""
        _ready()
        result = runner().remind(_day(today))
        for step in result["steps"] or ["无新逾期事项"]:
            console.print(f"  · {step}")

    @app.command("report")
    def report_command(
        year: Annotated[
            int, typer.Option("--year", help="The year reported on.", parser=numbers.YEAR)
        ],
        today: Today = None,
    ) -> None:
        """措施十八 yearly assessment report (markdown; also a Prefect artifact and a file)."""
        _ready()
        result = runner().report(year, _day(today))
        typer.echo(result["markdown"])
        console.print(f"[dim]已保存:{result['path']}[/dim]")


def show_cycle(report: dict[str, Any]) -> None:
    counts = "、".join(f"{k} {v}" for k, v in sorted((report.get("lines") or {}).items()))
    waiting = "、".join(report.get("waiting_on") or []) or "—"
    console.print(
        f"[bold]{report['measure']} {report['year']}[/bold] {report.get('state')}"
        f" · 环节 {report.get('stage') or '—'} · 等待: {waiting} · 名单: {counts or '—'}"
    )
    for step in report.get("steps") or ["无变化"]:
        console.print(f"  · {step}", soft_wrap=True)
    if report.get("budget_stop"):
        console.print(
            f"  [red]预算停止:{report['budget_stop'].get('message')}[/red]", soft_wrap=True
        )


def _lines(report: dict[str, Any]) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from ipaward.cycles.shared import describe_shares
    from ipaward.db.models import Cycle, CycleLine
    from ipaward.services.database import session_scope
    from ipaward.settings import load_settings

    with session_scope(load_settings()) as session:
        rows = session.scalars(
            select(CycleLine)
            .join(Cycle, Cycle.id == CycleLine.cycle_id)
            .where(Cycle.measure == report["measure"], Cycle.year == report["year"])
            .order_by(CycleLine.id)
        )
        return [
            {
                "application": line.details.get("number"),
                "applicant": line.details.get("applicant"),
                "amount": line.amount,
                "status": line.status,
                "note": line.details.get("reason")
                or (line.details.get("excepted") or {}).get("reason")
                or "",
                "shared": describe_shares(line.details.get("shared", [])),
            }
            for line in rows
        ]


def _show_lines(report: dict[str, Any]) -> None:
    table = Table(title=f"{report['measure']} {report['year']} 年度名单")
    for column in ("申请", "申请人", "金额(元)", "状态", "说明"):
        table.add_column(column, overflow="fold")
    for row in _lines(report):
        table.add_row(
            str(row["application"]),
            str(row["applicant"]),
            f"{row['amount']:,}",
            label(row["status"], "line_states"),
            ";".join([row["note"], *row["shared"]] if row["note"] else row["shared"]),
        )
    console.print(table)
