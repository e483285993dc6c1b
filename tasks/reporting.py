"""What an operator sees of a run: an artifact saying what happened, tags saying who is next."""

from __future__ import annotations

import re
import string
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

ASCII_KEY = frozenset(string.ascii_lowercase + string.digits)


def _artifact_key(text: str) -> str:
    """Artifact keys allow lower-case letters, digits and dashes only."""
    kept = "".join(ch if ch in ASCII_KEY else "-" for ch in text.lower())
    return re.sub("-+", "-", kept).strip("-") or "run"


@task(name="publish report")
def publish_report(report: dict[str, Any]) -> None:
    lines = [
        f"# {report['number']} ({report.get('measure', '')})",
        "",
        f"- 状态: {report.get('state', '')}",
        f"- 环节: {report.get('stage') or '—'}",
        f"- 等待: {'、'.join(report.get('waiting_on', [])) or '—'}",
        "",
        "## 本次推进",
        *(f"- {step}" for step in report.get("steps") or ["无变化(等待人工环节)"]),
    ]
    if report.get("error"):
        lines += ["", f"**错误**: {report['error']}"]
    create_markdown_artifact(
        key="advance-application",
        markdown="\n".join(lines),
        description=f"advance {report['number']}",
    )


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
