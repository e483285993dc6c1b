"""The deployments of ipaward, defined once: `prefect.yaml` is generated from them (for
`prefect deploy --all` onto a process work pool) and `ipaward serve` serves them from this
module (`python -m flows.deployments`), both with the schedules of config/schedules.toml.

    .venv/bin/python -m flows.deployments --write-yaml   # regenerate prefect.yaml
    .venv/bin/python -m flows.deployments                # serve them (ipaward serve does)
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ipaward.config.schedules import ScheduleConfig
from ipaward.config.schedules import load_schedules as load_config_schedules

ROOT = Path(__file__).resolve().parent.parent
# Runs of one deployment at a time (more wait, ENQUEUE): one of each list, batch, sweep and
# daily job. Commands' own follow-ups run as background tasks on the task worker (its `limit`).
ONE_AT_A_TIME = 1
PREFECT_YAML = ROOT / "prefect.yaml"


@dataclass(frozen=True, kw_only=True)
class Scheduled:
    slug: str
    cron: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One deployment: `flow_name/name` is what run_deployment and the UI call it."""

    name: str
    flow_name: str
    entrypoint: str  # path:function, relative to the repository
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)
    schedules: tuple[Scheduled, ...] = ()
    concurrency_limit: int = ONE_AT_A_TIME

    @property
    def full_name(self) -> str:
        return f"{self.flow_name}/{self.name}"


def load_schedules(config_dir: Path | None = None) -> ScheduleConfig:
    folder = config_dir or Path(os.environ.get("IPAWARD_CONFIG_DIR", ROOT / "config"))
    return load_config_schedules(folder)


def specs(config: ScheduleConfig) -> list[Spec]:
    cron = config.crons
    return [
        Spec(
            name="every-few-minutes",
            flow_name="follow-up-sweep",
            entrypoint="flows/follow_up.py:sweep",
            description="Follow-up requests left waiting or come due (公示 ends, 补正 deadlines, "
            "settlement days), carried out in chunks; Failed naming any that failed.",
            schedules=(Scheduled(slug="sweep", cron=cron["follow_up_sweep"]),),
        ),
        Spec(
            name="daily-open",
            flow_name="advance-batch",
            entrypoint="flows/batch.py:advance_batch",
            description="Every open application moves on (公示 and 补正 deadlines), in chunks.",
            schedules=(Scheduled(slug="daily", cron=cron["advance_open"]),),
        ),
        Spec(
            name="yearly",
            flow_name="annual-settlement",
            entrypoint="flows/cycle.py:annual_settlement",
            description="Every annual measure's list of the previous year (the edition judging "
            "that year says which), settled in one run; decisions move a list on in between.",
            schedules=(Scheduled(slug="yearly", cron=cron["annual_settlement"]),),
        ),
        Spec(
            name="daily",
            flow_name="open-cycles",
            entrypoint="flows/cycle.py:advance_open_cycles",
            description="Lists waiting on 公示 or payment move on.",
            schedules=(Scheduled(slug="daily", cron=cron["open_cycles"]),),
        ),
        Spec(
            name="daily",
            flow_name="reminders",
            entrypoint="flows/reminders.py:daily_reminders",
            description="催办 of overdue work items (official working days).",
            schedules=(Scheduled(slug="daily", cron=cron["reminders"]),),
        ),
        Spec(
            name="daily",
            flow_name="programme-year",
            entrypoint="flows/programme.py:programme_year",
            description="The programme measures' yearly work: assign → report → compile.",
            schedules=(Scheduled(slug="daily", cron=cron["programme"]),),
        ),
        Spec(
            name="yearly",
            flow_name="m18-report",
            entrypoint="flows/m18_report.py:m18_yearly_report",
            description="措施十八: the previous year's assessment report, as an artifact.",
            schedules=(Scheduled(slug="yearly", cron=cron["m18_report"]),),
        ),
        Spec(
            name="daily",
            flow_name="verify-records",
            entrypoint="flows/verify.py:verify_daily",
            description="`ipaward verify`: the audit chain recomputed, ledger, caps, decisions "
            "and notice numbers reconciled; the result and the chain head as an artifact; "
            "Failed naming the first broken row.",
            schedules=(Scheduled(slug="daily", cron=cron["verify_records"]),),
        ),
    ]


def prefect_yaml(config: ScheduleConfig) -> str:
    """The text of prefect.yaml (generated: a test checks the file equals this)."""
    document = {
        "name": "ipaward",
        "prefect-version": "3.9.1",
        "build": None,
        "push": None,
        "pull": [
            {
                "prefect.deployments.steps.set_working_directory": {
                    "directory": "{{ $IPAWARD_ROOT }}"
                }
            }
        ],
        "deployments": [
            {
                "name": spec.name,
                "entrypoint": spec.entrypoint,
                "description": spec.description,
                "tags": ["ipaward"],
                "parameters": spec.parameters,
                "concurrency_limit": spec.concurrency_limit,
                "work_pool": {"name": config.work_pool},
                "schedules": [
                    {
                        "cron": s.cron,
                        "timezone": config.timezone,
                        "slug": s.slug,
                        "active": True,
                        **({"parameters": s.parameters} if s.parameters else {}),
                    }
                    for s in spec.schedules
                ],
            }
            for spec in specs(config)
        ],
    }
    header = (
        "# Deployments of ipaward for `prefect deploy --all` (a process work pool; see\n"
        "# docs/scale-out.md). GENERATED from flows/deployments.py and config/schedules.toml:\n"
        "#   .venv/bin/python -m flows.deployments --write-yaml\n"
        "# Workers run the flows from the repository named by IPAWARD_ROOT.\n"
    )
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def load_flow(entrypoint: str) -> Any:
    path, _, function = entrypoint.partition(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, function)


def runner_deployments(config: ScheduleConfig) -> list[Any]:
    """The same deployments as RunnerDeployments, for `prefect.serve` (no work pool)."""
    from prefect.schedules import Cron

    return [
        load_flow(spec.entrypoint).to_deployment(
            name=spec.name,
            description=spec.description,
            parameters=spec.parameters,
            tags=["ipaward"],
            concurrency_limit=spec.concurrency_limit,
            schedules=[
                Cron(s.cron, timezone=config.timezone, slug=s.slug, parameters=s.parameters)
                for s in spec.schedules
            ],
        )
        for spec in specs(config)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--write-yaml", action="store_true", help="regenerate prefect.yaml")
    args = parser.parse_args(argv)
    config = load_schedules()
    if args.write_yaml:
        PREFECT_YAML.write_text(prefect_yaml(config), encoding="utf-8")
        print(f"wrote {PREFECT_YAML}")
        return 0
    from prefect import serve

    serve(*runner_deployments(config), print_starting_message=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
