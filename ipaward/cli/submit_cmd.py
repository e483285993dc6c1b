"""`ipaward submit FILE…`: validate every file first, then store all of it in one transaction,
then run the intake checks (the advance flow) on what was stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipaward import clock
from ipaward.cli import table_labels as labels
from ipaward.cli.output import JsonFlag, console, fail_with_problems, print_json
from ipaward.dispatch import hand_off
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import ValidApplication, validate_file
from ipaward.services.database import ensure_schema, session_scope
from ipaward.services.files import check_and_store
from ipaward.services.intake import submit
from ipaward.settings import load_settings
from ipaward.workflow.context import load_procedure

FilesOption = Annotated[
    Path | None,
    typer.Option(
        "--files", help="Folder of the documents (default: each JSON's own).", metavar="文件夹"
    ),
]


def register(app: typer.Typer) -> None:
    from ipaward.cli.main import policy_or_exit

    @app.command("submit")
    def submit_command(
        paths: Annotated[
            list[Path], typer.Argument(help="Application JSON files.", metavar="文件...")
        ],
        as_json: JsonFlag = False,
        actor: Annotated[
            str, typer.Option(help="Who submits (audit log).", metavar="姓名")
        ] = "cli",
        as_of: Annotated[
            str | None, typer.Option(help="Filing date (default today).", metavar="日期")
        ] = None,
        files: FilesOption = None,
        no_advance: Annotated[bool, typer.Option("--no-advance", help="Store only.")] = False,
    ) -> None:
        """Validate and store applications; print their numbers. Any invalid file stores nothing."""
        policy = policy_or_exit()
        today = dt.date.fromisoformat(as_of) if as_of else clock.today()
        settings = load_settings()
        procedure = load_procedure(settings.config_dir)
        applications: list[ValidApplication] = []
        folders: list[Path] = []
        for path in paths:
            try:
                found = validate_file(path, policy, as_of=today, limits=procedure.input_limits)
            except InvalidApplications as error:
                fail_with_problems(error.problems, as_json=as_json, source=str(path))
                return
            applications += found
            folders += [files or path.parent] * len(found)
        checks = [
            check_and_store(
                folder,
                application,
                files_root=settings.home / "files",
                max_bytes=procedure.max_document_bytes,
            )
            for folder, application in zip(folders, applications, strict=True)
        ]
        ensure_schema(settings)
        try:
            with session_scope(settings) as session:
                stored = submit(
                    session,
                    policy=policy,
                    applications=applications,
                    as_of=today,
                    actor=actor,
                    checks=checks,
                )
        except InvalidApplications as error:  # a second live application: nothing stored
            fail_with_problems(error.problems, as_json=as_json, source=" ".join(map(str, paths)))
            return
        rows: list[dict[str, Any]] = [
            {
                "number": s.number,
                "measure": s.assessment.measure,
                "eligible": s.assessment.eligible,
                "amount": s.assessment.amount,
            }
            for s in stored
        ]
        handed = None if no_advance else hand_off([s.follow_up_id for s in stored], today=today)
        states = {r["number"]: r.get("state", "") for r in (handed.reports if handed else [])}
        for row in rows:
            row["state"] = states.get(row["number"], "submitted")
        if as_json:
            print_json(rows)
            return
        table = Table(title=f"已提交 {len(rows)} 份申请")
        for column in ("申请编号", "措施", "初核", "测算金额(元)", "状态"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                str(row["number"]),
                labels.measure(row["measure"]),
                "符合" if row["eligible"] else "不符合",
                str(row["amount"]),
                labels.state(row["state"]),
            )
        console.print(table)
        if handed is not None and handed.state != "done":
            console.print(handed.message)
