"""Read back what a flow run left on the Prefect API: the run, its task runs, its artifacts."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterName,
    FlowRunFilterStartTime,
)
from prefect.client.schemas.objects import Artifact, FlowRun, TaskRun


def flow_runs_named(name: str, *, since: dt.datetime) -> list[FlowRun]:
    """Runs of that name started after `since` (the test server is shared by the session)."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                name=FlowRunFilterName(any_=[name]),
                start_time=FlowRunFilterStartTime(after_=since),
            )
        )
    return sorted(runs, key=lambda run: run.start_time or since)


def flow_run(run_id: UUID) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def task_runs_of(run_id: UUID) -> list[TaskRun]:
    with get_client(sync_client=True) as client:
        return client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
        )


def artifacts_keyed(key: str) -> list[Artifact]:
    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
