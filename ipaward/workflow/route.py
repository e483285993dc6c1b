"""Reading the route snapshot stored on an application."""

from __future__ import annotations

from typing import Any

from ipaward.db.models import Application


def stages(application: Application) -> list[dict[str, Any]]:
    route = application.route or {}
    return list(route.get("stages", []))


def stage_spec(application: Application, name: str) -> dict[str, Any]:
    for stage in stages(application):
        if stage["stage"] == name:
            return stage
    raise LookupError(f"{application.number}: no stage {name!r} on its route")


def next_stage(application: Application, current: str | None) -> str | None:
    """The stage after `current` (the first when None); None after the last."""
    names = [stage["stage"] for stage in stages(application)]
    if current is None:
        return names[0] if names else None
    index = names.index(current)
    return names[index + 1] if index + 1 < len(names) else None


def copied(application: Application) -> list[str]:
    return list((application.route or {}).get("copied", []))


def lead(application: Application) -> str:
    return str((application.route or {})["lead"])
