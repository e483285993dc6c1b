"""What a rule may know besides the application: what this policy already paid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class PriorAwards:
    """Ledger facts for one recipient and measure, read before a rule runs.

    paid_items: once-only item key (e.g. "patent-transfers:transfer:201710601862.3") -> yuan already paid.
    year_paid: yuan already paid to this recipient under this measure in the reward year.
    year_items: how many items of this recipient were already counted in that year.
    measure_paid: yuan already paid to this recipient under this measure, all years (M06).
    fund_balance: the M10 fund's balance in yuan, when the measure draws on a fund.
    budget_remaining: what is left of the measure's yearly budget, when one is set.
    withheld: item key -> number of another recipient's earlier filing on the same annual
        list that keeps the item (the annual cycle resolves shared items before 公示).
    """

    paid_items: Mapping[str, int] = field(default_factory=dict)
    year_paid: int = 0
    year_items: int = 0
    measure_paid: int = 0
    fund_balance: int | None = None
    budget_remaining: int | None = None
    withheld: Mapping[str, str] = field(default_factory=dict)


NO_PRIOR_AWARDS = PriorAwards()
