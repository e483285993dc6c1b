"""From the submitted decision form to decide()'s arguments, checked against the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from ipaward.bounds import VERSIONS, whole_number, within
from ipaward.labels import field_label, label
from ipaward.web.error_pages import BadForm
from ipaward.web.forms import text, texts
from ipaward.workflow.decisions import OUTCOMES
from ipaward.workflow.limits import deadline_refusal

MAX_COMMENT = 4000
MAX_REASON = 500
MAX_DEADLINE_TEXT = 100  # what is kept of a typed deadline (a number needs far fewer)


@dataclass(frozen=True, kw_only=True)
class DecisionForm:
    """What the officer typed; kept to re-fill the form when the decision is refused."""

    outcome: str
    version: int | None  # None: missing or not a version number
    comment: str
    documents: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)  # ticked evidence paths of the measure
    deadline: str = ""  # 补正期限 as typed: refilled as it was when the form is refused
    exceptions: str = ""  # an annual list's lines taken out: "NUMBER:reason" per line

    def items(self) -> list[str]:
        """补正 items as decide() reads them and stores them: `documents[kind]:reason`,
        `evidence.path:reason` (paths stay the stored form; pages and notices show labels)."""
        lines = [f"documents[{kind}]:{self.reasons.get(kind, '')}" for kind in self.documents]
        lines += [f"{path}:{self.reasons.get(path, '')}" for path in self.fields]
        return lines

    @property
    def deadline_days(self) -> int | None:
        """The 补正 deadline in working days; None when left empty (the configured default)."""
        return whole_number(self.deadline) if self.deadline else None

    def exception_lines(self) -> list[str]:
        return [
            line.strip().replace("：", ":", 1)
            for line in self.exceptions.splitlines()
            if line.strip()
        ]


def parse_decision(form: FormData) -> DecisionForm:
    """What was typed, never refused here: a refused form is shown again as the officer left it."""
    version = whole_number(text(form, "version"))
    # as many ticks as the form has boxes: the form reader already bounds the field count
    documents = [k for k in dict.fromkeys(texts(form, "documents")) if k]
    fields = [k for k in dict.fromkeys(texts(form, "fields")) if k]
    return DecisionForm(
        outcome=text(form, "outcome"),
        version=version if within(version, VERSIONS) else None,
        comment=text(form, "comment").strip(),
        documents=documents,
        reasons={k: text(form, f"reason-{k}").strip()[:MAX_REASON] for k in documents + fields},
        fields=fields,
        deadline=text(form, "deadline_days").strip()[:MAX_DEADLINE_TEXT],
        exceptions=text(form, "exceptions")[:MAX_COMMENT],
    )


def check_decision(
    typed: DecisionForm,
    *,
    document_kinds: list[str],
    correction_range: tuple[int, int],
    evidence_fields: list[str] | None = None,
    identity: str | None = None,
) -> None:
    """Refuse (BadForm) what no decision can be made of; decide() checks the rest again.
    A 补正 names only the measure's own checklist documents and evidence fields, each with
    its reason; a refusal names the item as the officer reads it."""
    if typed.outcome not in OUTCOMES:
        raise BadForm("未知的办理决定")
    if typed.version is None:
        raise BadForm("表单缺少版本号,请刷新页面后重试")
    if len(typed.comment) > MAX_COMMENT:
        raise BadForm(f"意见不能超过{MAX_COMMENT}字")
    if typed.outcome == "return":
        _check_items(typed, document_kinds, evidence_fields or [], identity)
    if typed.outcome == "return" and typed.deadline:
        days = whole_number(typed.deadline)
        if days is None or not within(days, correction_range):
            raise BadForm(deadline_refusal(typed.deadline, correction_range))


def _check_items(
    typed: DecisionForm, kinds: list[str], fields: list[str], identity: str | None
) -> None:
    for kind in typed.documents:
        name = label(kind, "documents")
        if kind not in kinds:
            raise BadForm(f"“{name}”不在本申请所属措施的材料清单中,不能要求补正")
        if not typed.reasons.get(kind):
            raise BadForm(f"请填写“{name}”需补正的问题")
    for path in typed.fields:
        name = field_label(path, identity)
        if path not in fields:
            raise BadForm(f"“{name}”不是本申请所属措施的填报事项,不能要求补正")
        if not typed.reasons.get(path):
            raise BadForm(f"请填写“{name}”需补正的问题")
    if not typed.documents and not typed.fields:
        raise BadForm("退回补正须至少勾选一项需补正的材料或填报事项,并写明问题")
