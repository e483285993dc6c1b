"""The Prefect environment every process runs with: one start-up wait, analytics off, quiet
console but run logs to the API, Prefect's home under the project's home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ipaward.settings import PROJECT_ROOT, apply_prefect_environment, prefect_environment


def test_the_environment_takes_the_wait_and_the_home_from_the_project_settings(
    tmp_path: Path,
) -> None:
    env = {"IPAWARD_HOME": str(tmp_path / "home"), "IPAWARD_PREFECT_STARTUP_SECONDS": "90.5"}
    prefect = prefect_environment(env=env)
    assert prefect["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "91"
    assert prefect["PREFECT_HOME"] == str(tmp_path / "home" / "prefect")
    assert prefect["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert "PREFECT_LOGGING_LEVEL" not in prefect  # WARNING there dropped every run log
    default = prefect_environment(env={"IPAWARD_HOME": str(tmp_path)})
    assert default["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "600"


def test_the_logging_file_keeps_the_console_quiet_and_sends_run_logs_at_info() -> None:
    path = Path(prefect_environment(env={})["PREFECT_LOGGING_SETTINGS_PATH"])
    assert path == PROJECT_ROOT / "config" / "prefect-logging.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["handlers"]["console"]["level"] == "WARNING"
    assert config["handlers"]["api"]["level"] == "INFO"
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        assert config["loggers"][name] == {"level": "INFO", "handlers": ["api"]}


def test_applying_it_never_overrides_what_an_operator_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    monkeypatch.delenv("PREFECT_HOME")
    used = apply_prefect_environment()
    assert used["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"
    assert os.environ["PREFECT_HOME"] == str(tmp_path / "prefect")
    assert (tmp_path / "prefect").is_dir()  # created before Prefect loads: no warning


def test_the_settings_module_does_not_import_prefect() -> None:
    code = "import sys, ipaward.settings; sys.exit('prefect' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT).returncode == 0


def test_prefect_loads_the_logging_file_when_the_environment_is_applied_first(
    tmp_path: Path,
) -> None:
    code = (
        "import logging; from ipaward.settings import apply_prefect_environment; "
        "apply_prefect_environment(); from prefect import flow; "
        "console = [h for h in logging.getLogger().handlers if h.get_name() == 'console'][0]; "
        "print(logging.getLogger('prefect.flow_runs').getEffectiveLevel(), console.level)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["IPAWARD_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == [str(20), str(30)], done.stderr  # INFO runs, WARNING console
