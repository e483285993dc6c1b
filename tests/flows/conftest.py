"""Real Prefect flow runs against ONE test server for the whole session: `prefect_api`
(tests/support/prefect_api.py, registered in tests/conftest.py), about 10 s to start and
waited for as long as the project's start-up setting allows. Every test gets its own ipaward
home (SQLite), and the task runtime forgets cached engines and config around it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.workbench import Workbench, runtime_workbench


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
