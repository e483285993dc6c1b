"""Resolve a measure's route to concrete departments for one application (snapshotted on it at
acceptance, so a config change never reroutes work in flight)."""

from __future__ import annotations

from typing import Any

from ipaward.config.departments import Directory, Jurisdiction
from ipaward.config.edition import ALL_JURISDICTIONS, OWN_JURISDICTION, Measure


def _resolve(code: str, directory: Directory, jurisdiction: Jurisdiction | None) -> list[str]:
    if code == OWN_JURISDICTION:
        return [jurisdiction.government] if jurisdiction else []
    if code == ALL_JURISDICTIONS:
        return [j.government for j in directory.jurisdictions.values()]
    return [code]


def parties(
    measure: Measure, part: str, directory: Directory, jurisdiction: Jurisdiction | None
) -> list[str]:
    """The departments that take `part` (countersign / copied) in this measure, in config order."""
    resolved: list[str] = []
    for party in measure.responsible:
        if party.part == part:
            resolved += [
                d for d in _resolve(party.dept, directory, jurisdiction) if d not in resolved
            ]
    return resolved


def finance_departments(
    directory: Directory, jurisdiction: Jurisdiction | None, jurisdiction_amount: int
) -> list[str]:
    """City finance always; the jurisdiction's finance office when it bears a share."""
    departments = [directory.city_finance().code]
    if jurisdiction is not None and jurisdiction_amount > 0:
        departments.append(jurisdiction.finance)
    return departments


def resolve_route(
    measure: Measure,
    *,
    directory: Directory,
    jurisdiction: Jurisdiction | None,
    jurisdiction_amount: int = 0,
) -> dict[str, Any]:
    """A JSON-ready snapshot: each stage with its departments and completion rule."""
    countersigners = [
        d for d in parties(measure, "countersign", directory, jurisdiction) if d != measure.lead
    ]
    who = {
        "lead": [measure.lead],
        "countersigners": countersigners,
        "finance": finance_departments(directory, jurisdiction, jurisdiction_amount),
        "responsible": countersigners + parties(measure, "copied", directory, jurisdiction),
    }
    stages: list[dict[str, Any]] = []
    for stage in measure.route:
        entry: dict[str, Any] = {"stage": stage.stage}
        if stage.who is not None:
            entry["departments"] = who[stage.who]
            entry["completion"] = stage.completion
            if stage.completion_ratio is not None:
                entry["completion_ratio"] = str(stage.completion_ratio)
            entry["due_working_days"] = stage.due_working_days
        if stage.working_days is not None:
            entry["working_days"] = stage.working_days
        if stage.who is None or entry["departments"]:
            stages.append(entry)
    return {
        "measure": measure.code,
        "lead": measure.lead,
        "stages": stages,
        "copied": parties(measure, "copied", directory, jurisdiction),
    }
