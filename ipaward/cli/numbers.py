"""Whole-number options checked as they are parsed: one Chinese line and exit 2 otherwise.

click's own `min`/`max` answer in English inside a usage box; an officer reads one line that
names the option and its range, and the command has not started (nothing is stored).
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.markup import escape

from ipaward import bounds
from ipaward.cli.output import errors, fail_config
from ipaward.config.config_errors import ConfigError

Parser = Callable[[object], int]
Bounds = tuple[int, int] | Callable[[], tuple[int, int]]


def bounded(option: str, label: str, allowed: Bounds, *, unit: str = "") -> Parser:
    """A typer `parser=` for `option`: an int inside `allowed` (a pair, or read when needed)."""

    def parse(value: object) -> int:
        number = value if isinstance(value, int) else bounds.whole_number(str(value))
        limits = allowed() if callable(allowed) else allowed
        if number is None or not bounds.within(number, limits):
            message = bounds.range_message(label, limits, unit=unit, got=value)
            errors.print(f"[red]参数错误[/red] {escape(option)}:{escape(message)}")
            raise typer.Exit(code=2)
        return number

    parse.__name__ = "integer"  # the metavar --help shows (INTEGER)
    return parse


def correction_range() -> tuple[int, int]:
    """config/workflow.toml's 补正 deadline range; a config error is reported like elsewhere."""
    from ipaward.workflow.limits import correction_range as configured

    try:
        return configured()
    except ConfigError as error:
        fail_config(error)  # file and key, exit 2
        raise


WORK_ITEM = bounded("ITEM", "待办事项编号", bounds.IDS)
VERSION = bounded("--version", "版本号", bounds.VERSIONS)
DEADLINE_DAYS = bounded("--deadline-days", "补正期限", correction_range, unit="个工作日")
YEAR = bounded("--year", "年度", bounds.YEARS)
PORT = bounded("--port", "端口", bounds.PORTS)
PREFECT_PORT = bounded("--prefect-port", "Prefect端口", bounds.PORTS)
SEED = bounded("--seed", "随机种子", bounds.SEEDS)
