"""Links into the Prefect UI and the last known state of a run, for the runs recorded on an
application (ipaward/repository/runs.py): what an operator clicks from the application page,
and what `ipaward status --json` lists as `flow_runs`.

Reads Prefect's REST API over HTTP (a short timeout): a page never waits long for Prefect,
and a Prefect that is away shows as 状态未知, never as an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

from ipaward.repository.runs import RunRef

DEFAULT_UI_URL = "http://127.0.0.1:4200"
TIMEOUT = httpx.Timeout(1.5)


def ui_url(env: dict[str, str] | None = None) -> str:
    """PREFECT_UI_URL, else the API's address without /api, else the local default."""
    source = os.environ if env is None else env
    if source.get("PREFECT_UI_URL"):
        return source["PREFECT_UI_URL"].rstrip("/")
    api = source.get("PREFECT_API_URL", "").rstrip("/")
    return api.removesuffix("/api") if api else DEFAULT_UI_URL


def run_url(ui: str, run: RunRef) -> str:
    """The run's own page: a flow run, or a background task run."""
    if run.flow_run_id:
        return f"{ui}/runs/flow-run/{run.flow_run_id}"
    return f"{ui}/runs/task-run/{run.task_run_id}"


@dataclass(frozen=True, kw_only=True)
class RunLink:
    id: str
    name: str
    state: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "state": self.state, "url": self.url}


def run_links(runs: list[RunRef], *, ui: str, api: str | None) -> list[RunLink]:
    """Each recorded run with its state as Prefect reports it now ("unknown" when it cannot)."""
    links = []
    with httpx.Client(timeout=TIMEOUT) as client:
        for run in runs:
            path = (
                f"flow_runs/{run.flow_run_id}"
                if run.flow_run_id
                else f"task_runs/{run.task_run_id}"
            )
            links.append(
                RunLink(
                    id=str(run.flow_run_id or run.task_run_id),
                    name=run.name,
                    state=_state(client, f"{api.rstrip('/')}/{path}") if api else "unknown",
                    url=run_url(ui, run),
                )
            )
    return links


def _state(client: httpx.Client, url: str) -> str:
    try:
        response = client.get(url)
        response.raise_for_status()
        state = response.json().get("state") or {}
        return str(state.get("name") or state.get("type") or "unknown")
    except (httpx.HTTPError, ValueError):
        return "unknown"
