"""advance ZZIP-…: take one application from where it stands to its next human gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow

from ipaward import clock
from tasks.advance import advance_one
from tasks.notices import deliver_notices
from tasks.reporting import publish_report


@flow(name="advance-application", flow_run_name="advance {number}")
def advance_application(number: str, today: dt.date | None = None) -> dict[str, Any]:
    """Checks → assessment → route → notices; stops where a department or the applicant acts."""
    report = advance_one(number, today or clock.today())
    deliver_notices(report["notice_ids"])
    publish_report(report)
    return report
