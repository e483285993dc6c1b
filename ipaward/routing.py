"""Resolve a measure's route to concrete departments for one application (snapshotted on it at
acceptance, so a config change never reroutes work in flight)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ipaward.config.departments import Directory, Jurisdiction
from ipaward.config.edition import ALL_JURISDICTIONS, OWN_JURISDICTION, Measure, Stage
from ipaward.config.policy import Policy, edition_for_year


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
    return parties_of(
        [(p.dept, p.part) for p in measure.responsible], part, directory, jurisdiction
    )


def parties_of(
    responsible: Iterable[tuple[str, str]],
    part: str,
    directory: Directory,
    jurisdiction: Jurisdiction | None,
) -> list[str]:
    """The same, from a snapshot's (dept, part) pairs."""
    resolved: list[str] = []
    for dept, taken in responsible:
        if taken == part:
            resolved += [d for d in _resolve(dept, directory, jurisdiction) if d not in resolved]
    return resolved


def list_route(policy: Policy, measure_code: str, year: int) -> dict[str, Any]:
    """The snapshot an annual list of `year` is created with: the edition judging the year;
    for a year no edition covers (a list that can have no lines), the edition nearest it."""
    edition, last_day = edition_for_year(policy, year)
    return route_template((edition or policy.current(last_day)).measure(measure_code))


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
        entry = _stage(stage)
        if stage.who is not None:
            entry["departments"] = who[stage.who]
        if stage.who is None or entry["departments"]:
            stages.append(entry)
    return {
        "measure": measure.code,
        "lead": measure.lead,
        "stages": stages,
        "copied": parties(measure, "copied", directory, jurisdiction),
    }


def route_template(measure: Measure) -> dict[str, Any]:
    """An annual list's snapshot: who decides each stage and the measure's parties, resolved
    for the list's jurisdictions when a stage opens (the lines decide which they are)."""
    return {
        "measure": measure.code,
        "lead": measure.lead,
        "stages": [_stage(stage) for stage in measure.route],
        "responsible": [{"dept": p.dept, "part": p.part} for p in measure.responsible],
    }


def _stage(stage: Stage) -> dict[str, Any]:
    """A stage as snapshots keep it (JSON-ready)."""
    entry: dict[str, Any] = {"stage": stage.stage}
    if stage.who is not None:
        entry["who"] = stage.who
        entry["completion"] = stage.completion
        if stage.completion_ratio is not None:
            entry["completion_ratio"] = str(stage.completion_ratio)
        entry["due_working_days"] = stage.due_working_days
    if stage.working_days is not None:
        entry["working_days"] = stage.working_days
    if stage.notify_when_done is not None:
        entry["notify_when_done"] = stage.notify_when_done
    if stage.budget_check:
        entry["budget_check"] = True
    return entry
