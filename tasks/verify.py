"""The records check as a task: `ipaward.verify` on the configured database, in a snapshot."""

from __future__ import annotations

from typing import Any

from prefect import task

from ipaward.settings import load_settings


@task(name="verify records")
def verify_records() -> dict[str, Any]:
    """The report as JSON-able data plus its markdown (the artifact's text)."""
    from ipaward.verify import verify_database

    report = verify_database(load_settings().database_url)
    return {**report.as_dict(), "markdown": report.markdown()}
