"""Dates as official documents write them (GB/T 9704-2012 成文日期): 2024年2月2日."""

from __future__ import annotations

from datetime import date


def chinese_date(d: date) -> str:
    """2024-02-02 → "2024年2月2日": Arabic numerals, full year, no zero padding."""
    return f"{d.year}年{d.month}月{d.day}日"
