"""When a stage is done: all / any / ratio of its departments approve (each decides once)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ipaward.db.models import WorkItem
from ipaward.workflow.outcomes import APPROVING, REJECTING

Verdict = Literal["waiting", "approved", "rejected", "returned"]


@dataclass(frozen=True)
class StageVerdict:
    verdict: Verdict
    deciding: WorkItem | None = None  # the item whose decision settled a reject / return


def judge(items: list[WorkItem], *, completion: str, ratio: Fraction | None) -> StageVerdict:
    """A return or (under `all`) a rejection settles the stage at once; otherwise count."""
    decided = [item for item in items if item.decision is not None]
    for item in decided:
        assert item.decision is not None
        if item.decision.outcome == "return":
            return StageVerdict("returned", item)
    approvals = sum(1 for item in decided if item.decision and item.decision.outcome in APPROVING)
    rejections = [item for item in decided if item.decision and item.decision.outcome in REJECTING]
    total = len(items)
    needed = {
        "all": total,
        "any": 1 if total else 0,
        "ratio": _ceil(Fraction(total) * (ratio or Fraction(1))),
    }[completion]
    if approvals >= needed and not (completion == "all" and rejections):
        return StageVerdict("approved")
    if rejections and total - len(rejections) < needed:
        return StageVerdict("rejected", rejections[0])
    return StageVerdict("waiting")


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
