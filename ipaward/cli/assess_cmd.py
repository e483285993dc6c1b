"""`ipaward assess FILE [--json]`: a dry run against the current ledger; stores nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel

from ipaward import clock
from ipaward.assessment import Assessment, assess
from ipaward.cli.output import console, fail_with_problems, print_json
from ipaward.config.policy import Policy
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import ValidApplication, load_json, validate_items
from ipaward.rules.facts import NO_PRIOR_AWARDS
from ipaward.services.database import has_ledger, session_scope
from ipaward.services.priors import prior_awards
from ipaward.settings import load_settings
from ipaward.workflow.context import load_procedure


def assess_all(
    policy: Policy, applications: list[ValidApplication], as_of: dt.date
) -> list[Assessment]:
    """Assess against the ledger when one exists; on a fresh home nothing was paid yet."""
    settings = load_settings()
    if not has_ledger(settings):
        return [assess(a, policy=policy, prior=NO_PRIOR_AWARDS) for a in applications]
    with session_scope(settings) as session:
        results = [
            assess(a, policy=policy, prior=prior_awards(session, a, as_of=as_of))
            for a in applications
        ]
        session.rollback()  # a dry run: nothing of it may persist
        return results


def print_assessment(source: str, assessment: Assessment, applicant: str) -> None:
    verdict = "[green]符合条件[/green]" if assessment.eligible else "[red]不符合条件[/red]"
    body = [f"{verdict}  城市应付金额: [bold]{assessment.amount}[/bold] 元"]
    if assessment.amount:
        body.append(
            f"  市级财政 {assessment.city_amount} 元;县(区)财政 {assessment.jurisdiction_amount} 元"
        )
    body += [f"  · {line}" for line in assessment.explanation]
    body += [
        f"  [yellow]! {f.path}[/yellow] {f.message} [dim]({f.code})[/dim]"
        for f in assessment.findings
    ]
    console.print(
        Panel("\n".join(body), title=f"{source} {assessment.measure} {applicant}", expand=True)
    )


def register(app: typer.Typer) -> None:
    from ipaward.cli.main import policy_or_exit

    @app.command("assess")
    def assess_command(
        files: Annotated[
            list[Path],
            typer.Argument(help="Application JSON files (object or array).", metavar="文件..."),
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the APPLICATION_FORMAT.md JSON.")
        ] = False,
        as_of: Annotated[
            str | None, typer.Option(help="Judge as of this date (default today).", metavar="日期")
        ] = None,
    ) -> None:
        """Validate and assess applications without storing anything."""
        policy = policy_or_exit()
        today = dt.date.fromisoformat(as_of) if as_of else clock.today()
        limits = load_procedure(load_settings().config_dir).input_limits
        outputs: list[object] = []
        for path in files:
            try:
                items, is_array = load_json(path, limits)
                applications = validate_items(items, policy, as_of=today, array=is_array)
            except InvalidApplications as error:
                fail_with_problems(error.problems, as_json=as_json, source=str(path))
                return
            results = assess_all(policy, applications, today)
            if as_json:
                public = [r.public() for r in results]
                outputs.append(public if is_array else public[0])
            else:
                for application, result in zip(applications, results, strict=True):
                    print_assessment(
                        f"{path.name}{application.path.removeprefix('$')}",
                        result,
                        application.envelope.applicant.name,
                    )
        if as_json:
            print_json(outputs[0] if len(outputs) == 1 else outputs)
