"""Official working days against real State Council schedules, and calendar.toml mistakes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]
import pytest

from ipaward.config.config_errors import ConfigError
from ipaward.settings import PROJECT_ROOT
from ipaward.workdays import WorkdayAnswer, WorkingCalendar, load_calendar


@pytest.fixture
def calendar() -> WorkingCalendar:
    return load_calendar(PROJECT_ROOT / "config")


def write_config(tmp_path: Path, body: str) -> Path:
    (tmp_path / "calendar.toml").write_text(body, encoding="utf-8")
    return tmp_path


def load_error(tmp_path: Path, body: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_calendar(write_config(tmp_path, body))
    return caught.value


def test_the_shipped_config_loads_and_the_library_years_are_known(
    calendar: WorkingCalendar,
) -> None:
    assert set(range(2004, 2027)) <= calendar.known_years()
    assert calendar.is_known(date(2026, 12, 31))


def test_spring_festival_2024_swapped_sundays_were_working_days(calendar: WorkingCalendar) -> None:
    assert date(2024, 2, 4).weekday() == 6
    assert date(2024, 2, 18).weekday() == 6
    assert calendar.is_working_day(date(2024, 2, 4))
    assert calendar.is_working_day(date(2024, 2, 18))
    assert not calendar.is_working_day(date(2024, 2, 12))  # Monday inside the festival


def test_national_day_2024(calendar: WorkingCalendar) -> None:
    for day in range(1, 8):
        assert not calendar.is_working_day(date(2024, 10, day)), day
    assert date(2024, 10, 12).weekday() == 5
    assert calendar.is_working_day(date(2024, 10, 12))
    assert not calendar.is_working_day(date(2024, 10, 13))


def test_five_working_days_across_national_day_2024(calendar: WorkingCalendar) -> None:
    # Counted by hand from the 2024 notice: 9-29 (Sunday, swapped), 9-30, 10-8, 10-9, 10-10.
    start = date(2024, 9, 27)
    assert [chinese_calendar.is_workday(date(2024, 9, d)) for d in (28, 29, 30)] == [
        False,
        True,
        True,
    ]
    answer = calendar.add_working_days(start, 5)
    assert answer == WorkdayAnswer(day=date(2024, 10, 10), provisional=False)
    assert calendar.add_working_days(start, 6).day == date(2024, 10, 11)
    assert calendar.add_working_days(start, 7).day == date(2024, 10, 12)


def test_agrees_with_chinese_calendar_over_a_whole_year(calendar: WorkingCalendar) -> None:
    day = date(2025, 1, 1)
    while day.year == 2025:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)


def test_add_working_days_needs_at_least_one(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2024, 9, 27), 0)


def test_a_deadline_into_an_unknown_year_is_provisional(calendar: WorkingCalendar) -> None:
    assert not calendar.is_known(date(2027, 1, 4))
    answer = calendar.add_working_days(date(2026, 12, 30), 5)
    # 12-31 (Thu) in 2026, then 2027-01-01 (Fri), 01-04 … 01-06 on weekdays only.
    assert answer == WorkdayAnswer(day=date(2027, 1, 6), provisional=True)
    # The same deadline computed without leaving 2026 is certain.
    assert not calendar.add_working_days(date(2026, 12, 1), 5).provisional


def test_a_config_year_makes_2027_known(tmp_path: Path) -> None:
    # Illustrative test data for the mechanism, not the (unpublished here) 2027 schedule.
    config = write_config(
        tmp_path,
        "[years.2027]\nholidays = [2027-01-01]\nworking_days = [2027-01-02]\n",
    )
    calendar = load_calendar(config)
    assert 2027 in calendar.known_years()
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 2))
    assert not calendar.is_working_day(date(2027, 1, 3))
    answer = calendar.add_working_days(date(2026, 12, 30), 2)
    assert answer == WorkdayAnswer(day=date(2027, 1, 2), provisional=False)


def test_a_config_year_overrides_chinese_calendar(tmp_path: Path) -> None:
    # Pretend 2024's National Day was only 10-01: 10-02 is a working day again, 10-12 is not.
    calendar = load_calendar(write_config(tmp_path, "[years.2024]\nholidays = [2024-10-01]\n"))
    assert not calendar.is_working_day(date(2024, 10, 1))
    assert calendar.is_working_day(date(2024, 10, 2))
    assert not calendar.is_working_day(date(2024, 10, 12))
    assert not calendar.is_working_day(date(2024, 9, 29))
    # Other years still come from chinese_calendar.
    assert calendar.is_working_day(date(2025, 9, 28))


def test_working_days_between(calendar: WorkingCalendar) -> None:
    start = date(2024, 9, 27)
    assert calendar.working_days_between(start, date(2024, 10, 10)) == 5
    assert calendar.working_days_between(start, date(2024, 9, 28)) == 0
    assert calendar.working_days_between(start, date(2024, 9, 29)) == 1
    assert calendar.working_days_between(start, start) == 0
    assert calendar.working_days_between(date(2024, 10, 10), start) == 0


def test_span_known(calendar: WorkingCalendar) -> None:
    assert calendar.span_known(date(2024, 1, 1), date(2026, 12, 31))
    assert not calendar.span_known(date(2026, 12, 1), date(2027, 1, 5))


def test_an_empty_years_table_and_a_missing_file(tmp_path: Path) -> None:
    assert load_calendar(write_config(tmp_path, "[years]\n")).known_years() == set(
        range(2004, 2027)
    )
    (tmp_path / "calendar.toml").unlink()
    with pytest.raises(ConfigError) as caught:
        load_calendar(tmp_path)
    assert caught.value.key == "(file)"


def test_the_shipped_file_round_trips_through_a_copy(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / "config" / "calendar.toml", tmp_path / "calendar.toml")
    assert load_calendar(tmp_path).known_years() >= set(range(2004, 2027))


@pytest.mark.parametrize(
    ("body", "key", "reason"),
    [
        (
            '[years.2027]\nholidays = ["2027-02-30"]\n',
            "years.2027.holidays[0]",
            "is not a date",
        ),
        ("[years.2027]\nholidays = [20270101]\n", "years.2027.holidays[0]", "is not a date"),
        (
            "[years.2027]\nholidays = [2027-01-01, 2028-01-03]\n",
            "years.2027.holidays[1]",
            "2028-01-03 is in 2028, not in 2027",
        ),
        (
            "[years.2027]\nholidays = [2027-01-02]\n",
            "years.2027.holidays[0]",
            "is a Saturday: a weekend is a day off anyway",
        ),
        (
            "[years.2027]\nworking_days = [2027-01-04]\n",
            "years.2027.working_days[0]",
            "2027-01-04 is a Monday: only a weekend can be a swapped working day",
        ),
        (
            "[years.2027]\nholidays = [2027-01-01, 2027-01-01]\n",
            "years.2027.holidays[1]",
            "listed twice",
        ),
        ("[years.2027]\nholiday = [2027-01-01]\n", "years.2027.holiday", "unknown key"),
        ("[years.27]\nholidays = []\n", "years.27", "must be a year"),
        ("[years]\n2027 = 5\n", "years.2027", "a table is required"),
        ("[years.2027]\nholidays = 2027-01-01\n", "years.2027.holidays", "a list of dates"),
        ("years = []\n", "years", "a table of years"),
        ("[year.2027]\n", "year", "unknown top-level key"),
        ('[years.2027]\nsource = ""\n', "years.2027.source", "a non-empty text"),
    ],
)
def test_config_errors_name_key_and_reason(
    tmp_path: Path, body: str, key: str, reason: str
) -> None:
    error = load_error(tmp_path, body)
    assert error.key == key
    assert reason in error.reason
    assert error.file.endswith("calendar.toml")


def test_a_date_both_holiday_and_working_day_is_refused(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, "[years.2027]\nholidays = [2027-01-01]\nworking_days = [2027-01-01]\n"
    )
    assert error.key == "years.2027.holidays[0]"
    assert "both as a holiday and as a working day" in error.reason


def test_an_unparsable_toml_date_names_the_file(tmp_path: Path) -> None:
    error = load_error(tmp_path, "[years.2027]\nholidays = [2027-02-30]\n")
    assert error.key == "(file)"
