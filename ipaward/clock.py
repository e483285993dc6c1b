"""One clock: every date the project derives is Zhangzhou's (Asia/Shanghai by default, the
IPAWARD_TIMEZONE setting), whatever the host's zone; stored timestamps are UTC.

Hosts often run in UTC, eight hours behind Zhangzhou: at 17:00 UTC on 31 December it is
already 1 January in Zhangzhou, and a notice issued then is numbered in the new year.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The office's zone (IPAWARD_TIMEZONE, default Asia/Shanghai)."""
    return _zone(os.environ.get("IPAWARD_TIMEZONE") or DEFAULT_ZONE)


def now() -> dt.datetime:
    """The current instant, timezone-aware in UTC (what the database stores)."""
    return dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """The current instant on the office's wall clock."""
    return now().astimezone(zone())


def today() -> dt.date:
    """Today in Zhangzhou: the date of deadlines, notice numbers, reward and programme years."""
    return local_now().date()


def local_date(instant: dt.datetime) -> dt.date:
    """The office's date of a stored (UTC) timestamp."""
    return instant.astimezone(zone()).date()
