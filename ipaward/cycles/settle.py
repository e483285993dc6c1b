"""One recipient's year, assessed together: its applications' evidence under one rule run.

Measures that list their items (transfers, products: `joined_list` in their module) join a
recipient's lists into one application, assessed once, so the threshold, the yearly cap and once-only items hold
across all of them; the award is then attributed back to each application by its items. The
other yearly measures pay once per recipient and year: their applications are assessed in
filing order, each seeing the ones before it as already paid, so a second one finds the year
settled. Pure apart from validation: the caller passes the ledger facts in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ipaward import clock
from ipaward.assessment import Assessment, assess, item_keys
from ipaward.db.models import Application
from ipaward.exchange.identities import fold
from ipaward.exchange.validate import ValidApplication, validate_items
from ipaward.repository.ledger import describe_item
from ipaward.rules.facts import PriorAwards
from ipaward.rules.funding import split
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.reassess import stored_application


@dataclass(frozen=True, kw_only=True)
class LineResult:
    """What one application of the group is worth in the year's settlement."""

    application_id: int
    eligible: bool
    amount: int
    city_amount: int
    jurisdiction_amount: int
    items: tuple[tuple[str, int], ...]
    yearly_cap: int | None
    explanation: tuple[str, ...]
    findings: tuple[dict[str, str], ...]
    edition: str | None
    reference_date: str

    @property
    def payable(self) -> bool:
        return self.eligible and self.amount > 0

    def reason(self) -> str:
        """Why a line pays nothing, in the rule's own words (its last explanation line)."""
        return self.explanation[-1] if self.explanation else "不符合奖补条件"

    def record(self) -> dict[str, Any]:
        """The application's `assessment` after the cycle (the shape `Assessment.record` has)."""
        return {
            "measure": None,
            "eligible": self.eligible,
            "amount": self.amount,
            "findings": list(self.findings),
            "explanation": list(self.explanation),
            "edition": self.edition,
            "reference_date": self.reference_date,
            "city_amount": self.city_amount,
            "jurisdiction_amount": self.jurisdiction_amount,
            "yearly_cap": self.yearly_cap,
            "ledger_lines": [{"item_key": key, "amount": amount} for key, amount in self.items],
        }


def assess_recipient(
    ctx: WorkflowContext, applications: Sequence[Application], prior: PriorAwards
) -> list[LineResult]:
    """The lines of one recipient's applications (same measure and year), in filing order."""
    ordered = sorted(applications, key=lambda a: (a.submitted_on or dt.date.min, a.id))
    valids = [stored_application(ctx, application) for application in ordered]
    if len(ordered) > 1 and valids[0].definition.joined_list is not None:
        return _merged(ctx, ordered, valids, prior)
    return _in_turn(ctx, ordered, valids, prior)


def _in_turn(
    ctx: WorkflowContext,
    applications: list[Application],
    valids: list[ValidApplication],
    prior: PriorAwards,
) -> list[LineResult]:
    """Each application sees the ones filed before it as paid (once per recipient and year)."""
    lines, running = [], prior
    for application, valid in zip(applications, valids, strict=True):
        result = assess(valid, policy=ctx.policy, prior=running)
        items = tuple((line.item_key, line.amount) for line in result.ledger_lines)
        lines.append(_line(ctx, application, result, amount=result.amount, items=items))
        if result.eligible:
            running = replace(
                running,
                paid_items={**running.paid_items, **dict(items)},
                year_paid=running.year_paid + result.amount,
                year_items=running.year_items + len(items),
                measure_paid=running.measure_paid + result.amount,
            )
    return lines


def _merged(
    ctx: WorkflowContext,
    applications: list[Application],
    valids: list[ValidApplication],
    prior: PriorAwards,
) -> list[LineResult]:
    field = valids[0].definition.joined_list
    assert field is not None
    owner: dict[str, int] = {}
    entries: list[Any] = []
    doubles: dict[int, list[str]] = {}
    for index, valid in enumerate(valids):
        for entry, key in zip(valid.raw["evidence"][field], item_keys(valid), strict=True):
            if key in owner:
                doubles.setdefault(index, []).append(key)
                continue
            owner[key] = index
            entries.append(entry)
    raw = dict(valids[0].raw)
    raw["evidence"] = {field: entries}
    raw["other_awards"] = _other_awards(valids)
    as_of = applications[0].submitted_on or clock.today()
    [joined] = validate_items([raw], ctx.policy, as_of=as_of, array=False)
    result = assess(joined, policy=ctx.policy, prior=prior)
    own: dict[int, list[tuple[str, int]]] = {i: [] for i in range(len(applications))}
    for line in result.ledger_lines:
        own[owner[line.item_key]].append((line.item_key, line.amount))
    amounts = _attribute(result, own) if result.eligible else [0] * len(applications)
    numbers = "、".join(a.number for a in applications)
    lines = []
    for index, application in enumerate(applications):
        note = (
            f"该单位{application.year}年度本措施共{len(applications)}份申请({numbers})合并评审:"
            f"合计核定{result.amount}元;本申请计入{len(own[index])}项,分得{amounts[index]}元。"
        )
        extra = [
            f"{describe_item(key)}已在本单位另一份申请中列出,合并评审只计一次。"
            for key in doubles.get(index, [])
        ]
        lines.append(
            _line(
                ctx,
                application,
                result,
                amount=amounts[index],
                items=tuple(own[index]),
                extra=[*extra, note],
            )
        )
    return lines


def _other_awards(valids: list[ValidApplication]) -> list[Any]:
    """就高从优不重复 declarations of all the applications: one award declared again in a later
    filing (same item, source and amount, however the item is typed) counts once."""
    earlier: set[tuple[str, str, int]] = set()
    joined = []
    for valid in valids:
        mine = set()
        for award, declared in zip(
            valid.raw.get("other_awards", []), valid.envelope.other_awards, strict=True
        ):
            signature = (fold(declared.item), declared.source, declared.amount)
            if signature not in earlier:
                mine.add(signature)
                joined.append(award)
        earlier |= mine
    return joined


def _attribute(result: Assessment, own: dict[int, list[tuple[str, int]]]) -> list[int]:
    """Per-item amounts where the rule gives them (M09); else shares by counted items (M07)."""
    count = len(own)
    by_items = [sum(amount for _, amount in own[i]) for i in range(count)]
    if sum(by_items) == result.amount:
        return by_items
    weights = [len(own[i]) for i in range(count)]
    total = sum(weights)
    if total == 0:
        return [0] * count
    shares = [result.amount * w // total for w in weights]
    order = sorted(range(count), key=lambda i: (-(result.amount * weights[i] % total), i))
    for index in order[: result.amount - sum(shares)]:
        shares[index] += 1
    return shares


def _line(
    ctx: WorkflowContext,
    application: Application,
    result: Assessment,
    *,
    amount: int,
    items: tuple[tuple[str, int], ...],
    extra: Sequence[str] = (),
) -> LineResult:
    if amount == result.amount:
        city, county = result.city_amount, result.jurisdiction_amount
    elif result.edition is not None and amount:
        edition = ctx.policy.edition(result.edition)
        funding = split(amount, edition.funding.city_share_for(application.applicant.jurisdiction))
        city, county = funding.city, funding.jurisdiction
    else:
        city, county = amount, 0
    return LineResult(
        application_id=application.id,
        eligible=result.eligible and (amount > 0 or not extra),
        amount=amount,
        city_amount=city,
        jurisdiction_amount=county,
        items=items,
        yearly_cap=result.yearly_cap,
        explanation=(*result.explanation, *extra),
        findings=tuple(finding.as_dict() for finding in result.findings),
        edition=result.edition,
        reference_date=result.reference_date.isoformat(),
    )
