"""One typed settings object, read from the environment once per call site that needs it."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
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
    runner: str = "flows.dispatch"  # the Prefect side's module, named here, never imported
    # PostgreSQL least privilege (docs/scale-out.md): who migrates, and the role that owns
    # the schema. Unset, migrations run as `database_url`'s user, as on SQLite.
    migration_url: str | None = None
    owner_role: str = "ipaward_owner"

    @property
    def separate_roles(self) -> bool:
        """Whether migrations run as the owner role while the application connects as another."""
        return self.migration_url is not None and self.migration_url != self.database_url

    @property
    def sqlite_path(self) -> Path:
        return self.home / "ipaward.sqlite3"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """IPAWARD_HOME (default ./var), IPAWARD_DATABASE_URL, IPAWARD_CONFIG_DIR, IPAWARD_RUNNER,
    and for PostgreSQL's least privilege IPAWARD_MIGRATION_URL and IPAWARD_DB_OWNER_ROLE."""
    source = os.environ if env is None else env
    home = Path(source.get("IPAWARD_HOME", "var")).resolve()
    config_dir = Path(source.get("IPAWARD_CONFIG_DIR", str(PROJECT_ROOT / "config"))).resolve()
    url = source.get("IPAWARD_DATABASE_URL") or f"sqlite:///{home / 'ipaward.sqlite3'}"
    runner = source.get("IPAWARD_RUNNER") or Settings.runner
    return Settings(
        home=home,
        database_url=url,
        config_dir=config_dir,
        runner=runner,
        migration_url=source.get("IPAWARD_MIGRATION_URL") or None,
        owner_role=source.get("IPAWARD_DB_OWNER_ROLE") or "ipaward_owner",
    )


def prefect_startup_seconds(env: Mapping[str, str] | None = None) -> float:
    """How long to wait for a Prefect API to come up (IPAWARD_PREFECT_STARTUP_SECONDS): the
    ephemeral server, the test harness and `serve`'s server all use this one setting, long
    enough for a machine whose cores are busy with other work."""
    source = os.environ if env is None else env
    return float(source.get("IPAWARD_PREFECT_STARTUP_SECONDS") or DEFAULT_PREFECT_STARTUP_SECONDS)


PREFECT_LOGGING_FILE = "prefect-logging.yml"


def prefect_logging_path(settings: Settings) -> Path:
    """The shipped logging config (config/prefect-logging.yml); a config folder may carry its own."""
    own = settings.config_dir / PREFECT_LOGGING_FILE
    return own if own.exists() else PROJECT_ROOT / "config" / PREFECT_LOGGING_FILE


def prefect_environment(
    settings: Settings | None = None, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The Prefect settings every process of the project runs with, as environment variables.

    Prefect reads them when it is imported (logging) or first asked (the rest), so a process
    sets them before `import prefect`. The start-up wait comes from the one setting, a busy
    machine being normal; analytics stay off (their telemetry write locked Prefect's SQLite);
    the console shows warnings only while run logs still reach the API at INFO (the UI's logs
    tab); Prefect's home lives under the project's home."""
    source = os.environ if env is None else env
    settings = settings or load_settings(source)
    return {
        "PREFECT_HOME": str(settings.home / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": str(
            math.ceil(prefect_startup_seconds(source))
        ),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_SETTINGS_PATH": str(prefect_logging_path(settings)),
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    }


def apply_prefect_environment(settings: Settings | None = None) -> dict[str, str]:
    """Put `prefect_environment` into os.environ where nothing is set yet (an operator's own
    value wins); call it before Prefect is imported. Returns what the process now uses."""
    for key, value in prefect_environment(settings).items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    return {key: os.environ[key] for key in prefect_environment(settings)}
