"""Canonical identities of the items the policy rewards once (MEASURES.md, general rules).

An applicant types a judgment number with full-width or half-width brackets, a patent with or
without `ZL`, a product number in full-width digits: all of them are one item. Every place
that compares items (validation, duplicates inside a file, intake's claimed-elsewhere check,
就高从优 declarations, ledger keys) compares `identity(kind, value)`, never the typed text.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

# After NFKC: every bracket form the GB/T 9704 numbering and court numbers use is one pair.
_BRACKETS = str.maketrans(
    {"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "〖": "(", "〗": ")"}
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
_SPACES = re.compile(r"\s+")
_PATENT = re.compile(r"^(?:ZL)?(\d{12})\.?([0-9X])$")


class ItemKind(StrEnum):
    """What an identifier identifies; each kind has its own normaliser."""

    PATENT = "patent"  # CN patent / application number
    JUDGMENT = "judgment"  # 判决书、裁决书 number
    PRODUCT = "product"  # 专利密集型产品 recognition number
    STANDARD = "standard"  # standard number (团体标准、地方标准)
    CERTIFICATE = "certificate"  # certification or grading certificate number
    CONTRACT = "contract"  # loan contract number
    USCC = "uscc"  # 统一社会信用代码
    NAME = "name"  # a named thing with no number (a project title, a centre's name)


def fold(value: str) -> str:
    """NFKC (full-width → half-width), one bracket pair, one dash, no spaces, upper case."""
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS)
    return _SPACES.sub("", _DASHES.sub("-", text)).upper()


def patent_identity(value: str) -> str:
    """`ZL 2017 1 0601862.3`, `２０１７１０６０１８６２．３` → `201710601862.3`.

    Text that is not a patent number keeps its folded form (the validator reports it)."""
    folded = fold(value)
    match = _PATENT.match(folded)
    return f"{match.group(1)}.{match.group(2)}" if match else folded


def uscc_identity(value: str) -> str:
    folded = fold(value)
    try:
        return str(stdnum_uscc.compact(folded))
    except ValidationError:  # pragma: no cover - compact only strips separators
        return folded


def identity(kind: ItemKind, value: str) -> str:
    """The one form under which `value` is compared, counted and keyed in the ledger."""
    if kind is ItemKind.PATENT:
        return patent_identity(value)
    if kind is ItemKind.USCC:
        return uscc_identity(value)
    return fold(value)


def identities(value: str, kinds: set[ItemKind]) -> set[str]:
    """Every identity `value` may have when its kind is one of `kinds` (a declaration's item
    can name a patent, a product or the applicant itself)."""
    return {identity(kind, value) for kind in kinds}
