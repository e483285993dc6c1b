"""What every measure's evidence model shares (APPLICATION_FORMAT.md, "Evidence by measure";
each measure's own model is in its module, ipaward/measures/).

A model lists its items, each with its kind: what `other_awards[].item` may name, what the
once-only rule keys the ledger by, and what counts once when a file lists it twice. Items
are compared by their canonical identity (`ipaward.exchange.identities`), never as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from ipaward.exchange.fields import STRICT, Text, Uscc
from ipaward.exchange.identities import ItemKind, identity

HighValue = Literal[
    "strategic_emerging", "overseas_family", "over_10_years", "pledge_high", "award_winning"
]


Location = tuple[int | str, ...]


@dataclass(frozen=True)
class Item:
    """One rewardable item named in the evidence, where it stands (under `evidence`)."""

    kind: ItemKind
    value: str
    loc: Location

    @property
    def identity(self) -> str:
        return identity(self.kind, self.value)


def repeats(items: Sequence[Item]) -> dict[int, int]:
    """Index of each item that repeats an earlier one → index of that first listing."""
    first: dict[str, int] = {}
    repeated: dict[int, int] = {}
    for index, item in enumerate(items):
        seen = first.setdefault(item.identity, index)
        if seen != index:
            repeated[index] = seen
    return repeated


class Evidence(BaseModel):
    model_config = STRICT

    def items(self) -> list[Item]:
        return []

    def item_ids(self) -> list[str]:
        return [item.identity for item in self.items()]

    def item_kinds(self) -> set[ItemKind]:
        return {item.kind for item in self.items()}


class Party(BaseModel):
    """A third party (transferee, borrower); its jurisdiction may be any place name. Its USCC
    may be missing (a reviewer finding where the rule needs to know its kind)."""

    model_config = STRICT
    name: Text
    uscc: Uscc | None = None
    jurisdiction: Text

    @property
    def is_enterprise(self) -> bool | None:
        """GB 32100-2015: registration-management code 9 is 工商 (enterprises); None: unknown."""
        return None if self.uscc is None else self.uscc.startswith("9")
