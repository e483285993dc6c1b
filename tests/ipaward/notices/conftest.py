"""Fixtures of the notice tests: a home folder per test and the repository's config."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipaward.settings import PROJECT_ROOT, Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        home=tmp_path / "home",
        database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        config_dir=PROJECT_ROOT / "config",
    )


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """An empty config folder for tests that write their own notices.toml."""
    folder = tmp_path / "config"
    folder.mkdir()
    return folder
