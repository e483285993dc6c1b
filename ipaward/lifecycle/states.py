"""The states each kind of subject can be in, with the Chinese a person reads.

The values are stored (and CHECKed by the database); the labels are what pages, notices and
tables show. A StrEnum compares equal to its value, so stored strings and members mix freely.
"""

from __future__ import annotations

from enum import StrEnum


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    RESUBMITTED = "resubmitted"
    IN_REVIEW = "in_review"
    AWAITING_CYCLE = "awaiting_cycle"  # annual measures: accepted, settled in the yearly list
    PUBLICITY = "publicity"
    PAID = "paid"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AnnualListState(StrEnum):
    BUILDING = "building"
    IN_REVIEW = "in_review"
    PUBLICITY = "publicity"
    BUDGET_STOP = "budget_stop"
    PAYING = "paying"
    DONE = "done"


class LineStatus(StrEnum):
    """A line of an annual list: on it, taken out onto its own route, refused, or paid."""

    INCLUDED = "included"
    EXCEPTED = "excepted"
    REFUSED = "refused"
    PAID = "paid"


class ProgrammeState(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


GROUPS: dict[type[StrEnum], str] = {
    ApplicationState: "application_states",
    AnnualListState: "list_states",
    LineStatus: "line_states",
    ProgrammeState: "programme_states",
}


def label(state: StrEnum) -> str:
    """The state's label from config/labels.toml (one catalogue for pages, notices, tables)."""
    from ipaward.labels import label as catalogue_label

    return catalogue_label(state.value, GROUPS[type(state)])
