"""The Chinese an officer reads in a table, from the maps the web pages and notices use.

Tables never show a stored value such as `correction_requested`; `--json` keeps the stored
values (stable keys for scripts). Every map here is imported from where it is kept, so a
label changed there changes here too. A value no map knows is shown as is rather than hidden.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ipaward.config import ConfigError, Policy, load_policy
from ipaward.lifecycle.declared import ROLE_LABELS
from ipaward.lifecycle.paths import PATHS
from ipaward.lifecycle.states import AnnualListState, label
from ipaward.workflow.outcomes import OUTCOME_NAMES
from ipaward.workflow.states import STAGE_NAMES, STATE_NAMES

LIST_STATES = {state.value: label(state) for state in AnnualListState}
ACTIONS: dict[str, str] = {}
for _path in PATHS:
    for _move in _path.transitions.values():
        ACTIONS.setdefault(_move.audit_action, _move.label)
ROLES = {role.value: name for role, name in ROLE_LABELS.items()}


def state(value: object) -> str:
    """An application's state, e.g. `correction_requested` → 待补正."""
    return STATE_NAMES.get(str(value), str(value or "—"))


NO_LIST = "none"  # cycles.report.CycleReport: the year has no list (yet)


def list_state(value: object) -> str:
    """An annual list's state, e.g. `budget_stop` → 超出预算暂停; no list yet → 尚无名单."""
    if value in (None, NO_LIST):
        return "尚无名单"
    return LIST_STATES.get(str(value), str(value))


def stage(value: object) -> str:
    """A route stage, e.g. `lead_review` → 牵头单位审核; none → —."""
    return STAGE_NAMES.get(str(value), str(value)) if value else "—"


# The web's maps are imported when a table is drawn: ipaward.web.filters brings jinja2 and the
# notices package, a second of start-up that `--help` and `--version` need not pay.


def outcome(value: object) -> str:
    return OUTCOME_NAMES.get(str(value), str(value)) if value else ""


def work_item_state(value: object) -> str:
    from ipaward.web.filters import WORK_ITEM_STATE_NAMES

    return WORK_ITEM_STATE_NAMES.get(str(value), str(value))


def notice_kind(value: object) -> str:
    """A notice's kind, e.g. `acceptance` → its document title."""
    from ipaward.web.filters import KIND_NAMES

    return KIND_NAMES.get(str(value), str(value))


def line_status(value: object) -> str:
    """An annual list line's status, e.g. `excepted` → its label in config/labels.toml."""
    from ipaward.labels import label

    return label(str(value), "line_states")


@cache
def _policy_in(config_dir: Path) -> Policy | None:
    try:
        return load_policy(config_dir)
    except ConfigError:  # the command itself reports a broken config; a label is no place
        return None


def _policy() -> Policy | None:
    """The configured policy, read once per config folder (names of measures and units)."""
    from ipaward.settings import load_settings

    return _policy_in(load_settings().config_dir)


def measure(code: object) -> str:
    """`M07` → `M07 盘活存量专利` (the latest edition that has the code)."""
    policy = _policy()
    for edition in reversed(policy.editions if policy else []):
        found = edition.measures.get(str(code))
        if found is not None:
            return f"{code} {found.title}"
    return str(code)


def department(code: object) -> str:
    """A department's short name, e.g. `city.finance` → 市财政局; unknown codes as they are."""
    policy = _policy()
    found = policy.directory.departments.get(str(code)) if policy else None
    return found.short if found else str(code)


def action(value: object) -> str:
    """An audit action, e.g. `application.submit` → 提交申请 (its declared transition)."""
    return ACTIONS.get(str(value), str(value))


def actor(value: object) -> str:
    """`system` → 系统, `applicant` → 申请人; an officer's own name stays."""
    return ROLES.get(str(value), str(value))


def waiting(entry: object) -> str:
    """One `waiting_on` entry: a department code, or `applicant(…)` / `publicity(…)`."""
    head, bracket, rest = str(entry).partition("(")
    if head in ROLES:
        return f"{ROLES[head]}{bracket}{rest}"
    if head in STAGE_NAMES:
        return f"{STAGE_NAMES[head]}{bracket}{rest}"
    return department(entry)


def departments(codes: object) -> str:
    """Whom something waits on, 、-joined; none → —."""
    names = [waiting(code) for code in codes] if isinstance(codes, list) else []
    return "、".join(names) or "—"
