"""Which departments decide each stage of a cycle's list.

The measure's route from the edition, resolved for the whole list at once: the applicant's
own county/zone government (a `jurisdiction` countersigner) becomes every jurisdiction that
has a line on the list, and finance is the city's plus the finance offices of jurisdictions
that bear a share. Resolved when the stage opens, from the lines still included (their jurisdictions only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ipaward.config.departments import Jurisdiction
from ipaward.config.edition import Measure, Stage
from ipaward.config.policy import edition_for_year
from ipaward.db.models import Cycle
from ipaward.routing import finance_departments, parties
from ipaward.workflow.context import WorkflowContext


def cycle_measure(ctx: WorkflowContext, cycle: Cycle) -> Measure:
    """The measure as the edition judging the reward year has it."""
    edition, _ = edition_for_year(ctx.policy, cycle.year)
    if edition is None:
        raise LookupError(f"{cycle.year}年不在任何政策版本有效期内")
    return edition.measure(cycle.measure)


def stage_spec(measure: Measure, name: str) -> Stage:
    for stage in measure.route:
        if stage.stage == name:
            return stage
    raise LookupError(f"{measure.code}: no stage {name!r} on its route")


def next_stage(measure: Measure, current: str | None) -> str | None:
    names = [stage.stage for stage in measure.route]
    if current is None:
        return names[0] if names else None
    index = names.index(current)
    return names[index + 1] if index + 1 < len(names) else None


def departments(
    ctx: WorkflowContext, measure: Measure, stage: Stage, shares: Mapping[str, int]
) -> list[str]:
    """The stage's deciders for a list whose lines come from these jurisdictions (code →
    the county share of their lines), in config order, each once."""
    directory = ctx.policy.directory
    places: list[Jurisdiction | None] = [
        directory.jurisdictions[code] for code in sorted(shares) if code in directory.jurisdictions
    ]
    none: list[Jurisdiction | None] = [None]
    found: list[str] = []

    def add(codes: Sequence[str]) -> None:
        found.extend(code for code in codes if code not in found)

    if stage.who == "lead":
        add([measure.lead])
    elif stage.who in ("countersigners", "responsible"):
        for place in places or none:
            add([d for d in parties(measure, "countersign", directory, place) if d != measure.lead])
        if stage.who == "responsible":
            for place in places or none:
                add(parties(measure, "copied", directory, place))
    elif stage.who == "finance":
        for place in places or none:
            share = shares.get(place.code, 0) if place is not None else 0
            add(finance_departments(directory, place, share))
    return found
