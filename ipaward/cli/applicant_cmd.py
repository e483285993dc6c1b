"""Application commands: `status`, `resubmit`, `withdraw`, `object`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ipaward.cli import table_labels as labels
from ipaward.cli.output import JsonFlag, Today, console, errors, fail_with_problems, print_json
from ipaward.cli.workflow_cmd import (
    context_or_exit,
    day,
    hand_off_json,
    print_hand_off,
    print_reports,
    refuse,
    report_row,
)
from ipaward.cycles.objections import object_to
from ipaward.dispatch import hand_off_applications
from ipaward.exchange.problems import InvalidApplications, Problem
from ipaward.exchange.validate import validate_file
from ipaward.prefect_ui_links import run_links, ui_url
from ipaward.repository.runs import runs_of
from ipaward.services.database import session_scope
from ipaward.services.files import check_and_store
from ipaward.workflow.applicant_actions import resubmit, withdraw
from ipaward.workflow.errors import NotFound, WorkflowError
from ipaward.workflow.queries import application_status

Number = Annotated[
    str, typer.Argument(help="Application number, e.g. ZZIP-2024-M07-000001.", metavar="编号")
]
Actor = Annotated[str, typer.Option(help="Who acts (audit log).", metavar="姓名")]


NOT_FOUND_EXIT = 1  # like any refused input (README: exit codes)


def _not_found(number: str, *, as_json: bool) -> None:
    """An unknown number is not a refused change (`未保存:` would suggest one): say so plainly."""
    if as_json:
        print_json({"found": False, "number": number})
    errors.print(f"[red]查无此申请:[/red]没有申请{escape(number)}(请核对申请编号)")
    raise typer.Exit(code=NOT_FOUND_EXIT)


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        number: Number,
        as_json: JsonFlag = False,
    ) -> None:
        """The application's state and its full history."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                status = application_status(session, number=number)
                runs = runs_of(session, application_id=status["id"])
        except NotFound:
            _not_found(number, as_json=as_json)
            return
        links = run_links(runs, ui=ui_url(), api=os.environ.get("PREFECT_API_URL"))
        status["flow_runs"] = [link.as_dict() for link in links]
        if as_json:
            print_json(status)
            return
        assessment = status["assessment"] or {}
        stage = labels.stage(status["stage"]) if status["stage"] else ""
        console.print(
            f"[bold]{escape(number)}[/bold] {escape(status['applicant'])}"
            f" {labels.measure(status['measure'])} — {status['state_name']}"
            f" {stage} · 测算金额 {assessment.get('amount', '—')} 元"
        )
        table = Table(title="办理过程")
        for column in ("环节", "轮次", "部门", "状态", "决定", "经办人", "意见", "时间"):
            table.add_column(column)
        for row in status["work_items"]:
            decision = row["decision"] or {}
            table.add_row(
                labels.stage(row["stage"]),
                str(row["round"]),
                labels.department(row["department"]),
                labels.work_item_state(row["state"]),
                labels.outcome(decision.get("outcome")),
                escape(decision.get("officer", "")),
                escape(decision.get("comment", "")),
                decision.get("at", "")[:19],
            )
        console.print(table)
        for entry in status["history"]:
            console.print(
                f"  {entry['at'][:19]} {escape(labels.actor(entry['actor']))}"
                f" {labels.action(entry['action'])}"
            )
        for notice in status["notices"]:
            number = notice["doc_number"] or "（内部待办，无文号）"
            kind = labels.notice_kind(notice["kind"])
            console.print(f"  通知 {number} {kind} → {notice['path']}")
        if status["follow_up"]:
            due = status["follow_up"]["due_on"] or "即时"
            console.print(
                f"  后续办理:{escape(status['follow_up']['reason'])}(排队中,办理日期{due})"
            )
        for link in links:
            console.print(f"  后台流程 {escape(link.name)} [{link.state}] {link.url}")

    @app.command("resubmit")
    def resubmit_command(
        number: Number,
        file: Annotated[
            Path, typer.Argument(help="The corrected application JSON.", metavar="文件")
        ],
        files: Annotated[
            Path | None,
            typer.Option(
                "--files", help="Folder of its documents (default: the JSON's).", metavar="文件夹"
            ),
        ] = None,
        actor: Actor = "applicant",
        today: Today = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Resubmit after 补正; the route resumes where it stopped and shows what changed."""
        ctx = context_or_exit()
        when = day(today)
        try:
            found = validate_file(file, ctx.policy, as_of=when, limits=ctx.procedure.input_limits)
            if len(found) != 1:
                raise InvalidApplications(
                    [Problem(code="one_application", path="$", message="补正文件应只含一份申请")]
                )
        except InvalidApplications as error:
            fail_with_problems(error.problems, as_json=as_json, source=str(file))
            return
        [application] = found
        checks = check_and_store(
            files or file.parent,
            application,
            files_root=ctx.files_root,
            max_bytes=ctx.procedure.max_document_bytes,
        )
        try:
            with session_scope(ctx.settings) as session:
                changes = resubmit(
                    session,
                    ctx,
                    number=number,
                    application=application,
                    checks=checks,
                    today=when,
                    actor=actor,
                )
        except WorkflowError as error:
            refuse(error, as_json=as_json)
            return
        except InvalidApplications as error:  # its items are another live application's
            fail_with_problems(error.problems, as_json=as_json, source=str(file))
            return
        handed = hand_off_applications([number], today=when)
        if as_json:
            print_json({"number": number, "changes": changes, "follow_up": hand_off_json(handed)})
            return
        console.print(f"已补正:{len(changes)}处变化")
        for change in changes:
            console.print(escape(f"  {change['path']}: {change['before']} → {change['after']}"))
        print_hand_off(handed)

    @app.command("withdraw")
    def withdraw_command(
        number: Number,
        actor: Actor = "applicant",
        as_json: JsonFlag = False,
    ) -> None:
        """Withdraw an application (any time before payment)."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                withdraw(session, ctx, number=number, actor=actor)
        except WorkflowError as error:
            refuse(error, as_json=as_json)
        handed = hand_off_applications([number])
        if as_json:
            print_json({"number": number, "withdrawn": True, "follow_up": hand_off_json(handed)})
            return
        console.print(f"{number} 已撤回")
        print_hand_off(handed)

    @app.command("object")
    def object_command(
        number: Number,
        name: Annotated[
            str, typer.Option("--name", help="The objector's real name or unit.", metavar="姓名")
        ],
        text: Annotated[
            str, typer.Option("--text", help="The written objection.", metavar="异议内容")
        ],
        today: Today = None,
        as_json: JsonFlag = False,
    ) -> None:
        """A written, real-name objection during 公示: reopens that application only."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                report = object_to(
                    session, ctx, number=number, name=name, text=text, today=day(today)
                )
        except WorkflowError as error:
            refuse(error, as_json=as_json)
            return
        handed = hand_off_applications([number], today=day(today))
        if as_json:
            print_json({"report": report_row(vars(report)), "follow_up": hand_off_json(handed)})
            return
        print_reports([vars(report)])
        print_hand_off(handed)
