"""Zhangzhou's months and years of stored UTC timestamps, counted in SQL on any database.

A payment posted at 17:00 UTC on 31 December is booked on 1 January in Zhangzhou: grouping by
the UTC year (SQL's extract) would put it in the wrong year. Each period's start is turned
into its UTC instant and the database compares against those, which SQLite and PostgreSQL
do alike, so the grouping stays in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, case, literal, null
from sqlalchemy.orm import InstrumentedAttribute

from ipaward import clock


def local_start(day: dt.date) -> dt.datetime:
    """The UTC instant at which `day` begins in Zhangzhou."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=clock.zone()).astimezone(dt.UTC)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (
        month.replace(year=month.year + 1, month=1)
        if month.month == 12
        else month.replace(month=month.month + 1)
    )


def months_back(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before `month`'s."""
    total = month.year * 12 + month.month - 1 - count
    return dt.date(total // 12, total % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from `first`'s to `last`'s, both included."""
    months, month = [], month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)
    return months


def period_index(
    column: InstrumentedAttribute[dt.datetime], starts: Sequence[dt.date], end: dt.date
) -> ColumnElement[int]:
    """The index into `starts` of the Zhangzhou period each timestamp falls in (periods run
    from one start to the next, the last one to `end`); NULL outside them all."""
    if not starts:
        raise ValueError("no periods")
    bounds = [*starts[1:], end]
    whens = [(column < local_start(bound), literal(i, Integer)) for i, bound in enumerate(bounds)]
    return case((column < local_start(starts[0]), null()), *whens, else_=null())
