"""From the submitted decision form to decide()'s arguments, checked against the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from ipaward.web.errors import BadForm
from ipaward.web.forms import text, texts
from ipaward.workflow.decisions import OUTCOMES

MAX_COMMENT = 4000


@dataclass(frozen=True, kw_only=True)
class DecisionForm:
    """What the officer typed; kept to re-fill the form when the decision is refused."""

    outcome: str
    version: int
    comment: str
    documents: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    fields: str = ""
    deadline_days: int | None = None
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

    def exception_lines(self) -> list[str]:
        return [
            line.strip().replace("：", ":", 1)
            for line in self.exceptions.splitlines()
            if line.strip()
        ]


def parse_decision(form: FormData, *, document_kinds: list[str]) -> DecisionForm:
    outcome = text(form, "outcome")
    if outcome not in OUTCOMES:
        raise BadForm("未知的办理决定")
    version = text(form, "version")
    if not version.isdigit():
        raise BadForm("表单缺少版本号,请刷新页面后重试")
    comment = text(form, "comment").strip()
    if len(comment) > MAX_COMMENT:
        raise BadForm(f"意见不能超过{MAX_COMMENT}字")
    documents = [k for k in dict.fromkeys(texts(form, "documents")) if k]
    unknown = [k for k in documents if k not in document_kinds]
    if unknown:
        raise BadForm("所选补正材料不属于该申请")
    deadline = text(form, "deadline_days").strip()
    if deadline and not deadline.isdigit():
        raise BadForm("补正期限应为工作日天数")
    return DecisionForm(
        outcome=outcome,
        version=int(version),
        comment=comment,
        documents=documents,
        reasons={k: text(form, f"reason-{k}").strip() for k in documents},
        fields=text(form, "fields")[:MAX_COMMENT],
        deadline_days=int(deadline) if deadline else None,
        exceptions=text(form, "exceptions")[:MAX_COMMENT],
    )
