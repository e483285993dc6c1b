"""Working-day distances for deadlines, memoised: many rows share a due date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ipaward.workdays import WorkingCalendar


class DeadlineCounter:
    """`working_days_between` of one calendar, cached per (start, end) pair."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self._calendar = calendar
        self.between = lru_cache(maxsize=8192)(self._between)

    def _between(self, start: dt.date, end: dt.date) -> int:
        return self._calendar.working_days_between(start, end)

    def overdue(self, due_on: dt.date | None, today: dt.date) -> int:
        """Official working days past the due date (0 when not overdue)."""
        if due_on is None or today <= due_on:
            return 0
        return int(self.between(due_on, today))

    def remaining(self, due_on: dt.date | None, today: dt.date) -> int | None:
        """Official working days left until the due date, None when none is set."""
        if due_on is None:
            return None
        return int(self.between(today, due_on))
