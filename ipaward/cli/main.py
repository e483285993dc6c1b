"""Entry point: `ipaward init | measures | check | assess | submit | verify` and the rest."""

from __future__ import annotations

import datetime as dt
from importlib import metadata
from typing import Annotated

import typer
from rich.table import Table

from ipaward import clock
from ipaward.cli.faults import ReportFaults
from ipaward.cli.output import JsonFlag, console, fail_config, print_json
from ipaward.config import ConfigError, Policy, load_policy
from ipaward.config.edition import ALL_JURISDICTIONS, OWN_JURISDICTION, Edition, Measure
from ipaward.settings import load_settings

app = typer.Typer(
    cls=ReportFaults,  # a read-only home, a full disk, no database: one line, exit 3
    help="ipaward — 《漳州市促进知识产权高质量发展若干措施》奖补审核系统",
    no_args_is_help=True,
    add_completion=False,
)

KIND_NAMES = {
    "award": "奖补",
    "annual": "年度奖补",
    "claim": "风险补偿",
    "budget": "市级经费",
    "programme": "工作任务",
}


def show_version(wanted: bool) -> None:
    """`ipaward --version`: the installed package's version, so a report names what ran."""
    if wanted:
        typer.echo(f"ipaward {metadata.version('ipaward')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Options of `ipaward` itself (only `--version`); every command does its own work."""


def policy_or_exit() -> Policy:
    try:
        return load_policy(load_settings().config_dir)
    except ConfigError as error:
        fail_config(error)
        raise  # unreachable: fail_config exits


def responsible_text(measure: Measure, edition_policy: Policy) -> str:
    names = []
    directory = edition_policy.directory
    for party in measure.responsible:
        if party.dept == OWN_JURISDICTION:
            name = "申请人所在县（区）政府/开发区管委会"
        elif party.dept == ALL_JURISDICTIONS:
            name = "各县（区）政府、开发区管委会"
        else:
            name = directory.department(party.dept).short
        names.append(name + ("（抄送）" if party.part == "copied" else ""))
    return "、".join(names)


@app.command()
def init(as_json: JsonFlag = False) -> None:
    """Create or upgrade the database schema (embedded SQLite under IPAWARD_HOME by default)."""
    from ipaward.cli.db_cmd import shown_url
    from ipaward.services.database import ensure_schema

    settings = load_settings()
    ensure_schema(settings)
    if as_json:
        print_json({"ready": True, "database_url": shown_url(settings.database_url)})
        return
    console.print(f"数据库已就绪: {shown_url(settings.database_url)}")


@app.command()
def measures(
    as_json: JsonFlag = False,
    on: Annotated[
        str | None,
        typer.Option(help="Show the edition in force on this date (YYYY-MM-DD).", metavar="日期"),
    ] = None,
) -> None:
    """The 18 measures: lead unit, responsible units and the rule in short."""
    policy = policy_or_exit()
    edition: Edition = policy.current(dt.date.fromisoformat(on) if on else clock.today())
    directory = policy.directory
    rows = [
        {
            "code": m.code,
            "clause": m.clause,
            "title": m.title,
            "kind": m.kind,
            "lead": directory.department(m.lead).short,
            "responsible": responsible_text(m, policy),
            "summary": m.summary,
        }
        for m in edition.measures.values()
    ]
    if as_json:
        print_json({"edition": edition.code, "measures": rows})
        return
    span = f"{edition.valid_from}至{edition.valid_until}"
    table = Table(title=f"《{edition.title}》({span}) 共{len(rows)}项措施")
    for column in ("措施", "条款", "类别", "牵头单位", "责任单位", "规则摘要"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["code"],
            f"{row['clause']}{row['title']}",
            KIND_NAMES[row["kind"]],
            row["lead"],
            row["responsible"],
            row["summary"],
        )
    console.print(table)


from ipaward.cli import (  # noqa: E402  (commands register on `app`)
    applicant_cmd,
    assess_cmd,
    check_cmd,
    cycle_cmd,
    db_cmd,
    demo_cmd,
    serve_cmd,
    submit_cmd,
    user_cmd,
    verify_cmd,
    web_cmd,
    workflow_cmd,
)

assess_cmd.register(app)
check_cmd.register(app)
submit_cmd.register(app)
workflow_cmd.register(app)
applicant_cmd.register(app)
demo_cmd.register(app)
cycle_cmd.register(app)
db_cmd.register(app)
user_cmd.register(app)
web_cmd.register(app)
serve_cmd.register(app)
verify_cmd.register(app)
