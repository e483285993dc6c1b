"""Chinese official working days (State Council holiday swaps, 调休) for statutory deadlines.

chinese_calendar knows 2004–2026; the policy runs to 2029 and each year's schedule is published
the November before, so later years come from config/calendar.toml. A date in a year that
neither knows is judged Monday–Friday and flagged provisional, so an operator sees the guess.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]

from ipaward.config.config_errors import ConfigError

CALENDAR_FILE = "calendar.toml"
_ONE_DAY = dt.timedelta(days=1)
_YEAR_KEYS = frozenset({"holidays", "working_days", "source"})
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class WorkdayAnswer:
    """A computed date, and whether any day behind it was judged by weekday only."""

    day: dt.date
    provisional: bool


@dataclass(frozen=True, kw_only=True)
class YearSchedule:
    """One year's published schedule: weekdays off, and weekends worked."""

    holidays: frozenset[dt.date]
    working_days: frozenset[dt.date]
    source: str | None = None


def _library_years() -> frozenset[int]:
    """The years chinese_calendar answers for (it raises NotImplementedError outside them)."""
    days: Mapping[dt.date, Any] = chinese_calendar.holidays
    return frozenset(range(min(days).year, max(days).year + 1))


class WorkingCalendar:
    """Official working days; config years replace chinese_calendar's answer for that year."""

    def __init__(self, *, years: Mapping[int, YearSchedule] | None = None) -> None:
        self._config: dict[int, YearSchedule] = dict(years or {})
        self._library = _library_years()

    def known_years(self) -> frozenset[int]:
        """Years whose holidays and swaps are known (library or config)."""
        return self._library | frozenset(self._config)

    def is_known(self, day: dt.date) -> bool:
        """Whether `day`'s year has a published schedule; otherwise answers are provisional."""
        return day.year in self._config or day.year in self._library

    def is_working_day(self, day: dt.date) -> bool:
        """Whether `day` is a working day; for unknown years Monday–Friday (check `is_known`)."""
        day = _as_date(day)
        schedule = self._config.get(day.year)
        if schedule is not None:
            if day in schedule.working_days:
                return True
            return day.weekday() < 5 and day not in schedule.holidays
        if day.year in self._library:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> WorkdayAnswer:
        """The date `days` working days after `start` (start itself not counted)."""
        if days < 1:
            raise ValueError(f"days must be at least 1, not {days}")
        current = _as_date(start)
        provisional = False
        remaining = days
        while remaining:
            current += _ONE_DAY
            provisional = provisional or not self.is_known(current)
            if self.is_working_day(current):
                remaining -= 1
        return WorkdayAnswer(day=current, provisional=provisional)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        current, end = _as_date(start), _as_date(end)
        count = 0
        while current < end:
            current += _ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def span_known(self, start: dt.date, end: dt.date) -> bool:
        """Whether every year from start to end is known, i.e. a count over them is not a guess."""
        low, high = sorted((_as_date(start).year, _as_date(end).year))
        known = self.known_years()
        return all(year in known for year in range(low, high + 1))


def _as_date(value: dt.date) -> dt.date:
    """A datetime counts as its calendar date; comparisons with date would otherwise fail."""
    return value.date() if isinstance(value, dt.datetime) else value


def _day_name(day: dt.date) -> str:
    """English weekday name independent of the process locale (strftime %A is not)."""
    return _WEEKDAYS[day.weekday()]


def load_calendar(config_dir: Path) -> WorkingCalendar:
    """Read config/calendar.toml; any mistake raises ConfigError naming the key and reason."""
    path = config_dir / CALENDAR_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    unknown = sorted(set(raw) - {"years"})
    if unknown:
        raise ConfigError(file=path, key=unknown[0], reason="unknown top-level key")
    table = raw.get("years", {})
    if not isinstance(table, dict):
        raise ConfigError(file=path, key="years", reason="a table of years is required")
    years = {_year_number(name, path): _year(name, entry, path) for name, entry in table.items()}
    return WorkingCalendar(years=years)


def _year_number(name: str, path: Path) -> int:
    if not (len(name) == 4 and name.isascii() and name.isdigit()):
        raise ConfigError(file=path, key=f"years.{name}", reason="the key must be a year (YYYY)")
    return int(name)


def _year(name: str, entry: object, path: Path) -> YearSchedule:
    key = f"years.{name}"
    if not isinstance(entry, dict):
        raise ConfigError(file=path, key=key, reason="a table is required")
    unknown = sorted(set(entry) - _YEAR_KEYS)
    if unknown:
        raise ConfigError(file=path, key=f"{key}.{unknown[0]}", reason="unknown key")
    source = entry.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise ConfigError(file=path, key=f"{key}.source", reason="a non-empty text is required")
    year = int(name)
    holidays = _dates(entry, "holidays", year, key=key, path=path)
    working = _dates(entry, "working_days", year, key=key, path=path)
    for index, day in enumerate(holidays):
        if day.weekday() >= 5:
            raise ConfigError(
                file=path,
                key=f"{key}.holidays[{index}]",
                reason=f"{day} is a {_day_name(day)}: a weekend is a day off anyway",
            )
        if day in working:
            raise ConfigError(
                file=path,
                key=f"{key}.holidays[{index}]",
                reason=f"{day} is listed both as a holiday and as a working day",
            )
    for index, day in enumerate(working):
        if day.weekday() < 5:
            raise ConfigError(
                file=path,
                key=f"{key}.working_days[{index}]",
                reason=f"{day} is a {_day_name(day)}: only a weekend can be a swapped working day",
            )
    return YearSchedule(
        holidays=frozenset(holidays), working_days=frozenset(working), source=source
    )


def _dates(
    entry: Mapping[str, object], field: str, year: int, *, key: str, path: Path
) -> list[dt.date]:
    """The list under `field`, each a TOML date in `year`, none twice."""
    value = entry.get(field, [])
    if not isinstance(value, list):
        raise ConfigError(file=path, key=f"{key}.{field}", reason="a list of dates is required")
    days: list[dt.date] = []
    for index, item in enumerate(value):
        item_key = f"{key}.{field}[{index}]"
        if not isinstance(item, dt.date) or isinstance(item, dt.datetime):
            raise ConfigError(
                file=path, key=item_key, reason=f"{item!r} is not a date (write YYYY-MM-DD)"
            )
        if item.year != year:
            raise ConfigError(
                file=path, key=item_key, reason=f"{item} is in {item.year}, not in {year}"
            )
        if item in days:
            raise ConfigError(file=path, key=item_key, reason=f"{item} is listed twice")
        days.append(item)
    return days
