"""A fresh home and database per test (`bench`: SQLite and PostgreSQL; `sqlite_bench`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.workbench import Workbench, open_workbench


@pytest.fixture
def bench(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workbench]:
    opened = open_workbench(tmp_path, monkeypatch, database_url=database_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    opened = open_workbench(tmp_path, monkeypatch)
    yield opened
    opened.close()
