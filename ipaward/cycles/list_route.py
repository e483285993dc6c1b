"""An annual list's route: the snapshot taken when the list was created, and which
departments decide each stage.

The snapshot names who decides each stage and the measure's parties; they are resolved for
the whole list when a stage opens, from the lines still included: the applicant's own
county/zone government (a `jurisdiction` countersigner) becomes every jurisdiction that has a
line on the list, and finance is the city's plus the finance offices of jurisdictions that
bear a share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ipaward.config.departments import Jurisdiction
from ipaward.config.edition import Measure
from ipaward.config.policy import edition_for_year
from ipaward.db.models import Cycle
from ipaward.lifecycle.route_plan import PlannedStage, RoutePlan
from ipaward.routing import finance_departments, list_route, parties_of
from ipaward.workflow.context import WorkflowContext


def cycle_measure(ctx: WorkflowContext, cycle: Cycle) -> Measure:
    """The measure as the edition judging the reward year has it."""
    edition, _ = edition_for_year(ctx.policy, cycle.year)
    if edition is None:
        raise LookupError(f"{cycle.year}年不在任何政策版本有效期内")
    return edition.measure(cycle.measure)


def plan(ctx: WorkflowContext, cycle: Cycle) -> RoutePlan:
    """The list's route as snapshotted; a list created before snapshots (0010) takes one now."""
    if cycle.route is None:
        cycle.route = list_route(ctx.policy, cycle.measure, cycle.year)
    return RoutePlan.from_snapshot(cycle.route)


def departments(
    ctx: WorkflowContext, cycle: Cycle, stage: PlannedStage, shares: Mapping[str, int]
) -> list[str]:
    """The stage's deciders for a list whose lines come from these jurisdictions (code →
    the county share of their lines), in config order, each once."""
    directory = ctx.policy.directory
    snapshot = cycle.route or {}
    lead = str(snapshot.get("lead", ""))
    responsible = [(str(p["dept"]), str(p["part"])) for p in snapshot.get("responsible", [])]
    places: list[Jurisdiction | None] = [
        directory.jurisdictions[code] for code in sorted(shares) if code in directory.jurisdictions
    ]
    none: list[Jurisdiction | None] = [None]
    found: list[str] = []

    def add(codes: Sequence[str]) -> None:
        found.extend(code for code in codes if code not in found)

    if stage.who == "lead":
        add([lead])
    elif stage.who in ("countersigners", "responsible"):
        for place in places or none:
            add([d for d in parties_of(responsible, "countersign", directory, place) if d != lead])
        if stage.who == "responsible":
            for place in places or none:
                add(parties_of(responsible, "copied", directory, place))
    elif stage.who == "finance":
        for place in places or none:
            share = shares.get(place.code, 0) if place is not None else 0
            add(finance_departments(directory, place, share))
    return found
