"""Verify benches: the cycle bench on SQLite and PostgreSQL (see tests/ipaward/cycles)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ipaward.cycles.support import CycleBench, closing, open_cycle_bench


@pytest.fixture
def bench(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch, database_url=database_url))
