"""When the scheduled runs fire (config/schedules.toml), and what that means for a date.

The deployments are built from this file (flows/deployments.py); the domain reads it too, so
an application waiting for its year's list carries a follow-up request due on the day the
list is settled: if that run is ever missed, the sweeper still settles it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cronsim import CronSim

from ipaward.config.config_errors import ConfigError


@dataclass(frozen=True, kw_only=True)
class ScheduleConfig:
    timezone: str
    work_pool: str
    crons: dict[str, str]

    def first_run_after(self, key: str, instant: dt.datetime) -> dt.datetime:
        """The first time the `key` schedule fires after `instant`, in the schedule's zone."""
        zone = ZoneInfo(self.timezone)
        return next(CronSim(self.crons[key], instant.astimezone(zone)))

    def settlement_day(self, year: int) -> dt.date:
        """The day the yearly lists of `year` are settled (the first run in the next year)."""
        start = dt.datetime(year + 1, 1, 1, tzinfo=ZoneInfo(self.timezone))
        return self.first_run_after("annual_settlement", start - dt.timedelta(seconds=1)).date()


def load_schedules(config_dir: Path) -> ScheduleConfig:
    path = config_dir / "schedules.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        crons = {key: str(value["cron"]) for key, value in raw.items() if isinstance(value, dict)}
        return ScheduleConfig(
            timezone=str(raw["timezone"]), work_pool=str(raw["work_pool"]), crons=crons
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
