"""The deployments: prefect.yaml is what flows/deployments.py generates, `serve` builds the
same ones, and their cron schedules fire when Zhangzhou's clock (Asia/Shanghai) says."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import yaml
from prefect.server.schemas.schedules import CronSchedule

from flows.deployments import PREFECT_YAML, load_schedules, prefect_yaml, runner_deployments, specs

SHANGHAI = ZoneInfo("Asia/Shanghai")


def next_dates(cron: str, *, after: dt.datetime, n: int = 2) -> list[dt.datetime]:
    schedule = CronSchedule(cron=cron, timezone="Asia/Shanghai")
    dates = asyncio.run(schedule.get_dates(n=n, start=after))
    return [d.astimezone(SHANGHAI) for d in dates]


def test_prefect_yaml_is_the_generated_one() -> None:
    assert PREFECT_YAML.read_text(encoding="utf-8") == prefect_yaml(load_schedules()), (
        "run `.venv/bin/python -m flows.deployments --write-yaml`"
    )
    document = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    names = {(d["entrypoint"], d["name"]) for d in document["deployments"]}
    assert ("flows/cycle.py:annual_settlement", "yearly") in names  # every annual list, by config
    assert ("flows/reminders.py:daily_reminders", "daily") in names
    assert ("flows/m18_report.py:m18_yearly_report", "yearly") in names
    assert ("flows/programme.py:programme_year", "daily") in names
    assert ("flows/follow_up.py:sweep", "every-few-minutes") in names
    assert all(d["work_pool"] == {"name": "ipaward-process"} for d in document["deployments"])
    schedules = [s for d in document["deployments"] for s in d["schedules"]]
    assert schedules and all(s["timezone"] == "Asia/Shanghai" for s in schedules)
    limits = {(d["entrypoint"], d["name"]): d["concurrency_limit"] for d in document["deployments"]}
    assert limits[("flows/cycle.py:annual_settlement", "yearly")] == 1  # one settlement at once
    assert limits[("flows/follow_up.py:sweep", "every-few-minutes")] == 1
    assert limits[("flows/batch.py:advance_batch", "daily-open")] == 1


def test_the_yearly_settlement_fires_on_1_march_at_nine_in_zhangzhou() -> None:
    cron = load_schedules().crons["annual_settlement"]
    after = dt.datetime(2025, 3, 1, 0, 30, tzinfo=dt.UTC)  # 08:30 in Zhangzhou
    first, second = next_dates(cron, after=after)
    assert first == dt.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert first.astimezone(dt.UTC) == dt.datetime(2025, 3, 1, 1, 0, tzinfo=dt.UTC)
    assert second == dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)


def test_the_daily_runs_fire_every_day_at_their_local_hour() -> None:
    crons = load_schedules().crons
    after = dt.datetime(2025, 9, 27, 16, 0, tzinfo=dt.UTC)  # already Sunday 28 Sep in Zhangzhou
    assert next_dates(crons["reminders"], after=after) == [
        dt.datetime(2025, 9, 28, 9, 0, tzinfo=SHANGHAI),  # a swapped working day: it runs
        dt.datetime(2025, 9, 29, 9, 0, tzinfo=SHANGHAI),
    ]
    assert next_dates(crons["open_cycles"], after=after, n=1) == [
        dt.datetime(2025, 9, 28, 8, 30, tzinfo=SHANGHAI)
    ]
    [report] = next_dates(crons["m18_report"], after=after, n=1)
    assert report == dt.datetime(2026, 6, 30, 10, 0, tzinfo=SHANGHAI)


def test_serve_builds_the_same_deployments_with_the_same_schedules() -> None:
    config = load_schedules()
    served = runner_deployments(config)
    assert [(d.flow_name, d.name) for d in served] == [
        (spec.flow_name, spec.name) for spec in specs(config)
    ]
    assert [d.concurrency_limit for d in served] == [
        spec.concurrency_limit for spec in specs(config)
    ]
    settle = next(d for d in served if d.flow_name == "annual-settlement")
    assert settle.parameters == {}  # the year's edition names its annual measures
    assert settle.concurrency_limit == 1
    [schedule] = settle.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 9 1 3 *", "Asia/Shanghai")
    assert len({spec.full_name for spec in specs(config)}) == len(served)
