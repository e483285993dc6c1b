"""Valid test identifiers: USCCs and CN patent numbers with correct check characters."""

from __future__ import annotations

from stdnum.cn import uscc as stdnum_uscc

from ipaward.exchange.identifiers import patent_check_character


def uscc(serial: int, *, prefix: str = "91350600") -> str:
    """A valid 统一社会信用代码; distinct serials give distinct codes."""
    body = f"{prefix}MA{serial:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def patent(serial: int, *, year: int = 2021, kind: int = 1) -> str:
    """A valid CN application number, e.g. patent(1) == '202110000001.?'."""
    digits = f"{year}{kind}{serial:07d}"
    return f"{digits}.{patent_check_character(digits)}"
