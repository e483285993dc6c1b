"""The range of every number a person gives the system (README: interpretations we chose).

A number outside its range is refused before anything is read or written, with a Chinese
message naming the field and the range: beyond 64 bits SQLite raises OverflowError, a year
past 9999 cannot be a date, and a 补正 deadline of years strands the application whose
deadline the background advance then cannot compute. The 补正 deadline's range is a setting
(`config/workflow.toml`); the others are fixed by the storage and the exchange format.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # SQLite INTEGER and PostgreSQL bigint: every row id and version fits
IDS = (1, MAX_ID)
VERSIONS = (1, MAX_ID)
YEARS = (2000, 2100)  # as the exchange format's `year` (ipaward/exchange/application.py)
MAX_MONEY = 10**12  # yuan in an application file (一万亿元)
MAX_COUNT = 10**9  # a count in an application file
PAGES = (1, 999_999)  # the inbox pager; anything else opens the first page
CHUNK_SIZES = (1, 10_000)  # applications or lines per task of a batch or cycle run
PORTS = (1, 65_535)
SEEDS = (0, 2**32 - 1)

_WHOLE = re.compile(r"[+-]?[0-9]{1,40}")
_SHOWN = 24  # characters of a refused value quoted back


def within(value: object, bounds: tuple[int, int]) -> bool:
    """An int (not a bool) inside the bounds, both ends included."""
    low, high = bounds
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def whole_number(text: str) -> int | None:
    """ASCII digits with an optional sign, as typed; None for anything else.

    `str.isdigit` also accepts "²" and other digits `int()` refuses, hence the pattern.
    """
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def shown(value: object) -> str:
    """A refused value quoted back, shortened: a pasted page must not fill the message."""
    text = str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def range_message(
    label: str, bounds: tuple[int, int], *, unit: str = "", got: object = None
) -> str:
    """`补正期限须为1至60个工作日之间的整数(收到:99999999)`."""
    low, high = bounds
    message = f"{label}须为{low}至{high}{unit}之间的整数"
    if got is not None and str(got).strip():
        message += f"(收到:{shown(str(got).strip())})"
    return message
