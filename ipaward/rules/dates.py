"""Date arithmetic the clauses need (两年内, 当年度)."""

from __future__ import annotations

import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February moves to 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def in_year(day: dt.date, year: int) -> bool:
    return day.year == year
