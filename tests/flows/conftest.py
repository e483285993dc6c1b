"""Real Prefect flow runs against ONE test server for the whole session.

`prefect_test_harness` starts a temporary Prefect API (about 10 s), so it is session-scoped
and started only when a test here needs it; heartbeats are off, so a synchronous flow run
does not pay the extra second of joining the heartbeat thread. Every test gets its own
ipaward home (SQLite), and the task runtime forgets cached engines and config around it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.testing.utilities import prefect_test_harness

from tests.support.workbench import Workbench, runtime_workbench


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with (
        prefect_test_harness(),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@pytest.fixture
def bench(
    prefect_api: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workbench]:
    """A fresh embedded home that the flows' tasks find through IPAWARD_HOME."""
    yield from runtime_workbench(tmp_path, monkeypatch)


@pytest.fixture
def started() -> dt.datetime:
    """When the test started: runs of earlier tests (same application numbers) are older."""
    return dt.datetime.now(dt.UTC)
