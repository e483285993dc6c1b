"""What changed between two versions of an application (shown after a resubmission)."""

from __future__ import annotations

from typing import Any

MISSING = "(无)"


def json_diff(before: Any, after: Any, path: str = "$") -> list[dict[str, Any]]:
    """Paths whose values differ, with the value before and after (lists compared by index)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(before) | set(after)):
            changes += json_diff(before.get(key, MISSING), after.get(key, MISSING), f"{path}.{key}")
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else MISSING
            new = after[index] if index < len(after) else MISSING
            changes += json_diff(old, new, f"{path}[{index}]")
        return changes
    return [] if before == after else [{"path": path, "before": before, "after": after}]
