"""What a chart hands the page, and the wording its figures share: Chinese names from
config, yuan as officers read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ipaward.config.policy import Policy
from ipaward.notices.money import amount_in_figures

DARK, LIGHT, WHITE = "#1d3f78", "#b6cbe9", "#ffffff"


@dataclass(frozen=True, kw_only=True)
class Chart:
    """A chart as the page shows it: the figure's id, title, a sentence saying what it
    shows, the SVG, and the same numbers as a table."""

    key: str
    title: str
    summary: str
    svg: Markup
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: frozenset[int]  # columns holding numbers (right-aligned)


class Labels:
    """Chinese names of measures and departments, from config (never their codes)."""

    def __init__(self, policy: Policy, today: dt.date) -> None:
        self._policy, self._today = policy, today

    def measure(self, code: str | None) -> str:
        for edition in (self._policy.current(self._today), *self._policy.editions):
            if code is not None and code in edition.measures:
                found = edition.measures[code]
                return f"{found.cites} {found.title}"
        return code or "—"

    def department(self, code: str) -> str:
        found = self._policy.directory.departments.get(code)
        return found.short if found else code


def yuan(value: int | None) -> str:
    return "—" if value is None else amount_in_figures(value)


def wan(value: int) -> str:
    """Yuan as 万 (ten thousands), short enough for a chart; tables keep the exact yuan."""
    if value % 10_000 == 0:
        return f"{value // 10_000:,}万" if value else "0"
    return f"{value / 10_000:,.2f}".rstrip("0").rstrip(".") + "万"


def percent(value: int, limit: int) -> str:
    return f"{value * 100 / limit:.0f}%" if limit else "—"


def axis_end(peak: int) -> float:
    """An even axis end for counts: 2, 4, 10, 20, 40, 100 …"""
    end = 2
    while end < peak:
        end = end * 5 // 2 if str(end).startswith("4") else end * 2
    return float(end)


def count_ticks(end: float) -> list[tuple[float, str]]:
    return [(0.0, "0"), (end / 2, f"{end / 2:g}"), (end, f"{end:g}")]
