"""Run the advance flow after a command changed something.

Default: through Prefect (in-process; ephemeral API unless PREFECT_API_URL names a server),
so every advance is a flow run an operator can see. IPAWARD_ADVANCE=inline runs the same
domain steps without Prefect (a quick one-off command on a laptop).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

PREFECT_QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}


def _quiet_prefect() -> None:
    for key, value in PREFECT_QUIET.items():
        os.environ.setdefault(key, value)


def advance(numbers: list[str], *, today: dt.date) -> list[dict[str, Any]]:
    if not numbers:
        return []
    if os.environ.get("IPAWARD_ADVANCE", "prefect") == "inline":
        from tasks.advance import advance_number
        from tasks.notices import deliver_notices

        reports = [advance_number(number, today) for number in numbers]
        deliver_notices.fn([n for r in reports for n in r["notice_ids"]])
        return reports
    _quiet_prefect()
    if len(numbers) == 1:
        from flows.trigger import run_advance

        return [run_advance(numbers[0], today=today)]
    from flows.batch import advance_batch

    result: list[dict[str, Any]] = advance_batch(
        numbers, today, label=f"{len(numbers)} applications"
    )
    return result
