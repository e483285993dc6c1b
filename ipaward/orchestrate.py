"""Run the automated steps after a command (or a web request) changed something.

Three ways, chosen by the environment:
- `IPAWARD_ADVANCE=inline`: the same domain steps without Prefect (a quick one-off command);
- default: a Prefect flow run in this process (ephemeral API unless PREFECT_API_URL names a
  server), so every advance is a flow run an operator can see;
- `IPAWARD_DISPATCH=deployment` with PREFECT_API_URL set (what `ipaward serve` gives the web
  app): `run_deployment(..., timeout=0)` queues a run of the served deployment and returns at
  once; the deployment's process runs it.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from ipaward.settings import apply_prefect_environment

ADVANCE_ONE = "advance-application/on-decision"
ADVANCE_MANY = "advance-batch/daily-open"


def dispatch_mode() -> str:
    """ "inline", "deployment" or "flow" (the default)."""
    if os.environ.get("IPAWARD_ADVANCE", "prefect") == "inline":
        return "inline"
    if os.environ.get("IPAWARD_DISPATCH") == "deployment" and os.environ.get("PREFECT_API_URL"):
        return "deployment"
    return "flow"


def advance(numbers: list[str], *, today: dt.date) -> list[dict[str, Any]]:
    if not numbers:
        return []
    mode = dispatch_mode()
    if mode == "inline":
        from tasks.advance import advance_number
        from tasks.notices import deliver_notices

        reports = [advance_number(number, today) for number in numbers]
        deliver_notices.fn([n for r in reports for n in r["notice_ids"]])
        return reports
    apply_prefect_environment()
    if mode == "deployment":
        if len(numbers) == 1:
            run = _queue(ADVANCE_ONE, {"number": numbers[0], "today": today.isoformat()})
        else:
            label = f"{len(numbers)} applications"
            params = {"numbers": numbers, "today": today.isoformat(), "label": label}
            run = _queue(ADVANCE_MANY, params)
        return [_queued(number, run) for number in numbers]
    if len(numbers) == 1:
        from flows.trigger import run_advance

        return [run_advance(numbers[0], today=today)]
    from flows.batch import advance_batch

    result: list[dict[str, Any]] = advance_batch(
        numbers, today, label=f"{len(numbers)} applications"
    )
    return result


def settle(measure: str, year: int, *, today: dt.date, open_new: bool = True) -> dict[str, Any]:
    """Run one yearly measure's cycle as far as it goes (`ipaward cycle`, a list decision)."""
    mode = dispatch_mode()
    if mode == "inline":
        from tasks.cycle import InlineRunner, run_cycle

        return run_cycle(InlineRunner(), measure=measure, year=year, today=today, open_new=open_new)
    apply_prefect_environment()
    if mode == "deployment":
        params = {
            "measure": measure,
            "year": year,
            "today": today.isoformat(),
            "open_new": open_new,
        }
        run = _queue(f"annual-cycle/settle-{measure.lower()}", params)
        return {**_queued(f"cycle:{measure}:{year}", run), "measure": measure, "year": year}
    from flows.cycle import annual_cycle

    result: dict[str, Any] = annual_cycle(measure, year, today, open_new=open_new)
    return result


def after_decision(
    *, work_item_id: int, number: str | None, today: dt.date
) -> list[dict[str, Any]]:
    """What a decision sets moving: its application, or the annual list it was about."""
    if number:
        return advance([number], today=today)
    from ipaward.cycles.lines import parse_cycle_ref
    from ipaward.db.models import WorkItem
    from tasks.runtime import transaction

    with transaction() as session:
        item = session.get(WorkItem, work_item_id)
        cycle = parse_cycle_ref(item.cycle_ref if item is not None else None)
    if cycle is None:
        return []  # a programme work item: the daily programme run moves it on
    return [settle(cycle[0], cycle[1], today=today, open_new=False)]


def _queue(deployment: str, parameters: dict[str, Any]) -> Any:
    from prefect.deployments import run_deployment

    return run_deployment(deployment, parameters=parameters, timeout=0)


def _queued(number: str, run: Any) -> dict[str, Any]:
    return {
        "number": number,
        "state": "queued",
        "stage": None,
        "waiting_on": [],
        "steps": [f"已提交流程运行 {run.name}({run.id}),由部署进程执行"],
        "notice_ids": [],
        "flow_run_id": str(run.id),
    }
