"""`ipaward verify`: is every record still what the audit chain says? Exit 1 if not."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.markup import escape

from ipaward.cli.output import errors, print_json
from ipaward.services.database import ensure_schema
from ipaward.settings import load_settings

_HEAD = re.compile(r"^(\d{1,19}):([0-9a-f]{64})$")


def _published(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    match = _HEAD.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter("应为“审计记录编号:64位十六进制哈希”", param_hint="--head")
    return int(match[1]), match[2]


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        head: Annotated[
            str | None,
            typer.Option("--head", help="A chain head published earlier (ID:HASH) to check."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Recompute the audit chain; reconcile ledger, yearly caps, decisions and notice
        numbers with it; check that nothing is paid twice or above a cap and that every
        live application will move on. Names the first broken row and exits 1."""
        from ipaward.verify import verify_database

        expected = _published(head)
        settings = load_settings()
        ensure_schema(settings)
        report = verify_database(settings.database_url, expect_head=expected)
        if as_json:
            print_json(report.as_dict())
        elif report.clean:
            shown = report.head.text() if report.head else "审计链为空"
            typer.echo(f"核验通过:{shown}")  # not wrapped: the head is copied from here
            typer.echo("已核对:" + ",".join(f"{k} {v}" for k, v in report.checked.items()))
        else:
            first = report.problems[0]
            errors.print(f"[red]核验未通过[/red] 首个问题:{escape(first.message)}")
            for problem in report.problems[1:]:
                errors.print(f"  {escape(problem.message)}")
            if report.head:
                errors.print(escape(report.head.text()))
        if not report.clean:
            raise typer.Exit(code=1)
