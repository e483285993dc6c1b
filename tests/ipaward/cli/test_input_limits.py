"""Every command that reads an application file applies the configured limits, refuses with
one row per problem (exit 1) and stores nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ipaward.settings import PROJECT_ROOT
from tests.ipaward.cli.conftest import RunCli

M07 = PROJECT_ROOT / "ipaward" / "examples" / "m07_university_transfers.json"
COMMANDS = {
    "assess": ["assess"],
    "submit": ["submit", "--no-advance"],
    "resubmit": ["resubmit", "ZZIP-2024-M07-000001"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_hundred_thousand_brackets_are_refused_by_every_command(
    run_cli: RunCli, tmp_path: Path, home: Path, command: str
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_cli(*COMMANDS[command], str(path))
    assert result.exit_code == 1
    assert "too_deep" in result.output and "嵌套超过64层" in result.output
    assert not (home / "ipaward.sqlite3").exists()  # nothing was even opened


def test_the_size_limit_comes_from_the_config(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    toml = config / "workflow.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "max_application_file_bytes = 5242880", "max_application_file_bytes = 2048"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(config))
    assert M07.stat().st_size > 2048
    result = run_cli("assess", "--json", str(M07))
    assert result.exit_code == 1
    [problem] = json.loads(result.output)["problems"]
    assert problem["code"] == "file_too_large" and "2,048字节" in problem["message"]


def test_a_correction_file_must_hold_one_application(run_cli: RunCli, tmp_path: Path) -> None:
    data = json.loads(M07.read_text(encoding="utf-8"))
    path = tmp_path / "two.json"
    path.write_text(json.dumps([data, data], ensure_ascii=False), encoding="utf-8")
    result = run_cli("resubmit", "ZZIP-2024-M07-000001", str(path))
    assert result.exit_code == 1 and "补正文件应只含一份申请" in result.output
