"""Links from the project into the Prefect UI, built in one place.

The UI is wherever the configured address says (PREFECT_UI_URL; `ipaward serve` sets it to
its own Prefect server's port), never a hard-coded 4200. Prefect 3.9 serves two UIs: the
classic one at `/` and the new one under `/v2` (the default only for a bare `/`). Deep links
here use the classic UI's routes, which every 3.x server answers and which Prefect's own
`prefect.utilities.urls.url_for` also builds:

- one run: `/runs/flow-run/<id>`;
- runs by tag: `/runs?tag=<tag>` (repeat `tag` for several; `?tags=` is ignored) with a
  date range `type=span&seconds=-N` (N seconds back from now), because without one the page
  shows only the past week. Read from the UI bundle's route filter
  (prefect/server/ui/assets: `useRouteQueryParam('tag', [])`, `type`, `seconds`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode
from uuid import UUID

import httpx

from ipaward.repository.runs import RunRef

DEFAULT_UI_URL = "http://127.0.0.1:4200"
TIMEOUT = httpx.Timeout(1.5)
# Runs of the policy's whole validity (2024-02-02 to 2029-02-01) and a year of late payments.
RUNS_SPAN = dt.timedelta(days=6 * 366)


def ui_url(env: Mapping[str, str] | None = None) -> str:
    """PREFECT_UI_URL; else the UI beside PREFECT_API_URL (what Prefect itself assumes); else
    the local default. No trailing slash."""
    source = os.environ if env is None else env
    configured = source.get("PREFECT_UI_URL")
    if configured:
        return configured.rstrip("/")
    api = (source.get("PREFECT_API_URL") or "").rstrip("/")
    if api.endswith("/api"):
        return api.removesuffix("/api")
    return DEFAULT_UI_URL


def flow_run_url(base: str, flow_run_id: str | UUID) -> str:
    """One flow run's page (state, logs, task runs, artifacts)."""
    return f"{base.rstrip('/')}/runs/flow-run/{quote(str(flow_run_id), safe='')}"


def task_run_url(base: str, task_run_id: str | UUID) -> str:
    """A background task run's page (a follow-up handed over after a command)."""
    return f"{base.rstrip('/')}/runs/task-run/{quote(str(task_run_id), safe='')}"


def run_url(base: str, run: RunRef) -> str:
    """The page of a recorded run (ipaward/repository/runs.py): a flow run, or a task run."""
    if run.flow_run_id:
        return flow_run_url(base, run.flow_run_id)
    return task_run_url(base, str(run.task_run_id))


def runs_url(base: str, *tags: str, span: dt.timedelta = RUNS_SPAN) -> str:
    """The runs page showing the flow runs that carry every one of `tags`, over `span` back."""
    query = [("tag", tag) for tag in tags]
    query += [("type", "span"), ("seconds", str(-int(span.total_seconds())))]
    return f"{base.rstrip('/')}/runs?{urlencode(query, quote_via=quote)}"


def application_runs_url(base: str, number: str) -> str:
    """Every flow run tagged with the application (`app:<number>`)."""
    return runs_url(base, f"app:{number}")


@dataclass(frozen=True, kw_only=True)
class RunLink:
    """A recorded run as `ipaward status --json` lists it (`flow_runs`)."""

    id: str
    name: str
    state: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "state": self.state, "url": self.url}


def run_links(runs: list[RunRef], *, ui: str, api: str | None) -> list[RunLink]:
    """Each recorded run with its state as Prefect's REST API reports it now: a short timeout,
    and "unknown" when Prefect does not answer (never an error in front of a person)."""
    links = []
    with httpx.Client(timeout=TIMEOUT) as client:
        for run in runs:
            kind = "flow_runs" if run.flow_run_id else "task_runs"
            run_id = str(run.flow_run_id or run.task_run_id)
            state = _state(client, f"{api.rstrip('/')}/{kind}/{run_id}") if api else "unknown"
            links.append(RunLink(id=run_id, name=run.name, state=state, url=run_url(ui, run)))
    return links


def _state(client: httpx.Client, url: str) -> str:
    try:
        response = client.get(url)
        response.raise_for_status()
        state = response.json().get("state") or {}
        return str(state.get("name") or state.get("type") or "unknown")
    except (httpx.HTTPError, ValueError):
        return "unknown"
