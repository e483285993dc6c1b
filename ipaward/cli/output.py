"""Printing helpers shared by the commands: one console, problems as a table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ipaward.config.config_errors import ConfigError
from ipaward.exchange.problems import Problem

console = Console()
errors = Console(stderr=True, soft_wrap=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail_with_problems(problems: Sequence[Problem], *, as_json: bool, source: str) -> None:
    """Report every validation problem with its JSON path, then exit 1 (nothing was stored)."""
    if as_json:
        print_json({"valid": False, "file": source, "problems": [p.as_dict() for p in problems]})
    else:
        table = Table(title=escape(f"{source}: 校验未通过,未保存任何申请"), show_lines=False)
        table.add_column("字段 (JSON path)", style="bold")
        table.add_column("问题")
        table.add_column("代码", style="dim")
        for problem in problems:
            table.add_row(escape(problem.path), escape(problem.message), problem.code)
        errors.print(table)
    raise typer.Exit(code=1)


def fail_config(error: ConfigError) -> None:
    errors.print(f"[red]配置错误[/red] {escape(str(error))}")
    raise typer.Exit(code=2)
