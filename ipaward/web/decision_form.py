"""From the submitted decision form to decide()'s arguments, checked against the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from ipaward.bounds import VERSIONS, whole_number, within
from ipaward.web.error_pages import BadForm
from ipaward.web.forms import text, texts
from ipaward.workflow.decisions import OUTCOMES
from ipaward.workflow.limits import deadline_refusal

MAX_COMMENT = 4000
MAX_DEADLINE_TEXT = 100  # what is kept of a typed deadline (a number needs far fewer)


@dataclass(frozen=True, kw_only=True)
class DecisionForm:
    """What the officer typed; kept to re-fill the form when the decision is refused."""

    outcome: str
    version: int | None  # None: missing or not a version number
    comment: str
    documents: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    fields: str = ""
    deadline: str = ""  # 补正期限 as typed: refilled as it was when the form is refused
    exceptions: str = ""  # an annual list's lines taken out: "NUMBER:reason" per line

    def items(self) -> list[str]:
        """补正 items as decide() reads them: `documents[kind]:reason`, `field:reason`."""
        lines = [
            f"documents[{kind}]" + (f":{self.reasons[kind]}" if self.reasons.get(kind) else "")
            for kind in self.documents
        ]
        for line in self.fields.splitlines():
            line = line.strip().replace("：", ":", 1)
            if line:
                lines.append(line)
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
    return DecisionForm(
        outcome=text(form, "outcome"),
        version=version if within(version, VERSIONS) else None,
        comment=text(form, "comment").strip(),
        documents=[k for k in dict.fromkeys(texts(form, "documents")) if k],
        reasons={k: text(form, f"reason-{k}").strip() for k in texts(form, "documents") if k},
        fields=text(form, "fields")[:MAX_COMMENT],
        deadline=text(form, "deadline_days").strip()[:MAX_DEADLINE_TEXT],
        exceptions=text(form, "exceptions")[:MAX_COMMENT],
    )


def check_decision(
    typed: DecisionForm, *, document_kinds: list[str], correction_range: tuple[int, int]
) -> None:
    """Refuse (BadForm) what no decision can be made of; decide() checks the rest again."""
    if typed.outcome not in OUTCOMES:
        raise BadForm("未知的办理决定")
    if typed.version is None:
        raise BadForm("表单缺少版本号,请刷新页面后重试")
    if len(typed.comment) > MAX_COMMENT:
        raise BadForm(f"意见不能超过{MAX_COMMENT}字")
    if any(k not in document_kinds for k in typed.documents):
        raise BadForm("所选补正材料不属于该申请")
    if typed.outcome == "return" and typed.deadline:
        days = whole_number(typed.deadline)
        if days is None or not within(days, correction_range):
            raise BadForm(deadline_refusal(typed.deadline, correction_range))
