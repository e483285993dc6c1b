"""Items listed more than once in one application count once (APPLICATION_FORMAT.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ipaward.exchange.evidence import Item, repeats
from ipaward.rules.result import Explanation
from ipaward.rules.rule_context import RuleInput


def listed_twice(inp: RuleInput[Any], explain: Explanation, items: Sequence[Item]) -> set[int]:
    """Indices of the entries that repeat an earlier one; each repeat is a reviewer finding."""
    repeated = repeats(items)
    for index, first in repeated.items():
        item = items[index]
        explain.find(
            "duplicate_item",
            inp.path("evidence", *item.loc),
            f"{item.value}与第{first + 1}项为同一事项,只计一次",
        )
    return set(repeated)
