"""Run names and tags an operator can read: what a scheduled run left to its default (today,
the year) is filled in, so the UI shows `reminders 2026-11-30`, never `reminders None`; tags
are the flow run's, set at its creation, and stop there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ipaward import clock


def run_name(template: str, **defaults: Callable[[dt.date], object]) -> Callable[[], str]:
    """A `flow_run_name` callable: `template` formatted with the run's parameters, `today`
    (Zhangzhou's, when not given) and the `defaults` computed from it."""

    def name() -> str:
        from prefect.runtime import flow_run

        params: dict[str, Any] = dict(flow_run.parameters or {})
        day = params.get("today") or clock.today()
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        values = {**params, "today": day}
        for key, default in defaults.items():
            if values.get(key) is None:
                values[key] = default(day)
        return template.format(**values)

    return name


def last_year(day: dt.date) -> int:
    return day.year - 1


def this_year(day: dt.date) -> int:
    return day.year


@contextmanager
def untagged() -> Iterator[None]:
    """Inside a flow: the run was created with its tags (`app:`, `measure:`, `cycle:`); its
    task runs carry none, since each tagged task run asks the API for tag concurrency slots
    (about 0.15 s each, measured on the annual cycle)."""
    from prefect.context import TagsContext

    with TagsContext(current_tags=set()):
        yield
