"""Recognising a place name: which of Zhangzhou's 16 jurisdictions it is, if any.

People write `龍海區`, `漳州市龙海区`, `福建省漳州市龙海区角美镇` or the former `龙海市` for one
district. A name is compared after NFKC, Traditional → Simplified (OpenCC t2s), without spaces and
without a leading 中国/福建省, against each jurisdiction's name and aliases from
config/departments.toml, each with and without 漳州市 before it. A name that plainly lies elsewhere (another province, another city)
is outside; anything else is unknown, and a reviewer must look (never a silent exclusion).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

import opencc

if TYPE_CHECKING:  # departments.py builds the index: no import at run time
    from ipaward.config.departments import Jurisdiction

_LEADING = re.compile(r"^(?:中华人民共和国|中国)?(?:福建省)?")
_PROVINCE = re.compile(r"^(?:中华人民共和国|中国)?(.{2,7}?(?:省|自治区|特别行政区))")
_CITY = re.compile(r"^(.{2,6}?市)")
_HOME_PROVINCE = "福建省"
_HOME_CITY = "漳州市"


class Whereabouts(StrEnum):
    LOCAL = "local"  # in one of the 16 jurisdictions (or in 漳州市, county not named)
    OUTSIDE = "outside"  # names another province or city
    UNKNOWN = "unknown"  # not recognised either way: a reviewer decides


@dataclass(frozen=True)
class Place:
    whereabouts: Whereabouts
    jurisdiction: Jurisdiction | None

    @property
    def is_local(self) -> bool:
        return self.whereabouts is Whereabouts.LOCAL


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(name: str) -> str:
    """NFKC, Simplified characters, no white space."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"\s+", "", str(_to_simplified().convert(text)))


def _plain(name: str) -> str:
    """`福建省漳州市龙海区` → `漳州市龙海区`: the province adds nothing inside Fujian."""
    return _LEADING.sub("", simplify(name))


class PlaceIndex:
    """Every spelling of the 16 jurisdictions (each also with 漳州市 before it, and 漳州X also as
    漳州市X), looked up exactly or as the beginning of a longer address."""

    def __init__(self, jurisdictions: Iterable[Jurisdiction]) -> None:
        self._by_name: dict[str, Jurisdiction] = {}
        for jurisdiction in jurisdictions:
            for spelling in map(_plain, (jurisdiction.name, *jurisdiction.aliases)):
                for form in _with_and_without_city(spelling):
                    self._by_name.setdefault(form, jurisdiction)
        self._longest_first = sorted(self._by_name, key=len, reverse=True)

    def named(self, name: str) -> Jurisdiction | None:
        """The jurisdiction this text names exactly (an applicant's own `jurisdiction`)."""
        return self._by_name.get(_plain(name))

    def locate(self, name: str) -> Place:
        """Where a third party (a transferee, a borrower) is: its text may go down to a town."""
        plain = _plain(name)
        for spelling in self._longest_first:
            if plain.startswith(spelling):
                return Place(Whereabouts.LOCAL, self._by_name[spelling])
        if plain == _HOME_CITY:
            return Place(Whereabouts.LOCAL, None)  # in the city, county not named
        return Place(_elsewhere(simplify(name)), None)


def _with_and_without_city(spelling: str) -> set[str]:
    """`龙海区` → also `漳州市龙海区`; `漳州台商投资区` → also `漳州市台商投资区`."""
    bare = spelling.removeprefix(_HOME_CITY)
    forms = {bare, _HOME_CITY + bare}
    if bare.startswith("漳州"):
        forms.add(_HOME_CITY + bare.removeprefix("漳州"))
    return forms


def _elsewhere(text: str) -> Whereabouts:
    """OUTSIDE when the text names another province or another city, else UNKNOWN."""
    province = _PROVINCE.match(text)
    if province:
        if province.group(1) != _HOME_PROVINCE:
            return Whereabouts.OUTSIDE
        text = text[province.end() :]
    city = _CITY.match(text)
    if city and city.group(1) != _HOME_CITY:
        return Whereabouts.OUTSIDE
    return Whereabouts.UNKNOWN
