"""The Chinese an officer reads in a table, from the maps the web pages and notices use.

Tables never show a stored value such as `correction_requested`; `--json` keeps the stored
values (stable keys for scripts). Every map here is imported from where it is kept, so a
label changed there changes here too. A value no map knows is shown as is rather than hidden.
"""

from __future__ import annotations

from ipaward.config.policy import Policy
from ipaward.lifecycle.states import LABELS, AnnualListState
from ipaward.web.filters import OUTCOME_NAMES, WORK_ITEM_STATE_NAMES
from ipaward.web.reads.yearly import STATUS_NAMES
from ipaward.workflow.states import STAGE_NAMES, STATE_NAMES

LIST_STATES = {state.value: LABELS[state] for state in AnnualListState}


def state(value: object) -> str:
    """An application's state, e.g. `correction_requested` → 待补正."""
    return STATE_NAMES.get(str(value), str(value or "—"))


def list_state(value: object) -> str:
    """An annual list's state, e.g. `budget_stop` → 超出预算暂停."""
    return LIST_STATES.get(str(value), str(value or "—"))


def stage(value: object) -> str:
    """A route stage, e.g. `lead_review` → 牵头单位审核; none → —."""
    return STAGE_NAMES.get(str(value), str(value)) if value else "—"


def outcome(value: object) -> str:
    return OUTCOME_NAMES.get(str(value), str(value)) if value else ""


def work_item_state(value: object) -> str:
    return WORK_ITEM_STATE_NAMES.get(str(value), str(value))


def line_status(value: object) -> str:
    """An annual list line's status, e.g. `excepted` → 例外(单独审核)."""
    return STATUS_NAMES.get(str(value), str(value))


def measure(policy: Policy, code: object) -> str:
    """`M07` → `M07 盘活存量专利` (the latest edition that has the code)."""
    for edition in reversed(policy.editions):
        found = edition.measures.get(str(code))
        if found is not None:
            return f"{code} {found.title}"
    return str(code)


def department(policy: Policy, code: object) -> str:
    """A department's short name; a jurisdiction code the directory lacks is shown as is."""
    try:
        return policy.directory.department(str(code)).short
    except (KeyError, LookupError):
        return str(code)
