"""Amounts in capitals and figures, and dates, as official notices write them."""

from __future__ import annotations

from datetime import date

import pytest

from ipaward.notices.dates import chinese_date
from ipaward.notices.money import amount_in_capitals, amount_in_figures


@pytest.mark.parametrize(
    ("yuan", "capitals"),
    [
        (500_000, "人民币伍拾万元整"),
        (35_000, "人民币叁万伍仟元整"),
        (1_000_001, "人民币壹佰万零壹元整"),
        (0, "人民币零元整"),
        (120_000, "人民币壹拾贰万元整"),
        (2_000_000, "人民币贰佰万元整"),
        (100_000_000, "人民币壹亿元整"),
        (10_010_001, "人民币壹仟零壹万零壹元整"),
    ],
)
def test_amounts_are_written_in_financial_capitals(yuan: int, capitals: str) -> None:
    assert amount_in_capitals(yuan) == capitals


def test_amounts_in_figures_use_thousands_separators() -> None:
    assert amount_in_figures(500_000) == "500,000元"
    assert amount_in_figures(35_000) == "35,000元"
    assert amount_in_figures(0) == "0元"


@pytest.mark.parametrize("bad", [1.5, "500000", True])
def test_money_that_is_not_whole_yuan_is_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        amount_in_capitals(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_figures(bad)  # type: ignore[arg-type]


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        amount_in_capitals(-1)


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2024, 2, 2), "2024年2月2日"),
        (date(2024, 10, 28), "2024年10月28日"),
        (date(2029, 2, 1), "2029年2月1日"),
    ],
)
def test_dates_have_no_zero_padding(day: date, written: str) -> None:
    assert chinese_date(day) == written
