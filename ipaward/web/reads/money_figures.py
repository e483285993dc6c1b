"""Money on the dashboard: what was paid (by reward year and by posting year, never mixed),
and what is paid, approved and under review against each yearly budget, each measure's
per-unit yearly cap and each fund.

Two years are told apart everywhere: the 奖励年度 (reward year: the year an annual award
is for; budgets and caps count against it; one-off awards have none) and the 拨付年度
(the Zhangzhou year of the ledger's posting date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipaward import clock
from ipaward.config.policy import Policy, edition_for_year
from ipaward.cycles.list_budgets import load_budgets
from ipaward.db.models import Application, Budget, Fund, LedgerEntry
from ipaward.web.reads.access import Scope
from ipaward.web.reads.flow import OpenGroup
from ipaward.web.reads.periods import period_index

CAP = "yearly_cap"  # the per-unit yearly cap's parameter name in the editions


def _code(policy: Policy, identity: str, year: int) -> str:
    """The ledger and budgets keep a measure's identity; the page shows the clause number
    of the edition judging that year (the names the rest of the dashboard uses)."""
    return policy.measure_named(identity, year)[0] or identity


def _in_scope(scope: Scope) -> Any:
    return LedgerEntry.application_id.in_(select(Application.id).where(scope.applications()))


def paid(session: Session, scope: Scope, policy: Policy) -> list[dict[str, Any]]:
    """Payments per measure, reward year and posting year (Zhangzhou's year of posting)."""
    first, last = session.execute(
        select(func.min(LedgerEntry.posted_at), func.max(LedgerEntry.posted_at)).where(
            _in_scope(scope)
        )
    ).one()
    if first is None or last is None:
        return []
    years = list(range(clock.local_date(first).year, clock.local_date(last).year + 1))
    posted = period_index(
        LedgerEntry.posted_at, [dt.date(y, 1, 1) for y in years], dt.date(years[-1] + 1, 1, 1)
    )
    rows = session.execute(
        select(
            LedgerEntry.measure,
            LedgerEntry.year,
            posted,
            func.count(LedgerEntry.id),
            func.sum(LedgerEntry.amount),
            func.sum(LedgerEntry.city_amount),
            func.sum(LedgerEntry.jurisdiction_amount),
        )
        .where(_in_scope(scope))
        .group_by(LedgerEntry.measure, LedgerEntry.year, posted)
    )
    result = [
        {
            "measure": _code(policy, measure, reward_year or years[int(index)]),
            "reward_year": reward_year,
            "posted_year": years[int(index)],
            "payments": int(count),
            "paid": int(amount or 0),
            "city": int(city or 0),
            "jurisdiction": int(local or 0),
        }
        for measure, reward_year, index, count, amount, city, local in rows
    ]
    return sorted(result, key=lambda r: (r["measure"], r["reward_year"] or 0, r["posted_year"]))


def _leads(policy: Policy, scope: Scope, measure: str, year: int) -> bool:
    """Budgets and funds belong to the measure's lead unit (operators read them all)."""
    if scope.everything:
        return True
    edition, _ = edition_for_year(policy, year)
    return (
        edition is not None
        and measure in edition.measures
        and (edition.measure(measure).lead == scope.department)
    )


def limits(
    session: Session,
    scope: Scope,
    policy: Policy,
    *,
    config_dir: Path,
    paid_rows: list[dict[str, Any]],
    groups: list[OpenGroup],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Rows of money against a limit: yearly budgets (config/budgets.toml and the budgets
    table), per-unit yearly caps (dated parameters) and standing funds. `paid_rows` are
    `paid()`'s, `groups` the open applications (flow.open_groups) of the same scope."""
    by_reward_year: dict[tuple[str, int], int] = {}
    for row in paid_rows:
        if row["reward_year"] is not None:
            key = (row["measure"], row["reward_year"])
            by_reward_year[key] = by_reward_year.get(key, 0) + row["paid"]
    flight: dict[tuple[str, int], list[int]] = {}
    for group in groups:
        if group.year is not None:
            sums = flight.setdefault((group.measure, group.year), [0, 0])
            sums[0 if group.approved else 1] += group.amount
    return [
        *_budgets(session, scope, policy, config_dir, by_reward_year, flight, today),
        *_caps(session, scope, policy),
        *funds(session, scope, policy, today),
    ]


def _budgets(
    session: Session,
    scope: Scope,
    policy: Policy,
    config_dir: Path,
    by_reward_year: dict[tuple[str, int], int],
    flight: dict[tuple[str, int], list[int]],
    today: dt.date,
) -> list[dict[str, Any]]:
    amounts = {key: rule.amount for key, rule in load_budgets(config_dir).items()}
    committed: dict[tuple[str, int], int] = {}
    for budget in session.scalars(select(Budget)):
        committed[budget.measure, budget.year] = budget.committed
        amounts.setdefault((budget.measure, budget.year), budget.amount)
    amounts = {(_code(policy, i, y), y): amount for (i, y), amount in amounts.items()}
    committed = {(_code(policy, i, y), y): amount for (i, y), amount in committed.items()}
    rows = []
    for (measure, year), amount in sorted(amounts.items()):
        used = by_reward_year.get((measure, year), 0)
        approved, reviewing = flight.get((measure, year), [0, 0])
        active = used or approved or reviewing or committed.get((measure, year))
        if not _leads(policy, scope, measure, year) or (year > today.year and not active):
            continue
        rows.append(
            {
                "kind": "budget",
                "measure": measure,
                "year": year,
                "limit": amount,
                "paid": used,
                "committed": committed.get((measure, year)),
                "approved": approved,
                "reviewing": reviewing,
            }
        )
    return rows


def _caps(session: Session, scope: Scope, policy: Policy) -> list[dict[str, Any]]:
    """Per measure and reward year: the unit paid most against the cap, and how many units
    reached it (the cap binds each unit, so the sum of units is no use here)."""
    per_unit: dict[tuple[str, int], list[int]] = {}
    for measure, year, total in session.execute(
        select(LedgerEntry.measure, LedgerEntry.year, func.sum(LedgerEntry.amount))
        .where(_in_scope(scope), LedgerEntry.year.is_not(None))
        .group_by(LedgerEntry.measure, LedgerEntry.year, LedgerEntry.recipient_uscc)
    ):
        if year is not None:
            per_unit.setdefault((_code(policy, measure, year), year), []).append(int(total or 0))
    rows = []
    for measure, year in sorted(per_unit):
        edition, on = edition_for_year(policy, year)
        if edition is None or measure not in edition.measures:
            continue
        if CAP not in edition.measure(measure).parameters:
            continue
        try:
            cap = edition.measure(measure).params(on).integer(CAP)
        except LookupError:  # no cap in force that year
            continue
        units = per_unit.get((measure, year), [])
        rows.append(
            {
                "kind": "cap",
                "measure": measure,
                "year": year,
                "limit": cap,
                "paid": max(units, default=0),
                "units": len(units),
                "at_cap": sum(1 for total in units if total >= cap),
            }
        )
    return rows


def funds(session: Session, scope: Scope, policy: Policy, today: dt.date) -> list[dict[str, Any]]:
    """Standing funds (the M10 risk-compensation fund): capacity, used, balance."""
    edition = policy.current(today)
    owner = {m.fund.code: code for code, m in edition.measures.items() if m.fund is not None}
    rows = []
    for fund in session.scalars(select(Fund).order_by(Fund.code)):
        measure = owner.get(fund.code)
        if not scope.everything and (
            measure is None or not _leads(policy, scope, measure, today.year)
        ):
            continue
        rows.append(
            {
                "kind": "fund",
                "measure": measure,
                "code": fund.code,
                "name": fund.name,
                "limit": fund.capacity,
                "capacity": fund.capacity,
                "paid": fund.capacity - fund.balance,
                "used": fund.capacity - fund.balance,
                "balance": fund.balance,
            }
        )
    return rows
