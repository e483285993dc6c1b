"""Start the advance flow for an application after a decision, tagged for operators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import tags
from sqlalchemy import select

from flows.advance import advance_application
from ipaward.db.models import Application
from tasks.runtime import transaction


def run_advance(number: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """In-process on the embedded default (Prefect's ephemeral API or PREFECT_API_URL)."""
    with transaction() as session:
        measure = session.scalar(select(Application.measure).where(Application.number == number))
    if measure is None:
        raise LookupError(f"没有申请{number}")
    with tags(f"app:{number}", f"measure:{measure}"):
        result: dict[str, Any] = advance_application(number, today)
    return result
