"""就高、从优、不重复: the city pays only what brings the total up to its own amount."""

from __future__ import annotations

from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan


def top_up(explain: Explanation, *, amount: int, already_received: int, what: str) -> int:
    """city_pays = max(0, city_amount − already received for the same item) [choice]."""
    if already_received <= 0:
        return amount
    net = max(0, amount - already_received)
    explain.note(
        f"依据本措施末段“就高、从优、不重复”原则:{what}已获其他政策奖补{yuan(already_received)},"
        f"市级补足差额{yuan(net)}(={yuan(amount)}−{yuan(already_received)},不低于0)。"
    )
    return net


def award_once(
    explain: Explanation,
    *,
    amount: int,
    already_received: int,
    what: str,
    key: str,
    yearly_cap: int | None = None,
) -> RuleResult:
    """An eligible award settled by one once-only ledger line, after the 就高从优 top-up."""
    net = top_up(explain, amount=amount, already_received=already_received, what=what)
    return explain.result(
        eligible=True,
        amount=net,
        ledger_lines=(LedgerLine(item_key=key, amount=net),),
        yearly_cap=yearly_cap,
    )
