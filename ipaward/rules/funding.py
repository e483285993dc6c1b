"""现行财政体制: split an award between city finance and the jurisdiction's finance office."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class FundingSplit:
    city: int
    jurisdiction: int


def split(amount: int, city_share: Decimal) -> FundingSplit:
    city = int((Decimal(amount) * city_share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return FundingSplit(city=city, jurisdiction=amount - city)
