"""What an operator sees of a run: an artifact saying what happened, tags saying who is next."""

from __future__ import annotations

import re
import string
from typing import Any
from uuid import UUID

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run

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
        key=_artifact_key(f"advance-{report['number']}"),
        markdown="\n".join(lines),
        description=f"advance {report['number']}",
    )
    waiting = [w for w in report.get("waiting_on", []) if "(" not in w]
    tag_run([f"dept:{d}" for d in waiting] + [f"state:{report.get('state', '')}"])


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
    create_table_artifact(key=_artifact_key(title), table=rows, description=title)


def tag_run(extra: list[str]) -> None:
    """Add tags to the current flow run so operators can filter by whom it waits on."""
    raw_id = flow_run.get_id()
    if raw_id is None:
        return
    run_id = UUID(str(raw_id))
    with get_client(sync_client=True) as client:
        current = client.read_flow_run(run_id).tags
        client.update_flow_run(run_id, tags=sorted({*current, *extra}))
