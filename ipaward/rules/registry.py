"""The rule of every paying measure, by code. Programme measures (M04 M05 M08 M11 M16 M18)
pay nothing and have no rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.rules import m01, m02, m03, m06, m07, m09, m10, m12, m13, m14, m15, m17
from ipaward.rules.context import E, RuleInput
from ipaward.rules.result import RuleResult


@dataclass(frozen=True)
class MeasureRule(Generic[E]):
    item_keys: Callable[[ApplicationEnvelope, E], list[str]]
    assess: Callable[[RuleInput[E]], RuleResult]


RULES: dict[str, MeasureRule[Any]] = {
    "M01": MeasureRule(m01.item_keys, m01.assess),
    "M02": MeasureRule(m02.item_keys, m02.assess),
    "M03": MeasureRule(m03.item_keys, m03.assess),
    "M06": MeasureRule(m06.item_keys, m06.assess),
    "M07": MeasureRule(m07.item_keys, m07.assess),
    "M09": MeasureRule(m09.item_keys, m09.assess),
    "M10": MeasureRule(m10.item_keys, m10.assess),
    "M12": MeasureRule(m12.item_keys, m12.assess),
    "M13": MeasureRule(m13.item_keys, m13.assess),
    "M14": MeasureRule(m14.item_keys, m14.assess),
    "M15": MeasureRule(m15.item_keys, m15.assess),
    "M17": MeasureRule(m17.item_keys, m17.assess),
}
