"""Checked identifiers of the exchange format: USCC, CN patent application numbers, ISO dates.

Each checker returns the normalised value or raises ValueError with a reason in Chinese, which
the validator reports at the field's JSON path.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from ipaward.exchange.identities import fold

PATENT_PATTERN = re.compile(r"^(?:ZL)?(\d{12})\.([0-9X])$")
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_KINDS = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "PCT发明", "9": "PCT实用新型"}
INVENTION_KINDS = frozenset({"1", "8"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_uscc(value: str) -> str:
    """统一社会信用代码 per GB 32100-2015, check character verified by python-stdnum; full-width
    characters and spaces are folded first (the canonical identity is what is stored)."""
    try:
        return str(stdnum_uscc.validate(fold(value)))
    except InvalidLength:
        raise ValueError("统一社会信用代码应为18位") from None
    except InvalidChecksum:
        raise ValueError("统一社会信用代码校验位错误") from None
    except (InvalidFormat, ValidationError):
        raise ValueError("统一社会信用代码格式错误(含不允许的字符)") from None


def patent_check_character(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, PATENT_WEIGHTS, strict=True)) % 11
    return "X" if total == 10 else str(total)


@dataclass(frozen=True)
class PatentNumber:
    digits: str
    check: str

    @property
    def kind(self) -> str:
        return self.digits[4]

    @property
    def filing_year(self) -> int:
        return int(self.digits[:4])

    @property
    def is_invention(self) -> bool:
        return self.kind in INVENTION_KINDS

    def __str__(self) -> str:
        return f"{self.digits}.{self.check}"


def parse_patent_number(value: str) -> PatentNumber:
    """CN application number: 12 digits, a dot, a check character (Σ dᵢ·wᵢ mod 11, 10 = X);
    `ZL`, spaces and full-width digits are accepted and folded away."""
    match = PATENT_PATTERN.match(fold(value))
    if not match:
        raise ValueError("专利号格式应为12位数字、小数点和校验位(可带ZL前缀),如201710601862.3")
    digits, check = match.groups()
    if digits[4] not in PATENT_KINDS:
        raise ValueError(f"专利号第5位(专利类型)应为1、2、3、8或9,实为{digits[4]}")
    expected = patent_check_character(digits)
    if check != expected:
        raise ValueError(f"专利号校验位错误:应为{expected},实为{check}")
    return PatentNumber(digits=digits, check=check)


def check_patent_number(value: str) -> str:
    return str(parse_patent_number(value))


def parse_iso_date(value: object) -> dt.date:
    """Only real calendar dates written YYYY-MM-DD; no timestamps, no other formats."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("日期应写作YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value}不是真实存在的日期") from None
