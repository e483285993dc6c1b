"""How a path of states is declared (django-viewflow's nodes, Prefect's orchestration rules):
each transition names its sources, its target, who may fire it, the audit action it writes
and the notice kinds it may issue. Nothing outside a declaration moves a subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ipaward.lifecycle.states import label


class Role(StrEnum):
    """Who stands behind a move (the actor string says which department or person)."""

    SYSTEM = "system"  # the automated steps of the route (advance, the yearly list, payment)
    APPLICANT = "applicant"
    DEPARTMENT = "department"  # an officer deciding a work item of their department
    PUBLIC = "public"  # a real-name objection during 公示
    OPERATOR = "operator"  # an operator's command (opening a list early, re-running a step)


ROLE_LABELS = {
    Role.SYSTEM: "系统",
    Role.APPLICANT: "申请人",
    Role.DEPARTMENT: "承办部门",
    Role.PUBLIC: "异议人",
    Role.OPERATOR: "运维人员",
}


@dataclass(frozen=True, kw_only=True)
class Transition:
    name: str
    label: str  # what the move is called in Chinese
    sources: frozenset[StrEnum]  # empty: the transition creates the subject
    target: StrEnum
    fired_by: frozenset[Role]
    audit_action: str
    notices: frozenset[str] = frozenset()  # notice kinds this move may issue


class TransitionRefused(Exception):
    """A move its declaration does not allow: the wrong state, or the wrong role."""


@dataclass(frozen=True)
class Path:
    """One kind of subject: its table, states and declared transitions."""

    subject: str  # the audit log's entity (application, cycle, programme)
    model: type[Any]  # the ORM class whose rows move
    states: type[StrEnum]
    transitions: Mapping[str, Transition]

    def transition(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise LookupError(f"{self.subject}: no transition {name!r} is declared") from None

    def check(self, transition: Transition, *, ref: str, state: str | None, by: Role) -> None:
        """Refuse a move the declaration does not allow, in Chinese."""
        if by not in transition.fired_by:
            raise TransitionRefused(f"{ROLE_LABELS[by]}不能{transition.label}({ref})")
        if transition.sources and state not in transition.sources:
            shown = label(self.states(state)) if state in set(self.states) else str(state)
            raise TransitionRefused(f"{ref}当前为“{shown}”,不能{transition.label}")


def declare(
    subject: str, model: type[Any], states: type[StrEnum], *transitions: Transition
) -> Path:
    """A path whose transitions only name its own states (checked once, at import)."""
    for transition in transitions:
        for state in (*transition.sources, transition.target):
            if not isinstance(state, states):
                raise TypeError(f"{subject}.{transition.name}: {state!r} is not a {states}")
    return Path(subject, model, states, {t.name: t for t in transitions})
