"""After a command commits: its follow-up requests go to the background, and the person who
acted gets one line saying so. No person waits on Prefect.

The Prefect side is a module named by Settings.runner (IPAWARD_RUNNER, default
`flows.dispatch`): ipaward names it, never imports it in code, so the layers point one way. A hand-off that fails (the
Prefect server is down, a worker is away) changes nothing that was saved: the requests stay
pending and the sweeper carries them out when Prefect is back.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from ipaward.settings import apply_prefect_environment, load_settings

WAITING = "已保存。后续办理已排队,将由后台流程自动完成(后台流程暂不可用,恢复后继续)。"

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class HandOff:
    """What became of a command's follow-up: carried out already (inline), queued with
    Prefect, or waiting for the sweeper; `message` is the one line the person reads."""

    state: Literal["done", "queued", "waiting"]
    message: str
    reports: list[dict[str, Any]] = field(default_factory=list)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    run_id: str | None = None


def runner() -> Any:
    """The Prefect side's runner module (Settings.runner), with the project's Prefect
    environment in place first (Prefect reads it when it is imported)."""
    settings = load_settings()
    apply_prefect_environment(settings)
    return importlib.import_module(settings.runner)


def hand_off(request_ids: list[int | None], *, today: dt.date | None = None) -> HandOff:
    """Give the requests to the background; never raises."""
    ids = [request_id for request_id in request_ids if request_id is not None]
    if not ids:
        return HandOff(state="done", message="")
    try:
        result: HandOff = runner().hand_off(ids, today=today)
    except Exception:  # saved already; the sweeper carries the requests out later
        log.debug("hand-off of follow-up requests %s failed", ids, exc_info=True)
        return HandOff(state="waiting", message=WAITING)
    return result


def hand_off_applications(numbers: list[str], *, today: dt.date | None = None) -> HandOff:
    """After an applicant's command (resubmit, withdraw, object): its pending requests."""
    from ipaward.repository.follow_ups import pending_ids
    from ipaward.services.database import session_scope

    try:
        with session_scope(load_settings()) as session:
            ids: list[int | None] = list(pending_ids(session, numbers=numbers))
    except Exception:
        log.debug("reading follow-up requests of %s failed", numbers, exc_info=True)
        return HandOff(state="waiting", message=WAITING)
    return hand_off(ids, today=today)
