"""Task bodies called without Prefect (`.fn`), against a fresh embedded home; a test that
needs a Prefect API asks for the session's one `prefect_api` (never an ephemeral server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.workbench import Workbench, runtime_workbench


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    yield from runtime_workbench(tmp_path, monkeypatch)
