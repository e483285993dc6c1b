"""Annotated field types shared by the exchange models (strict: no silent coercion)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints

from ipaward.bounds import MAX_COUNT, MAX_MONEY
from ipaward.exchange.identifiers import check_patent_number, check_uscc, parse_iso_date

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]
# Upper bounds no real filing reaches: beyond them amounts overflowed decimal arithmetic
# (28 digits) and `assess` crashed instead of naming the field (ipaward/bounds.py).
Money = Annotated[int, Field(ge=0, le=MAX_MONEY)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Uscc = Annotated[str, AfterValidator(check_uscc)]
PatentNo = Annotated[str, AfterValidator(check_patent_number)]
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def _relative_name(value: str) -> str:
    """A document's path inside the folder handed over with the application; it may not leave it."""
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ValueError("文件名须为相对路径,不得为绝对路径")
    if any(part in ("..", "") for part in parts):
        raise ValueError("文件名不得包含“..”或空路径段,不得离开材料文件夹")
    return value


def _sha256(value: str) -> str:
    if not SHA256.match(value):
        raise ValueError("sha256应为64位十六进制数字")
    return value.lower()


DocumentName = Annotated[
    str, StringConstraints(min_length=1, max_length=255), AfterValidator(_relative_name)
]
Sha256 = Annotated[str, AfterValidator(_sha256)]
