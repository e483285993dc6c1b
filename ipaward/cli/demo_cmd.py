"""`ipaward demo`: the README's main job, on a fresh embedded home."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipaward.cli import numbers
from ipaward.cli import table_labels as labels
from ipaward.cli.output import JsonFlag, console, errors, print_json
from ipaward.cli.progress import progress_bar


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        home: Annotated[
            Path, typer.Option(help="A fresh home (wiped first).", metavar="文件夹")
        ] = Path("var/demo"),
        seed: Annotated[
            int, typer.Option(help="Cohort seed.", parser=numbers.SEED, metavar="种子")
        ] = 2024,
        as_json: JsonFlag = False,
    ) -> None:
        """Generate a cohort, submit it, play the departments, run all to a final state."""
        home = home.resolve()
        from ipaward.demo.runner import demo_prefect_environment, run_demo

        demo_prefect_environment(home)  # before Prefect loads
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        say = errors.print if as_json else console.print  # stdout stays JSON only
        with (
            temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
            progress_bar("办结申请", quiet=as_json) as progress,
        ):
            result = run_demo(home=home, seed=seed, say=say, progress=progress)
        if as_json:
            print_json(as_dict(result))
            return
        show(result)
        verified()


def verified() -> None:
    """The demo's records checked as `ipaward verify` checks them (run_demo set the home):
    a broken one fails the demo."""
    from ipaward.settings import load_settings
    from ipaward.verify import verify_database

    report = verify_database(load_settings().database_url)
    if report.clean:
        head = report.head.text() if report.head else "审计链为空"
        typer.echo(f"记录核验(ipaward verify)通过:{head}")
        return
    typer.echo(f"记录核验未通过:{report.problems[0].message}", err=True)
    raise typer.Exit(code=1)


def as_dict(result: object) -> dict[str, Any]:
    """The demo's outcome as `--json` prints it: per measure, per place, events, totals."""
    from ipaward.demo.runner import DemoResult

    assert isinstance(result, DemoResult)
    summary = result.summary
    return {
        "measures": {code: vars(line) for code, line in summary.measures.items()},
        "jurisdictions": {
            name: {"city": city, "county": county}
            for name, (city, county) in summary.jurisdictions.items()
        },
        "rejections": [{"number": n, "reason": r} for n, r in summary.rejections],
        "notices": dict(summary.notices),
        "notice_folder": str(summary.notice_folder) if summary.notice_folder else None,
        "mailbox_files": summary.mailbox_files,
        "mailbox_folder": str(summary.mailbox_folder) if summary.mailbox_folder else None,
        "events": list(result.events),
        "days": result.days,
        "end": result.end.isoformat(),
        "flow_runs": result.flow_runs,
        "seconds": round(result.seconds, 1),
    }


def show(result: object) -> None:
    from ipaward.demo.runner import DemoResult

    assert isinstance(result, DemoResult)
    summary = result.summary
    table = Table(title="各措施办理结果")
    for column in ("措施", "申请", "已拨付", "不予奖励", "已撤回", "未办结", "拨付金额(元)"):
        table.add_column(column, justify="left" if column == "措施" else "right")
    total = 0
    for code, line in summary.measures.items():
        total += line.amount
        table.add_row(
            labels.measure(code),
            str(line.applications),
            str(line.paid),
            str(line.rejected),
            str(line.withdrawn),
            str(line.open),
            f"{line.amount:,}",
        )
    table.add_row(
        "合计",
        str(sum(m.applications for m in summary.measures.values())),
        str(sum(m.paid for m in summary.measures.values())),
        "",
        "",
        "",
        f"{total:,}",
    )
    console.print(table)
    places = Table(title="各县(区)/开发区拨付金额(按现行财政体制)")
    for column in ("地区", "市级财政(元)", "县区财政(元)"):
        places.add_column(column, justify="right")
    for name, (city, county) in summary.jurisdictions.items():
        places.add_row(name, f"{city:,}", f"{county:,}")
    console.print(places)
    console.print("[bold]办理中的人工环节与特殊情形[/bold]")
    for event in result.events:
        console.print(f"  · {event}", soft_wrap=True)
    console.print("[bold]不予奖励及理由[/bold]")
    for number, reason in summary.rejections:
        console.print(f"  · {number}:{reason[:60]}", soft_wrap=True)
    kinds = "、".join(
        f"{labels.notice_kind(kind)} {count}" for kind, count in sorted(summary.notices.items())
    )
    console.print(
        f"通知文书 {sum(summary.notices.values())} 份({kinds}),存于 {summary.notice_folder}"
    )
    console.print(f"送达邮箱文件 {summary.mailbox_files} 份,存于 {summary.mailbox_folder}")
    console.print(
        f"模拟 {result.days} 个工作日(至 {result.end}),Prefect 批量推进流程 {result.flow_runs} 次,"
        f"用时 {result.seconds:.1f} 秒"
    )
