"""A fresh home and database per test, and a Workbench that drives the workflow in it.

`bench` runs a test on SQLite and on PostgreSQL (through the shared `database_url`
fixture); `sqlite_bench` on the embedded default only, for slower or single-dialect tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.workbench import Workbench, open_workbench

OpenBench = Callable[..., Workbench]


@pytest.fixture
def open_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenBench]:
    """Open a workbench on a given database and config folder (closed after the test)."""
    opened: list[Workbench] = []

    def open_(*, database_url: str | None = None, config_dir: Path | None = None) -> Workbench:
        bench = open_workbench(
            tmp_path, monkeypatch, database_url=database_url, config_dir=config_dir
        )
        opened.append(bench)
        return bench

    yield open_
    for bench in opened:
        bench.close()


@pytest.fixture
def bench(database_url: str, open_bench: OpenBench) -> Workbench:
    """SQLite and PostgreSQL."""
    return open_bench(database_url=database_url)


@pytest.fixture
def sqlite_bench(open_bench: OpenBench) -> Workbench:
    """The embedded default: SQLite under IPAWARD_HOME."""
    return open_bench()
