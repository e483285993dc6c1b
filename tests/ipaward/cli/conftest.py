"""Run the real `ipaward` command in-process against a temporary home."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ipaward.cli import app

RunCli = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("IPAWARD_CONFIG_DIR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")  # no Prefect server for CLI tests
    return home


@pytest.fixture
def run_cli(home: Path) -> RunCli:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
