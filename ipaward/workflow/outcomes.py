"""The decisions a department may record, with the Chinese names people read.

An objection review (异议复核) decides the objection, not the application: its outcomes
are their own, so the record says whether the objection stood, and the generic ones are
refused there (and the objection ones everywhere else).
"""

from __future__ import annotations

from ipaward.labels import label
from ipaward.workflow.states import OBJECTION_STAGE

APPROVE, REJECT, RETURN, COUNTERSIGN = "approve", "reject", "return", "countersign"
OBJECTION_UPHELD, OBJECTION_DISMISSED = "objection_upheld", "objection_dismissed"

# The Chinese names come from config/labels.toml, the one catalogue of what a person reads.
OUTCOME_NAMES = {
    outcome: label(outcome, "outcomes")
    for outcome in (APPROVE, REJECT, RETURN, COUNTERSIGN, OBJECTION_UPHELD, OBJECTION_DISMISSED)
}
OUTCOMES = tuple(OUTCOME_NAMES)
OBJECTION_OUTCOMES = (OBJECTION_UPHELD, OBJECTION_DISMISSED)
APPROVING = frozenset({APPROVE, COUNTERSIGN, OBJECTION_DISMISSED})
REJECTING = frozenset({REJECT, OBJECTION_UPHELD})
NEEDS_REASON = REJECTING | {OBJECTION_DISMISSED}


def outcome_refusal(outcome: str, stage: str) -> str | None:
    """Why `outcome` cannot be recorded at `stage` (Chinese), or None when it can."""
    if outcome not in OUTCOME_NAMES:
        return f"决定应为{'、'.join(OUTCOME_NAMES.values())}之一"
    name = OUTCOME_NAMES[outcome]
    if stage == OBJECTION_STAGE and outcome not in OBJECTION_OUTCOMES:
        return f"异议复核环节只能作出“异议成立”或“异议不成立”的决定,不能“{name}”"
    if stage != OBJECTION_STAGE and outcome in OBJECTION_OUTCOMES:
        return f"“{name}”只用于异议复核环节"
    if outcome == COUNTERSIGN and stage != "countersign":
        return "“会签”只用于责任单位会签环节;其他环节请用“同意”"
    return None


def reason_refusal(outcome: str, comment: str) -> str | None:
    """A refusal or an objection decision must say why (it goes into the notice and audit)."""
    if outcome in NEEDS_REASON and not comment.strip():
        return f"{OUTCOME_NAMES[outcome]}须写明理由(--comment)"
    return None
