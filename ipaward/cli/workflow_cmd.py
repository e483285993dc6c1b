"""Department commands: `inbox`, `decide`, and the operator's `advance`; each with `--json`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ipaward import clock
from ipaward.cli import numbers
from ipaward.cli import table_labels as labels
from ipaward.cli.output import JsonFlag, Today, console, errors, print_json
from ipaward.cli.progress import progress_bar
from ipaward.dispatch import HandOff, hand_off, runner
from ipaward.services.database import ensure_schema, session_scope
from ipaward.workflow.context import WorkflowContext, load_context
from ipaward.workflow.decisions import decide
from ipaward.workflow.errors import WorkflowError
from ipaward.workflow.queries import inbox

__all__ = ["Today", "context_or_exit", "day", "print_hand_off", "print_reports"]


def context_or_exit() -> WorkflowContext:
    from ipaward.cli.main import policy_or_exit

    policy_or_exit()  # reports config errors with file and key
    return load_context()


def day(text: str | None) -> dt.date:
    return dt.date.fromisoformat(text) if text else clock.today()


def known_department(ctx: WorkflowContext, code: str) -> str:
    if code not in ctx.policy.directory.departments:
        errors.print(f"[red]未知部门代码 {escape(code)}[/red](见 config/departments.toml)")
        raise typer.Exit(code=2)
    return code


def refuse(error: WorkflowError, *, as_json: bool) -> None:
    """A refused action: nothing was saved; the reason on stderr (and as JSON with --json)."""
    if as_json:
        print_json({"saved": False, "error": str(error)})
    errors.print(f"[red]未保存:[/red]{escape(str(error))}")
    raise typer.Exit(code=1)


def report_row(report: dict[str, Any]) -> dict[str, Any]:
    """One advance report as `--json` prints it: the stored values, stable keys."""
    return {
        "number": report.get("number"),
        "measure": report.get("measure"),
        "state": report.get("state") or None,
        "stage": report.get("stage"),
        "waiting_on": list(report.get("waiting_on") or []),
        "steps": list(report.get("steps") or []),
        "error": report.get("error"),
    }


def print_reports(reports: list[dict[str, Any]]) -> None:
    for report in reports:
        waiting = escape(labels.departments(report.get("waiting_on")))
        shown = labels.state(report["state"]) if report.get("state") else ""
        console.print(f"[bold]{escape(report['number'])}[/bold] {escape(shown)} · 等待: {waiting}")
        for step in report.get("steps") or ["无变化"]:
            console.print(f"  · {escape(step)}")
        if report.get("error"):
            console.print(f"  [red]错误:{escape(report['error'])}[/red]")


def hand_off_json(handed: HandOff) -> dict[str, Any]:
    """The follow-up as `--json` prints it: done here (with its reports), queued or waiting."""
    return {
        "state": handed.state,
        "message": handed.message,
        "reports": [report_row(r) for r in handed.reports],
        "cycles": [dict(c) for c in handed.cycles],
        "run_id": handed.run_id,
    }


def print_hand_off(handed: HandOff) -> None:
    """What became of the follow-up: its steps when done here (inline), else one line."""
    if handed.state == "done":
        print_reports(handed.reports)
        if handed.cycles:
            from ipaward.cli.cycle_cmd import show_cycle

            for report in handed.cycles:
                show_cycle(report)
    elif handed.message:
        console.print(handed.message)


def register(app: typer.Typer) -> None:
    @app.command("inbox")
    def inbox_command(
        dept: Annotated[
            str,
            typer.Option("--dept", help="Department code, e.g. city.amr.", metavar="部门代码"),
        ],
        as_json: JsonFlag = False,
        today: Today = None,
    ) -> None:
        """The department's open work items, earliest due first."""
        ctx = context_or_exit()
        ensure_schema(ctx.settings)
        with session_scope(ctx.settings) as session:
            rows = inbox(session, ctx, department=known_department(ctx, dept), today=day(today))
        if as_json:
            print_json(rows)
            return
        table = Table(title=f"{ctx.policy.directory.department(dept).name} 待办 {len(rows)} 件")
        for column in (
            "待办号",
            "申请",
            "措施",
            "申请人",
            "环节",
            "金额(元)",
            "期限",
            "逾期(工作日)",
        ):
            table.add_column(column)
        for row in rows:
            overdue = row["overdue_working_days"]
            table.add_row(
                str(row["work_item"]),
                str(row["application"]),
                labels.measure(row["measure"]),
                escape(str(row["applicant"])),
                str(row["stage_name"]),
                str(row["amount"] if row["amount"] is not None else "—"),
                str(row["due_on"] or "—"),
                f"[red]{overdue}[/red]" if overdue else "",
            )
        console.print(table)

    @app.command("decide")
    def decide_command(
        item: Annotated[
            int,
            typer.Argument(
                help="Work item number (from inbox).", parser=numbers.WORK_ITEM, metavar="待办号"
            ),
        ],
        outcome: Annotated[
            str,
            typer.Argument(
                help="approve | reject | return | countersign | objection_upheld | "
                "objection_dismissed",
                metavar="决定",
            ),
        ],
        dept: Annotated[
            str, typer.Option("--dept", help="Your department code.", metavar="部门代码")
        ],
        comment: Annotated[
            str, typer.Option("--comment", help="Opinion; required to reject.", metavar="意见")
        ] = "",
        officer: Annotated[
            str, typer.Option("--officer", help="Who decides (recorded).", metavar="姓名")
        ] = "cli",
        items: Annotated[
            list[str] | None,
            typer.Option("--items", help="补正: field or document[:reason].", metavar="事项"),
        ] = None,
        deadline_days: Annotated[
            int | None,
            typer.Option(
                "--deadline-days",
                help="补正 deadline, working days (range: config/workflow.toml).",
                parser=numbers.DEADLINE_DAYS,
                metavar="天数",
            ),
        ] = None,
        version: Annotated[
            int | None,
            typer.Option(
                "--version",
                help="The item version you read.",
                parser=numbers.VERSION,
                metavar="版本号",
            ),
        ] = None,
        exceptions: Annotated[
            list[str] | None,
            typer.Option(
                "--except",
                help="Annual list only: NUMBER[:reason] taken out of the list (逐件办理).",
                metavar="编号[:理由]",
            ),
        ] = None,
        today: Today = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Decide a work item; the application then advances as far as it can."""
        ctx = context_or_exit()
        known_department(ctx, dept)
        try:
            with session_scope(ctx.settings) as session:
                decided = decide(
                    session,
                    work_item_id=item,
                    department=dept,
                    officer=officer,
                    outcome=outcome,
                    comment=comment,
                    expected_version=version,
                    items=items or [],
                    deadline_days=deadline_days,
                    exceptions=exceptions or [],
                    procedure=ctx.procedure,
                )
        except WorkflowError as error:
            refuse(error, as_json=as_json)
        handed = hand_off([decided.follow_up_id], today=day(today))
        if as_json:
            print_json(
                {
                    "work_item": item,
                    "outcome": outcome,
                    "decision": decided.decision_id,
                    "follow_up": hand_off_json(handed),
                }
            )
            return
        console.print(f"已记录:待办{item} {labels.outcome(outcome)}(决定{decided.decision_id})")
        print_hand_off(handed)

    @app.command("advance")
    def advance_command(
        numbers: Annotated[
            list[str] | None,
            typer.Argument(help="Application numbers (default: all open).", metavar="编号..."),
        ] = None,
        today: Today = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Run the automated steps of open applications (one batch flow run)."""
        ctx = context_or_exit()
        ensure_schema(ctx.settings)
        todo = numbers
        if not todo:
            from sqlalchemy import select

            from ipaward.db.models import Application
            from ipaward.workflow.states import OPEN_STATES

            with session_scope(ctx.settings) as session:
                todo = list(
                    session.scalars(
                        select(Application.number).where(Application.state.in_(OPEN_STATES))
                    )
                )
        with progress_bar("推进申请", quiet=as_json) as progress:
            reports = runner().advance(todo, today=day(today), progress=progress)
        if as_json:
            print_json([report_row(r) for r in reports])
            return
        print_reports(reports)
