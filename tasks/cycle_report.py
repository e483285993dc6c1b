"""What an operator sees of a cycle run: a markdown artifact keyed by measure and year."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact

from ipaward.cycles.list_report import CycleReport
from tasks.reporting import _artifact_key


@task(name="publish cycle report")
def publish_cycle_report(report: dict[str, Any]) -> None:
    """The cycle's state, its lines per status and what this run did."""
    fields = {k: v for k, v in report.items() if k in CycleReport.__dataclass_fields__}
    create_markdown_artifact(
        key=_artifact_key(f"cycle-{report['measure']}"),
        markdown=CycleReport(**fields).markdown(),
        description=f"annual cycle {report['measure']} {report['year']}",
    )
