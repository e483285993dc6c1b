"""Application states and the stages every route may use."""

from __future__ import annotations

from collections.abc import Mapping

from ipaward import labels

SUBMITTED = "submitted"
CORRECTION_REQUESTED = "correction_requested"
RESUBMITTED = "resubmitted"
IN_REVIEW = "in_review"
AWAITING_CYCLE = "awaiting_cycle"  # annual measures: accepted, settled in the yearly cycle
PUBLICITY = "publicity"
PAID = "paid"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

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
