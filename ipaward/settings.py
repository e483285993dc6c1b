"""One typed settings object, read from the environment once per call site that needs it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PREFECT_STARTUP_SECONDS = 600.0


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Where the system keeps its state and reads its policy config."""

    home: Path
    database_url: str
    config_dir: Path

    @property
    def sqlite_path(self) -> Path:
        return self.home / "ipaward.sqlite3"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """IPAWARD_HOME (default ./var), IPAWARD_DATABASE_URL, IPAWARD_CONFIG_DIR."""
    source = os.environ if env is None else env
    home = Path(source.get("IPAWARD_HOME", "var")).resolve()
    config_dir = Path(source.get("IPAWARD_CONFIG_DIR", str(PROJECT_ROOT / "config"))).resolve()
    url = source.get("IPAWARD_DATABASE_URL") or f"sqlite:///{home / 'ipaward.sqlite3'}"
    return Settings(home=home, database_url=url, config_dir=config_dir)


def prefect_startup_seconds(env: dict[str, str] | None = None) -> float:
    """How long to wait for a Prefect API to come up (IPAWARD_PREFECT_STARTUP_SECONDS): the
    ephemeral server, the test harness and `serve`'s server all use this one setting, long
    enough for a machine whose cores are busy with other work."""
    source = os.environ if env is None else env
    return float(source.get("IPAWARD_PREFECT_STARTUP_SECONDS") or DEFAULT_PREFECT_STARTUP_SECONDS)
