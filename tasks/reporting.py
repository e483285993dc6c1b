"""What an operator sees of a batch run: a table artifact saying what happened to each one."""

from __future__ import annotations

import re
import string
from typing import Any

from prefect import task
from prefect.artifacts import create_table_artifact

ASCII_KEY = frozenset(string.ascii_lowercase + string.digits)


def _artifact_key(text: str) -> str:
    """Artifact keys allow lower-case letters, digits and dashes only."""
    kept = "".join(ch if ch in ASCII_KEY else "-" for ch in text.lower())
    return re.sub("-+", "-", kept).strip("-") or "run"


@task(name="publish batch report")
def publish_batch(reports: list[dict[str, Any]], *, title: str) -> None:
    rows = [
        {
            "申请": r["number"],
            "状态": r.get("state", ""),
            "环节": r.get("stage") or "",
            "等待": "、".join(r.get("waiting_on", [])),
            "本次": ";".join(r.get("steps", [])) or r.get("error", ""),
        }
        for r in reports
    ]
    # One key per flow: each run adds a version of the same artifact (not a new key a day).
    create_table_artifact(
        key=_artifact_key(title.split()[0] + "-batch"), table=rows, description=title
    )
