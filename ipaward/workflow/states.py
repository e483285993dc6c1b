"""Application states (declared in `ipaward.lifecycle.states`, named here for short) and the
stages every route may use."""

from __future__ import annotations

from collections.abc import Mapping

from ipaward import labels
from ipaward.lifecycle.states import ApplicationState

A = ApplicationState
SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED = A.SUBMITTED, A.CORRECTION_REQUESTED, A.RESUBMITTED
IN_REVIEW, AWAITING_CYCLE, PUBLICITY = A.IN_REVIEW, A.AWAITING_CYCLE, A.PUBLICITY
PAID, REJECTED, WITHDRAWN = A.PAID, A.REJECTED, A.WITHDRAWN

FINAL_STATES = frozenset({PAID, REJECTED, WITHDRAWN})
OPEN_STATES = frozenset(
    {SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED, AWAITING_CYCLE, IN_REVIEW, PUBLICITY}
)

PUBLICITY_STAGE = "publicity"
OBJECTION_STAGE = "objection_review"
FINANCE_STAGE = "finance"

# The stages code itself names (routes name theirs in the editions); all are labelled.
DECLARED_STAGES = ("lead_review", "countersign", PUBLICITY_STAGE, OBJECTION_STAGE, FINANCE_STAGE)
# Read from config/labels.toml: the one catalogue of what a person reads.
STATE_NAMES: Mapping[str, str] = labels.group("application_states")
STAGE_NAMES: Mapping[str, str] = labels.group("stages")
