"""`ipaward submit FILE…`: validate every file first, then store all of it in one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipaward.cli.output import console, fail_with_problems, print_json
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import ValidApplication, validate_file
from ipaward.services.database import ensure_schema, session_scope
from ipaward.services.intake import submit
from ipaward.settings import load_settings


def register(app: typer.Typer) -> None:
    from ipaward.cli.main import policy_or_exit

    @app.command("submit")
    def submit_command(
        files: Annotated[
            list[Path], typer.Argument(help="Application JSON files (object or array).")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
        actor: Annotated[
            str, typer.Option(help="Who submits (recorded in the audit log).")
        ] = "cli",
        as_of: Annotated[str | None, typer.Option(help="Filing date (default today).")] = None,
    ) -> None:
        """Validate and store applications; print their numbers. Any invalid file stores nothing."""
        policy = policy_or_exit()
        today = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        applications: list[ValidApplication] = []
        for path in files:
            try:
                applications += validate_file(path, policy, as_of=today)
            except InvalidApplications as error:
                fail_with_problems(error.problems, as_json=as_json, source=str(path))
        settings = load_settings()
        ensure_schema(settings)
        with session_scope(settings) as session:
            stored = submit(
                session, policy=policy, applications=applications, as_of=today, actor=actor
            )
            rows = [
                {
                    "number": s.number,
                    "measure": s.assessment.measure,
                    "eligible": s.assessment.eligible,
                    "amount": s.assessment.amount,
                }
                for s in stored
            ]
        if as_json:
            print_json(rows)
            return
        table = Table(title=f"已受理 {len(rows)} 份申请")
        for column in ("申请编号", "措施", "初核", "测算金额(元)"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                str(row["number"]),
                str(row["measure"]),
                "符合" if row["eligible"] else "不符合",
                str(row["amount"]),
            )
        console.print(table)
