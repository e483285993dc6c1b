"""verify-records: the daily `ipaward verify`, its result published where it leaves the
database (a markdown artifact with a stable key, carrying the chain's head); Failed when
any record is broken, naming the first broken row."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from tasks.verify import verify_records

ARTIFACT_KEY = "records-verification"


class RecordsBroken(RuntimeError):
    """A record no longer agrees with the audit chain; the message names the first."""


@flow(name="verify-records", flow_run_name="verify records")
def verify_daily() -> dict[str, Any]:
    """Run the check, publish it, fail when broken (the result stays in the artifact)."""
    result = verify_records()
    head = result["head"]
    create_markdown_artifact(
        key=ARTIFACT_KEY,
        markdown=result["markdown"],
        description=(
            f"记录核验:{'通过' if result['clean'] else '未通过'};"
            + (f"链头 {head['id']}:{head['hash']}" if head else "审计链为空")
        ),
    )
    if not result["clean"]:
        first = result["problems"][0]
        raise RecordsBroken(f"记录核验未通过({len(result['problems'])}处):{first['message']}")
    return {key: value for key, value in result.items() if key != "markdown"}
