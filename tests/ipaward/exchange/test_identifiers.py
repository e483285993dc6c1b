"""USCC (python-stdnum), CN patent numbers and ISO dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ipaward.exchange.identifiers import check_uscc, parse_iso_date, parse_patent_number


def test_the_documented_patent_example_is_valid_and_an_invention() -> None:
    number = parse_patent_number("201710601862.3")
    assert (number.filing_year, number.kind, number.is_invention) == (2017, "1", True)
    assert str(parse_patent_number("ZL201710601862.3")) == "201710601862.3"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("201710601862.4", "校验位错误:应为3"),
        ("201760601862.3", "第5位"),
        ("2017106018623", "格式"),
        ("20171060186.3", "格式"),
    ],
)
def test_bad_patent_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_patent_number(text)


def test_check_character_ten_is_written_x() -> None:
    assert str(parse_patent_number("202310000002.X")).endswith("X")


def test_pct_invention_counts_as_invention_and_utility_model_does_not() -> None:
    from tests.support.identifiers import patent

    assert parse_patent_number(patent(7, kind=8)).is_invention
    assert not parse_patent_number(patent(7, kind=2)).is_invention


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("12350000488000111X", "校验位"),
        ("1235000048800011", "18位"),
        ("12350000488000111I", "格式"),
    ],
)
def test_bad_uscc_say_why(code: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_uscc(code)


def test_only_real_iso_dates_pass() -> None:
    assert parse_iso_date("2024-02-29") == dt.date(2024, 2, 29)
    for text in ("2023-02-29", "2024/02/02", "2024-2-2", 20240202):
        with pytest.raises(ValueError):
            parse_iso_date(text)
