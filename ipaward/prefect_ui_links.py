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
from urllib.parse import quote, urlencode
from uuid import UUID

DEFAULT_UI_URL = "http://127.0.0.1:4200"
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


def runs_url(base: str, *tags: str, span: dt.timedelta = RUNS_SPAN) -> str:
    """The runs page showing the flow runs that carry every one of `tags`, over `span` back."""
    query = [("tag", tag) for tag in tags]
    query += [("type", "span"), ("seconds", str(-int(span.total_seconds())))]
    return f"{base.rstrip('/')}/runs?{urlencode(query, quote_via=quote)}"


def application_runs_url(base: str, number: str) -> str:
    """Every flow run tagged with the application (`app:<number>`)."""
    return runs_url(base, f"app:{number}")
