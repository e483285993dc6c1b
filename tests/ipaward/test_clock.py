"""One clock: every derived date is Zhangzhou's, whatever the host's zone or clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from ipaward import clock
from ipaward.web.web_settings import WebConfig

UTC = dt.UTC


def at(monkeypatch: pytest.MonkeyPatch, instant: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: instant)


@pytest.mark.parametrize(
    ("instant", "today"),
    [
        (dt.datetime(2026, 11, 29, 15, 59, tzinfo=UTC), dt.date(2026, 11, 29)),  # 23:59 Beijing
        (dt.datetime(2026, 11, 29, 16, 0, tzinfo=UTC), dt.date(2026, 11, 30)),  # 00:00 Beijing
        (dt.datetime(2026, 11, 29, 23, 30, tzinfo=UTC), dt.date(2026, 11, 30)),  # 07:30 Beijing
        (dt.datetime(2026, 12, 31, 17, 0, tzinfo=UTC), dt.date(2027, 1, 1)),  # New Year
    ],
)
def test_today_is_zhangzhous_date_across_midnight_utc(
    monkeypatch: pytest.MonkeyPatch, instant: dt.datetime, today: dt.date
) -> None:
    monkeypatch.delenv("IPAWARD_TIMEZONE", raising=False)
    at(monkeypatch, instant)
    assert clock.today() == today
    assert clock.local_now().utcoffset() == dt.timedelta(hours=8)
    assert WebConfig(secret=b"x").today() == today  # the web's "today" is the same clock


def test_the_zone_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, dt.datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    monkeypatch.setenv("IPAWARD_TIMEZONE", "UTC")
    assert clock.today() == dt.date(2026, 12, 31)


@pytest.mark.skipif(
    shutil.which("faketime") is None,
    reason="faketime not installed (Debian: apt-get install faketime)",
)
def test_a_host_in_utc_at_17_00_on_new_years_eve_is_already_in_the_new_year() -> None:
    """The host's own clock, faked: TZ=UTC, 2026-12-31 17:00 (01:00 on 1 January in Zhangzhou)."""
    env = {**os.environ, "TZ": "UTC"}
    env.pop("IPAWARD_TIMEZONE", None)
    out = subprocess.run(
        [
            "faketime",
            "2026-12-31 17:00:00",
            sys.executable,
            "-c",
            "import datetime; from ipaward import clock;"
            "print(datetime.date.today(), clock.today())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["2026-12-31", "2027-01-01"]
