"""Amounts as official notices write them: in figures and in capitals (大写), whole yuan only.

cn2an's "rmb" mode already spells the financial capitals (500000 → 伍拾万元整); we only check
its shape and add the 人民币 prefix, so a change in cn2an fails loudly instead of printing a
wrong amount on a payment notice.
"""

from __future__ import annotations

import cn2an  # type: ignore[import-untyped]

_CAPITAL_DIGITS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿")


def _whole_yuan(yuan: int) -> int:
    if isinstance(yuan, bool) or not isinstance(yuan, int):
        raise TypeError(f"money is whole yuan (int), got {type(yuan).__name__}")
    if yuan < 0:
        raise ValueError(f"a notice amount cannot be negative: {yuan}")
    return yuan


def amount_in_capitals(yuan: int) -> str:
    """500000 → "人民币伍拾万元整"; the form finance offices require next to the figures."""
    words = str(cn2an.an2cn(_whole_yuan(yuan), "rmb"))
    if words.endswith("元"):
        words += "整"
    elif not words.endswith("元整"):
        words += "元整"
    digits = words.removesuffix("元整")
    if not digits or not set(digits) <= _CAPITAL_DIGITS:
        raise ValueError(f"cn2an spelled {yuan} as {words!r}, not as financial capitals")
    return f"人民币{words}"


def amount_in_figures(yuan: int) -> str:
    """500000 → "500,000元": thousands separators (GB/T 15835 千分撇) for readable long sums."""
    return f"{_whole_yuan(yuan):,}元"
