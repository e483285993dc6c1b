"""An application's route, read from the snapshot taken at acceptance (`routing.resolve_route`)."""

from __future__ import annotations

from ipaward.db.models import Application
from ipaward.lifecycle.route_plan import PUBLICITY_STAGE, RoutePlan

__all__ = ["PUBLICITY_STAGE", "copied", "lead", "plan"]


def plan(application: Application) -> RoutePlan:
    return RoutePlan.from_snapshot(application.route)


def copied(application: Application) -> list[str]:
    return list(plan(application).copied)


def lead(application: Application) -> str:
    return plan(application).lead
