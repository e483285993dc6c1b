"""Run the demo: submit a cohort, let officers and applicants act day by day, advance every
day in ONE batch flow run (chunked tasks), until every application reaches a final state."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application
from ipaward.demo.actors import Script, applicants_act, cycles_due, officers_act
from ipaward.demo.cohort import build_cohort
from ipaward.demo.handover import write_demo_application
from ipaward.demo.summary import Summary, summarise
from ipaward.dispatch import runner
from ipaward.exchange.validate import validate_file
from ipaward.services.database import ensure_schema, session_scope
from ipaward.services.files import check_and_store
from ipaward.services.intake import submit
from ipaward.settings import apply_prefect_environment, load_settings
from ipaward.workflow.context import load_context
from ipaward.workflow.states import OPEN_STATES

MAX_DAYS = 60
START = dt.date(2025, 3, 3)
CYCLE_YEAR = 2024  # the annual measures' applications are for 2024
LIST_EVENTS = ("名单生成", "例外事项", "不予奖励", "公示至", "拨付完成", "预算")


@dataclass
class DemoResult:
    summary: Summary
    events: list[str]
    days: int
    flow_runs: int
    seconds: float
    end: dt.date


def demo_prefect_environment(home: Path) -> None:
    """The project's Prefect environment, set before Prefect loads. Prefect's home sits beside
    the demo's home, not in it: the demo wipes its home when it starts."""
    os.environ.setdefault("PREFECT_HOME", str(home.parent / "prefect"))
    apply_prefect_environment(load_settings({**os.environ, "IPAWARD_HOME": str(home)}))


def run_demo(
    *, home: Path, seed: int = 2024, start: dt.date = START, say: Callable[[str], None] = print
) -> DemoResult:
    began = time.perf_counter()
    demo_prefect_environment(home)
    if home.exists():
        shutil.rmtree(home)
    os.environ["IPAWARD_HOME"] = str(home)
    os.environ.pop("IPAWARD_DATABASE_URL", None)
    settings = load_settings()
    ensure_schema(settings)
    ctx = load_context(settings)
    cohort = build_cohort(ctx.policy, seed=seed)
    input_dir = home / "demo-input"
    applications, checks = [], []
    for demo in cohort:
        path = write_demo_application(
            input_dir / demo.label, demo.data, label=demo.label, fault=demo.fault
        )
        [valid] = validate_file(path, ctx.policy, as_of=start)
        applications.append(valid)
        checks.append(
            check_and_store(
                path.parent,
                valid,
                files_root=ctx.files_root,
                max_bytes=ctx.procedure.max_document_bytes,
            )
        )
    with session_scope(settings) as session:
        stored = submit(
            session,
            policy=ctx.policy,
            applications=applications,
            as_of=start,
            actor="申报系统",
            checks=checks,
        )
    numbers = {demo.label: item.number for demo, item in zip(cohort, stored, strict=True)}
    say(
        f"已提交 {len(stored)} 份申请(覆盖 {len({a.data['applicant']['jurisdiction'] for a in cohort})} 个县区/开发区)"
    )
    script = Script(cohort={d.label: d for d in cohort}, numbers=numbers, input_dir=input_dir)

    prefect_side = runner()  # Prefect is imported only when the demo runs
    today, flow_runs, days = start, 0, 0
    for days in range(1, MAX_DAYS + 1):
        with session_scope(settings) as session:
            open_numbers = [n for n in numbers.values() if _is_open(session, n)]
            settle = cycles_due(session, script, today=today)
        if not open_numbers:
            break
        prefect_side.advance(open_numbers, today=today, label=f"day {days}")
        flow_runs += 1
        if settle:  # the 2024 lists: opened once every annual filing is accepted or refused
            for report in prefect_side.settle_year(CYCLE_YEAR, today=today):
                script.events += [
                    f"{report['measure']}年度名单:{step}"
                    for step in report["steps"]
                    if any(word in step for word in LIST_EVENTS)
                ]
            flow_runs += 1
        with session_scope(settings) as session:
            applicants_act(session, ctx, script, today=today)
        with session_scope(settings) as session:
            officers_act(session, ctx, script, today=today)
        today = ctx.calendar.add_working_days(today, 1).day
    with session_scope(settings) as session:
        summary = summarise(session, ctx)
    return DemoResult(
        summary=summary,
        events=script.events,
        days=days,
        flow_runs=flow_runs,
        seconds=time.perf_counter() - began,
        end=today,
    )


def _is_open(session: Session, number: str) -> bool:
    state = session.scalar(select(Application.state).where(Application.number == number))
    return state in OPEN_STATES
