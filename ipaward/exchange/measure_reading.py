"""Which measure an application's code names, and its evidence read with that measure's model.

The code (M07) is an edition's clause number. Read against each measure it names in some
edition, the evidence gives the event date, the date gives the edition, and the reading is
kept when that edition numbers the measure with that code (`ipaward.exchange.reference`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ipaward.config.edition import Measure
from ipaward.config.policy import Policy
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.problems import Problem, problems_from
from ipaward.exchange.reference import Reference, names_it, readings, reference_for
from ipaward.measures import definition
from ipaward.measures.definition import MeasureDefinition


@dataclass(frozen=True)
class Reading:
    measure: Measure
    definition: MeasureDefinition
    evidence: Evidence
    reference: Reference


def read_measure(
    item: dict[str, Any],
    root: str,
    policy: Policy,
    as_of: dt.date,
    envelope: ApplicationEnvelope | None,
    problems: list[Problem],
) -> Reading | None:
    """The one reading of the application's measure, or None with the problems noted."""
    code = str(item.get("measure"))
    named = readings(policy, code)
    paying = {identity: m for identity, m in named.items() if m.pays}
    if not paying:
        if envelope is not None:
            problems.append(_no_measure(code, root, programme=bool(named)))
        return None
    raw = item.get("evidence")
    if not isinstance(raw, dict):
        return None  # the envelope's own validation said so
    parsed: list[tuple[Measure, MeasureDefinition, Evidence]] = []
    failures: list[ValidationError] = []
    for identity, measure in paying.items():
        module = definition(identity)
        try:
            parsed.append((measure, module, module.evidence.model_validate(raw)))
        except ValidationError as error:
            failures.append(error)
    if not parsed:
        problems.extend(problems_from(failures[0], f"{root}.evidence"))
        return None
    if envelope is None:
        return None
    kept = [
        Reading(measure, module, evidence, reference)
        for measure, module, evidence in parsed
        for reference in [
            reference_for(policy, envelope, measure, module.event_date(envelope, evidence), as_of)
        ]
        if names_it(reference, code, measure.identity)
    ]
    if len(kept) == 1:
        return kept[0]
    problems.append(_unclear(code, root, parsed, policy, envelope, as_of))
    return None


def _no_measure(code: str, root: str, *, programme: bool) -> Problem:
    if programme:
        return Problem(
            code="programme_measure",
            path=f"{root}.measure",
            message=f"措施{code}为工作任务类措施,不受理奖补申请",
        )
    return Problem(code="measure", path=f"{root}.measure", message=f"政策中没有措施{code}")


def _unclear(
    code: str,
    root: str,
    parsed: list[tuple[Measure, MeasureDefinition, Evidence]],
    policy: Policy,
    envelope: ApplicationEnvelope,
    as_of: dt.date,
) -> Problem:
    """No reading fits (the judging edition numbers the measure otherwise), or several do."""
    if len(parsed) == 1:
        measure, module, evidence = parsed[0]
        event = module.event_date(envelope, evidence)
        reference = reference_for(policy, envelope, measure, event, as_of)
        assert reference.edition is not None  # names_it holds without an edition
        now = reference.edition.by_identity(measure.identity)
        if now is not None:
            return Problem(
                code="measure",
                path=f"{root}.measure",
                message=f"依所适用的《{reference.edition.title}》({reference.edition.code}版),"
                f"该措施的编号为{now.code},不是{code}",
            )
        return Problem(
            code="measure",
            path=f"{root}.measure",
            message=f"所适用的政策版本({reference.edition.code}版)中没有措施{code}",
        )
    return Problem(
        code="measure",
        path=f"{root}.measure",
        message=f"措施编号{code}在不同政策版本中指不同措施,按申报内容无法确定所适用的版本",
    )
