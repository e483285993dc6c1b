"""m18-report: the leading group's yearly assessment (措施十八), as a Prefect artifact and a file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from flows.naming import last_year, run_name
from ipaward import clock
from ipaward.reports.m18 import m18_report, render_m18
from tasks.runtime import context, transaction


@task(name="compile m18 report")
def compile_report(year: int, today: dt.date) -> dict[str, Any]:
    """Figures from the database, rendered from templates/reports/m18.md.j2, kept under home."""
    ctx = context()
    with transaction() as session:
        markdown = render_m18(m18_report(session, ctx, year=year, today=today))
    path = ctx.settings.home / "reports" / f"m18-{year}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown, encoding="utf-8")
    return {"year": year, "path": str(path), "markdown": markdown}


@flow(name="m18-report", flow_run_name=run_name("m18 report {year}", year=last_year))
def m18_yearly_report(year: int | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The previous year's report unless a year is given."""
    day = today or clock.today()
    result = compile_report(year if year is not None else day.year - 1, day)
    create_markdown_artifact(
        key="m18-report",
        markdown=result["markdown"],
        description=f"{result['year']}年度措施实施情况考核评价报告",
    )
    return result
