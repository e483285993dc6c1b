"""Dates as official documents write them (GB/T 9704-2012 成文日期): 2024年2月2日."""

from __future__ import annotations

import re
from datetime import date


def chinese_date(d: date) -> str:
    """2024-02-02 → "2024年2月2日": Arabic numerals, full year, no zero padding."""
    return f"{d.year}年{d.month}月{d.day}日"


# An ISO date standing alone: not part of a longer code such as IPMS-2024-306 or a number.
_ISO_DATE = re.compile(r"(?<![0-9A-Za-z-])(\d{4})-(\d{2})-(\d{2})(?![0-9A-Za-z-])")


def chinese_dates_in(text: str) -> str:
    """Every ISO date in a free text (an assessment's line, a reason) written as the notice
    writes dates: "引进日2024-03-31" → "引进日2024年3月31日". Not a calendar date: unchanged."""

    def written(match: re.Match[str]) -> str:
        try:
            return chinese_date(date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(written, text)
