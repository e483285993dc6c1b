"""`ipaward cycle`, `ipaward remind`, `ipaward report`: the scheduled side, run by hand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table

from ipaward import clock
from ipaward.cli import numbers
from ipaward.cli import table_labels as labels
from ipaward.cli.output import JsonFlag, Today, console, print_json
from ipaward.cli.progress import progress_bar
from ipaward.dispatch import runner
from ipaward.workflow.context import WorkflowContext

Year = Annotated[
    int, typer.Option("--year", help="The reward year.", parser=numbers.YEAR, metavar="年度")
]


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
        year: Year,
        measure: Annotated[
            list[str] | None,
            typer.Option(
                "--measure", help="An annual measure's code (default: all of them).", metavar="措施"
            ),
        ] = None,
        today: Today = None,
        lines: Annotated[
            bool, typer.Option("--lines", help="Also print each list's lines.")
        ] = False,
        as_json: JsonFlag = False,
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
        reports: list[dict[str, Any]] = []
        with progress_bar(f"{year}年度名单", quiet=as_json) as progress:
            for done, code in enumerate(codes):
                progress(done, len(codes))
                reports.append(runner().settle(code, year, today=_day(today)))
            progress(len(codes), len(codes))
        if as_json:
            print_json([{**r, "lines_detail": _lines(r) if lines else None} for r in reports])
            return
        for report in reports:
            show_cycle(report)
            if lines:
                _show_lines(report)

    @app.command("remind")
    def remind_command(today: Today = None, as_json: JsonFlag = False) -> None:
        """催办: overdue work items (official working days), each reminder once per deadline."""
        _ready()
        result = runner().remind(_day(today))
        if as_json:
            print_json({"steps": list(result["steps"])})
            return
        for step in result["steps"] or ["无新逾期事项"]:
            console.print(f"  · {step}")

    @app.command("report")
    def report_command(
        year: Year,
        today: Today = None,
        as_json: JsonFlag = False,
    ) -> None:
        """措施十八 yearly assessment report (markdown; also a Prefect artifact and a file)."""
        _ready()
        result = runner().report(year, _day(today))
        if as_json:
            print_json({"year": year, "path": str(result["path"]), "markdown": result["markdown"]})
            return
        typer.echo(result["markdown"])
        console.print(f"[dim]已保存:{result['path']}[/dim]")


def show_cycle(report: dict[str, Any]) -> None:
    lines = sorted((report.get("lines") or {}).items())
    counts = "、".join(f"{labels.line_status(k)} {v}" for k, v in lines)
    waiting = labels.departments(report.get("waiting_on"))
    console.print(
        f"[bold]{report['measure']} {report['year']}[/bold] {labels.list_state(report.get('state'))}"
        f" · 环节 {labels.stage(report.get('stage'))} · 等待: {waiting} · 名单: {counts or '—'}"
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
            labels.line_status(row["status"]),
            ";".join([row["note"], *row["shared"]] if row["note"] else row["shared"]),
        )
    console.print(table)
