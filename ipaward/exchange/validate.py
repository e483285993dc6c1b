"""Read and validate exchange-format files: all problems at once, each with its JSON path.

A file is valid only if every application in it is; callers store nothing otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ipaward.config.departments import Jurisdiction
from ipaward.config.edition import Measure
from ipaward.config.policy import Policy
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence
from ipaward.exchange.identities import ItemKind, identities
from ipaward.exchange.measure_reading import read_measure
from ipaward.exchange.problems import (
    MAX_PROBLEMS,
    InvalidApplications,
    Problem,
    capped,
    json_path,
    problems_from,
)
from ipaward.exchange.reader import DEFAULT_LIMITS, InputLimits, read_json
from ipaward.exchange.reference import ANNUAL, Reference
from ipaward.measures.definition import MeasureDefinition


@dataclass(frozen=True, kw_only=True)
class ValidApplication:
    """One checked application, with the edition that judges it."""

    path: str
    envelope: ApplicationEnvelope
    evidence: Evidence
    jurisdiction: Jurisdiction
    reference: Reference
    definition: MeasureDefinition  # the measure's module: evidence, keys, formulas
    raw: dict[str, Any]

    @property
    def measure(self) -> str:
        """The clause number the application names (the edition's code, e.g. M07)."""
        return self.envelope.measure

    @property
    def identity(self) -> str:
        """The measure's own identity, the same in every edition (ledger keys, caps)."""
        return self.definition.identity


def load_json(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> tuple[list[object], bool]:
    """The file's applications, and whether it held an array (limits: reader.py)."""
    data = read_json(path, limits)
    if isinstance(data, list):
        return data, True
    return [data], False


def validate_file(
    path: Path, policy: Policy, *, as_of: dt.date, limits: InputLimits = DEFAULT_LIMITS
) -> list[ValidApplication]:
    items, is_array = load_json(path, limits)
    return validate_items(items, policy, as_of=as_of, array=is_array)


def validate_items(
    items: list[object], policy: Policy, *, as_of: dt.date, array: bool
) -> list[ValidApplication]:
    if array and not items:
        raise InvalidApplications([Problem(code="empty", path="$", message="数组中没有申请")])
    problems: list[Problem] = []
    valid: list[ValidApplication] = []
    unchecked: int | None = None  # enough problems to act on: the rest is not even checked
    for index, item in enumerate(items):
        if len(problems) >= MAX_PROBLEMS:
            unchecked = index
            break
        root = f"$[{index}]" if array else "$"
        checked = _validate_one(item, root, policy, as_of, problems)
        if checked is not None:
            valid.append(checked)
    if unchecked is not None:
        problems = problems[:MAX_PROBLEMS]
        problems.append(
            Problem(
                code="too_many_problems",
                path=f"$[{unchecked}]",
                message=f"另有问题未列出(自第{unchecked + 1}份申请起未再检查);请先改正以上问题",
            )
        )
    if problems:
        raise InvalidApplications(capped(problems, MAX_PROBLEMS + 1))
    return valid


def _validate_one(
    item: object, root: str, policy: Policy, as_of: dt.date, problems: list[Problem]
) -> ValidApplication | None:
    if not isinstance(item, dict):
        problems.append(Problem(code="dict_type", path=root, message="每份申请应为JSON对象"))
        return None
    try:
        envelope: ApplicationEnvelope | None = ApplicationEnvelope.model_validate(item)
    except ValidationError as error:
        problems.extend(problems_from(error, root))
        envelope = None
    reading = read_measure(item, root, policy, as_of, envelope, problems)
    if envelope is None or reading is None:
        return None
    measure = (reading.reference.edition or policy.current(as_of)).measures.get(envelope.measure)
    found = _semantic_problems(envelope, reading.evidence, measure or reading.measure, root)
    found += reading.definition.problems(envelope, reading.evidence, root)
    jurisdiction = policy.directory.jurisdiction_named(envelope.applicant.jurisdiction)
    if jurisdiction is None:
        names = "、".join(policy.directory.jurisdiction_names())
        found.append(
            Problem(
                code="jurisdiction",
                path=f"{root}.applicant.jurisdiction",
                message=f"“{envelope.applicant.jurisdiction}”不在漳州市辖区内;应为:{names}",
            )
        )
    problems.extend(found)
    if found or jurisdiction is None:
        return None
    return ValidApplication(
        path=root,
        envelope=envelope,
        evidence=reading.evidence,
        jurisdiction=jurisdiction,
        reference=reading.reference,
        definition=reading.definition,
        raw=item,
    )


def _semantic_problems(
    envelope: ApplicationEnvelope, evidence: Evidence, measure: Measure, root: str
) -> list[Problem]:
    problems: list[Problem] = []

    def add(code: str, loc: tuple[int | str, ...], message: str) -> None:
        problems.append(Problem(code=code, path=json_path(root, loc), message=message))

    if envelope.applicant.kind not in measure.applicant_kinds:
        allowed = "、".join(sorted(measure.applicant_kinds))
        add(
            "applicant_kind", ("applicant", "kind"), f"措施{measure.code}的申请人类型应为:{allowed}"
        )
    if measure.kind == ANNUAL and envelope.year is None:
        add("missing", ("year",), f"措施{measure.code}按年度结算,须填写year(奖励年度)")
    allowed_documents = set(measure.required_documents) | set(measure.optional_documents)
    for index, document in enumerate(envelope.documents):
        if document.kind not in allowed_documents:
            add(
                "document_kind",
                ("documents", index, "kind"),
                f"“{document.kind}”不是措施{measure.code}的材料类型;应为:{'、'.join(sorted(allowed_documents))}",
            )
    known = {*evidence.item_ids(), envelope.applicant.uscc}
    kinds = evidence.item_kinds() | {ItemKind.USCC}
    for index, award in enumerate(envelope.other_awards):
        if not identities(award.item, kinds) & known:
            add(
                "other_award_item",
                ("other_awards", index, "item"),
                f"“{award.item}”不是本申请证据中的项目,也不是申请人的统一社会信用代码",
            )
    return problems
