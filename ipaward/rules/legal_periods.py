"""Date arithmetic the clauses need (两年内), as 民法典 counts periods."""

from __future__ import annotations

import calendar
import datetime as dt


def period_end(start: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` years that starts on `start`.

    民法典 第二百零一条: the starting day is not counted, the period runs from the next day;
    第二百零二条: it ends on the corresponding day of the last year (the anniversary itself),
    or on the last day of that month where there is no corresponding day (29 February)."""
    year = start.year + years
    last = calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last))
