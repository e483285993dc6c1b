"""Helpers for the CLI-habits tests: a home with a workbench, submitting, `--json` runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from ipaward.cli import app
from tests.ipaward.cli.conftest import RunCli
from tests.support.applications import example
from tests.support.workbench import Workbench, runtime_workbench

FILED = "2025-09-15"


def inline_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    """A workbench on the CLI's home, follow-ups carried out inline (no Prefect)."""
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    yield from runtime_workbench(tmp_path, monkeypatch)


def submitted(run_cli: RunCli, bench: Workbench, name: str = "m07_university_transfers") -> str:
    path = bench.write(example(name))
    result = run_cli("submit", "--json", "--as-of", FILED, str(path))
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    return str(row["number"])


def as_json(run_cli: RunCli, *args: str) -> object:
    """Run with --json: exit 0 and stdout is one JSON document, Chinese unescaped."""
    result = run_cli(*args, "--json")
    assert result.exit_code == 0, (args, result.output)
    assert "\\u" not in result.stdout, args
    return json.loads(result.stdout)


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as typed after `ipaward`."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]
    for name, command in getattr(root, "commands", {}).items():
        paths.append([name])
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths
