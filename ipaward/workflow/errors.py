"""Refusals a person can act on: each message says what is wrong in the officer's words."""

from __future__ import annotations


class WorkflowError(Exception):
    """An action that cannot be taken now; nothing was changed."""


class NotFound(WorkflowError):
    pass


class NotYourWorkItem(WorkflowError):
    """A department may act on its own work items only."""


class WorkItemClosed(WorkflowError):
    pass


class ConcurrentDecision(WorkflowError):
    """Someone decided this work item after it was read: the second decision is refused."""


class InvalidAction(WorkflowError):
    pass
