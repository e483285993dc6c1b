"""A subject's route as snapshotted when the subject was created: the stages in order, who
decides each, when a stage is complete, and what a stage does besides deciding (a notice
to the applicant when it is done, a budget check before it). Applications, annual lists and
programme years all walk their route through this one reader.

An application's and a programme's snapshot names its departments; an annual list's names
who decides (`who`) and the measure's parties, resolved for the list's jurisdictions when a
stage opens (`ipaward.cycles.list_route`). Snapshots written before a stage said what it does
carry no flags: 0010 added them to applications' snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

PUBLICITY_STAGE = "publicity"


@dataclass(frozen=True, kw_only=True)
class PlannedStage:
    name: str
    who: str | None  # lead | countersigners | finance | responsible; None: a 公示 window
    departments: tuple[str, ...] | None  # resolved deciders; None: resolved when it opens
    completion: str = "all"
    ratio: Fraction | None = None
    due_working_days: int | None = None
    working_days: int | None = None
    notify_when_done: str | None = None  # a notice kind issued when the stage completes
    budget_check: bool = False  # the budget is checked before the stage is entered

    @property
    def is_publicity(self) -> bool:
        return self.name == PUBLICITY_STAGE

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> PlannedStage:
        departments = data.get("departments")
        ratio = data.get("completion_ratio")
        return cls(
            name=str(data["stage"]),
            who=data.get("who"),
            departments=tuple(departments) if departments is not None else None,
            completion=str(data.get("completion", "all")),
            ratio=Fraction(str(ratio)) if ratio else None,
            due_working_days=data.get("due_working_days"),
            working_days=data.get("working_days"),
            notify_when_done=data.get("notify_when_done"),
            budget_check=bool(data.get("budget_check", False)),
        )


@dataclass(frozen=True, kw_only=True)
class RoutePlan:
    measure: str
    lead: str
    stages: tuple[PlannedStage, ...]
    copied: tuple[str, ...] = ()

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any] | None) -> RoutePlan:
        data = data or {}
        return cls(
            measure=str(data.get("measure", "")),
            lead=str(data.get("lead", "")),
            stages=tuple(PlannedStage.from_snapshot(s) for s in data.get("stages", [])),
            copied=tuple(data.get("copied", [])),
        )

    def stage(self, name: str) -> PlannedStage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise LookupError(f"{self.measure}: no stage {name!r} on its route")

    def after(self, current: str | None) -> PlannedStage | None:
        """The stage after `current` (the first when None); None after the last."""
        if current is None:
            return self.stages[0] if self.stages else None
        names = [stage.name for stage in self.stages]
        index = names.index(current)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None
