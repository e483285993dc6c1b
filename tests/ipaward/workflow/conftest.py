"""A fresh home and database per test, and a Workbench that drives the workflow in it.

`bench` runs a test on SQLite and on PostgreSQL (through the shared `database_url`
fixture); `sqlite_bench` on the embedded default only, for slower or single-dialect tests.
"""

from __future__ import annotations

import pytest

from tests.conftest import OpenBench
from tests.support.workbench import Workbench


@pytest.fixture
def bench(database_url: str, open_bench: OpenBench) -> Workbench:
    """SQLite and PostgreSQL."""
    return open_bench(database_url=database_url)


@pytest.fixture
def sqlite_bench(open_bench: OpenBench) -> Workbench:
    """The embedded default: SQLite under IPAWARD_HOME."""
    return open_bench()
