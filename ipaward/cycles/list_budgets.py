"""Yearly budgets of the annual measures (config/budgets.toml) and the check before finance."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ipaward.config.config_errors import ConfigError
from ipaward.config.edition_loader import IDENTITY
from ipaward.config.reader import TableReader

BUDGETS_FILE = "budgets.toml"


@dataclass(frozen=True, kw_only=True)
class BudgetRule:
    """What a measure may pay in a reward year, and whether an excess is pro-rated."""

    measure: str
    year: int
    amount: int
    pro_rate: bool
    to_be_confirmed: bool = False  # a placeholder until finance confirms it (`ipaward check`)


def load_budgets(config_dir: Path) -> dict[tuple[str, int], BudgetRule]:
    """Every (measure, year) with an amount; a missing file means no budgets at all."""
    path = config_dir / BUDGETS_FILE
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    rules: dict[tuple[str, int], BudgetRule] = {}
    for measure, entry in raw.items():
        table = TableReader(entry, file=path, key=measure)
        table.only(["pro_rate", "amounts", "to_be_confirmed"])
        if not IDENTITY.match(measure):
            raise table.fail("", "a measure's identity, such as patent-transfers, is required")
        pro_rate = table.flag("pro_rate") if "pro_rate" in table.raw else False
        unconfirmed = table.flag("to_be_confirmed") if "to_be_confirmed" in table.raw else False
        amounts = table.sub("amounts")
        for year_text in amounts.raw:
            if not (len(year_text) == 4 and year_text.isdigit()):
                raise amounts.fail(year_text, "the key must be a year (YYYY)")
            amount = amounts.optional_int(year_text)
            assert amount is not None
            year = int(year_text)
            rules[measure, year] = BudgetRule(
                measure=measure,
                year=year,
                amount=amount,
                pro_rate=pro_rate,
                to_be_confirmed=unconfirmed,
            )
    return rules


def budget_rule(config_dir: Path, *, measure: str, year: int) -> BudgetRule | None:
    """Read fresh each time: an operator raises a budget and runs the stopped cycle again."""
    return load_budgets(config_dir).get((measure, year))


def pro_rated(amounts: list[int], *, available: int) -> list[int]:
    """Scale amounts down to `available` in whole yuan: each floor(a·available/total), then
    the yuan left over go one each to the largest remainders (earlier lines first on ties)."""
    total = sum(amounts)
    if total <= available:
        return list(amounts)
    if available <= 0 or total == 0:
        return [0] * len(amounts)
    scaled = [amount * available // total for amount in amounts]
    remainders = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] * available % total), i))
    for index in remainders[: available - sum(scaled)]:
        scaled[index] += 1
    return scaled
