"""Application commands: `status`, `resubmit`, `withdraw`, `object`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ipaward.cli.output import console, errors, fail_with_problems, print_json
from ipaward.cli.workflow_cmd import Today, context_or_exit, day, print_hand_off, print_reports
from ipaward.cycles.objections import object_to
from ipaward.dispatch import hand_off_applications
from ipaward.exchange.problems import InvalidApplications, Problem
from ipaward.exchange.validate import validate_file
from ipaward.labels import label
from ipaward.notices.kinds import NOTICE_KINDS
from ipaward.prefect_ui_links import run_links, ui_url
from ipaward.repository.runs import runs_of
from ipaward.services.database import session_scope
from ipaward.services.files import check_and_store
from ipaward.workflow.applicant_actions import resubmit, withdraw
from ipaward.workflow.errors import WorkflowError
from ipaward.workflow.queries import application_status


def _refuse(error: WorkflowError) -> None:
    errors.print(f"[red]未保存:[/red]{escape(str(error))}")
    raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        number: Annotated[
            str, typer.Argument(help="Application number, e.g. ZZIP-2024-M07-000001.")
        ],
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """The application's state and its full history."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                status = application_status(session, number=number)
                runs = runs_of(session, application_id=status["id"])
        except WorkflowError as error:
            _refuse(error)
            return
        links = run_links(runs, ui=ui_url(), api=os.environ.get("PREFECT_API_URL"))
        status["flow_runs"] = [link.as_dict() for link in links]
        if as_json:
            print_json(status)
            return
        assessment = status["assessment"] or {}
        console.print(
            f"[bold]{escape(number)}[/bold] {escape(status['applicant'])} {status['measure']} — {status['state_name']}"
            f" {label(status['stage'], 'stages') if status['stage'] else ''} · 测算金额 {assessment.get('amount', '—')} 元"
        )
        table = Table(title="办理过程")
        for column in ("环节", "轮次", "部门", "状态", "决定", "经办人", "意见", "时间"):
            table.add_column(column)
        for row in status["work_items"]:
            decision = row["decision"] or {}
            table.add_row(
                label(row["stage"], "stages"),
                str(row["round"]),
                row["department"],
                label(row["state"], "work_item_states"),
                label(decision["outcome"], "outcomes") if decision.get("outcome") else "",
                escape(decision.get("officer", "")),
                escape(decision.get("comment", "")),
                decision.get("at", "")[:19],
            )
        console.print(table)
        for entry in status["history"]:
            actor = label(entry["actor"], "actors")
            console.print(f"  {entry['at'][:19]} {escape(actor)} {entry['action']}")
        for notice in status["notices"]:
            kind = NOTICE_KINDS[notice["kind"]].name if notice["kind"] in NOTICE_KINDS else "通知"
            console.print(f"  通知 {notice['doc_number']} {kind} → {notice['path']}")
        if status["follow_up"]:
            due = status["follow_up"]["due_on"] or "即时"
            console.print(
                f"  后续办理:{escape(status['follow_up']['reason'])}(排队中,办理日期{due})"
            )
        for link in links:
            console.print(f"  后台流程 {escape(link.name)} [{link.state}] {link.url}")

    @app.command("resubmit")
    def resubmit_command(
        number: Annotated[str, typer.Argument(help="The application returned for correction.")],
        file: Annotated[Path, typer.Argument(help="The corrected application JSON.")],
        files: Annotated[
            Path | None,
            typer.Option("--files", help="Folder of its documents (default: the JSON's)."),
        ] = None,
        actor: Annotated[str, typer.Option(help="Who resubmits.")] = "applicant",
        today: Today = None,
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
            fail_with_problems(error.problems, as_json=False, source=str(file))
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
            _refuse(error)
            return
        except InvalidApplications as error:  # its items are another live application's
            fail_with_problems(error.problems, as_json=False, source=str(file))
            return
        console.print(f"已补正:{len(changes)}处变化")
        for change in changes:
            console.print(escape(f"  {change['path']}: {change['before']} → {change['after']}"))
        print_hand_off(hand_off_applications([number], today=when))

    @app.command("withdraw")
    def withdraw_command(
        number: Annotated[str, typer.Argument()],
        actor: Annotated[str, typer.Option(help="Who withdraws.")] = "applicant",
    ) -> None:
        """Withdraw an application (any time before payment)."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                withdraw(session, ctx, number=number, actor=actor)
        except WorkflowError as error:
            _refuse(error)
        console.print(f"{number} 已撤回")
        print_hand_off(hand_off_applications([number]))

    @app.command("object")
    def object_command(
        number: Annotated[str, typer.Argument()],
        name: Annotated[str, typer.Option("--name", help="The objector's real name or unit.")],
        text: Annotated[str, typer.Option("--text", help="The written objection.")],
        today: Today = None,
    ) -> None:
        """A written, real-name objection during 公示: reopens that application only."""
        ctx = context_or_exit()
        try:
            with session_scope(ctx.settings) as session:
                report = object_to(
                    session, ctx, number=number, name=name, text=text, today=day(today)
                )
        except WorkflowError as error:
            _refuse(error)
            return
        print_reports([vars(report)])
        print_hand_off(hand_off_applications([number], today=day(today)))
