"""Everything the workflow needs besides the session: policy, settings, calendar, channels."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ipaward.config.config_errors import ConfigError
from ipaward.config.edition import Measure
from ipaward.config.policy import Policy, load_policy
from ipaward.config.reader import TableReader
from ipaward.config.schedules import ScheduleConfig, load_schedules
from ipaward.db.models import Application
from ipaward.exchange.reader import DEFAULT_LIMITS, MIB, InputLimits
from ipaward.notices.channels import Channel, load_channels
from ipaward.settings import Settings, load_settings
from ipaward.workdays import WorkingCalendar, load_calendar


@dataclass(frozen=True, kw_only=True)
class Procedure:
    correction_working_days: int
    max_document_bytes: int
    system_actor: str
    objection_address: str
    objection_phone: str
    reconsideration_authority: str
    annual_measures_in_cycle: bool
    # 催办: level 2 (to the lead unit) this many working days after the due date; when the
    # overdue department is the lead unit itself, level 2 goes to `escalation_unit`.
    escalation_working_days: int = 5
    escalation_unit: str = "city.ip_leading_group"
    # the 补正 deadline an officer may set, in official working days (both ends included)
    correction_working_days_range: tuple[int, int] = (1, 60)
    # how much one application file may hold (size, nesting, integer digits)
    input_limits: InputLimits = DEFAULT_LIMITS


def load_procedure(config_dir: Path) -> Procedure:
    path = config_dir / "workflow.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    table = TableReader(raw, file=path, key="")
    table.only(
        [
            "correction_working_days",
            "max_document_bytes",
            "system_actor",
            "objection_address",
            "objection_phone",
            "reconsideration_authority",
            "annual_measures_in_cycle",
            "escalation_working_days",
            "escalation_unit",
            "correction_working_days_min",
            "correction_working_days_max",
            *INPUT_LIMITS,
        ]
    )
    days, size = (
        table.optional_int("correction_working_days"),
        table.optional_int("max_document_bytes"),
    )
    if not days or not size:
        raise table.fail("correction_working_days", "both limits are required and above 0")
    allowed = _correction_range(table, days)
    return Procedure(
        correction_working_days=days,
        max_document_bytes=size,
        system_actor=table.text("system_actor"),
        objection_address=table.text("objection_address"),
        objection_phone=table.text("objection_phone"),
        reconsideration_authority=table.text("reconsideration_authority"),
        annual_measures_in_cycle=table.flag("annual_measures_in_cycle"),
        escalation_working_days=table.optional_int("escalation_working_days") or 5,
        escalation_unit=table.text("escalation_unit", "city.ip_leading_group"),
        correction_working_days_range=allowed,
        input_limits=_input_limits(table),
    )


MAX_CORRECTION_WORKING_DAYS = 250  # about a year of working days: a deadline must stay near


def _correction_range(table: TableReader, default: int) -> tuple[int, int]:
    """The range an officer's 补正 deadline must fall in; the default deadline lies inside."""
    low = table.optional_int("correction_working_days_min")
    high = table.optional_int("correction_working_days_max")
    low, high = 1 if low is None else low, 60 if high is None else high
    if low < 1:
        raise table.fail("correction_working_days_min", "at least 1 working day")
    if high > MAX_CORRECTION_WORKING_DAYS:
        raise table.fail(
            "correction_working_days_max", f"at most {MAX_CORRECTION_WORKING_DAYS} working days"
        )
    if not low <= default <= high:
        raise table.fail(
            "correction_working_days",
            f"must lie within correction_working_days_min … _max ({low} … {high})",
        )
    return low, high


# key → (lowest, highest, why): a limit outside makes no sense for an application file
INPUT_LIMITS = {
    "max_application_file_bytes": (1024, 64 * MIB, "1 KiB … 64 MiB (the file is read whole)"),
    "max_json_depth": (8, 200, "8 … 200 (an application nests about 5 deep; below Python's stack)"),
    "max_json_integer_digits": (
        13,
        18,
        "13 … 18 (an amount up to 10^12 has 13 digits; 18 always fits 64 bits)",
    ),
}


def _input_limits(table: TableReader) -> InputLimits:
    values: dict[str, int] = {}
    for key, (low, high, reason) in INPUT_LIMITS.items():
        value = table.optional_int(key)
        if value is not None and not low <= value <= high:
            raise table.fail(key, f"must lie within {reason}")
        if value is not None:
            values[key] = value
    default = DEFAULT_LIMITS
    return InputLimits(
        max_bytes=values.get("max_application_file_bytes", default.max_bytes),
        max_depth=values.get("max_json_depth", default.max_depth),
        max_integer_digits=values.get("max_json_integer_digits", default.max_integer_digits),
    )


@dataclass(frozen=True, kw_only=True)
class WorkflowContext:
    policy: Policy
    settings: Settings
    calendar: WorkingCalendar
    channels: tuple[Channel, ...]
    procedure: Procedure
    schedules: ScheduleConfig

    @property
    def files_root(self) -> Path:
        return self.settings.home / "files"

    def measure_of(self, application: Application) -> Measure:
        """The application's measure as the edition that judges it has it."""
        return self.policy.edition(application.edition).measure(application.measure)


def load_context(settings: Settings | None = None) -> WorkflowContext:
    """Load every config file once; raises ConfigError naming file and key."""
    settings = settings or load_settings()
    config = settings.config_dir
    return WorkflowContext(
        policy=load_policy(config),
        settings=settings,
        calendar=load_calendar(config),
        channels=tuple(load_channels(config)),
        procedure=load_procedure(config),
        schedules=load_schedules(config),
    )
