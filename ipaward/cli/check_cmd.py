"""`ipaward check`: the config loads, and which go-live placeholders are still set.

Exit 0 when the config is ready, 1 while any placeholder remains (so a deployment script
can stop on it), 2 when the config itself is wrong. The list is `go_live_placeholders`, the
same one the dashboard shows.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ipaward.cli.output import console, fail_config, print_json
from ipaward.config import ConfigError, load_policy
from ipaward.go_live import Placeholder, go_live_placeholders
from ipaward.notices.channels import load_channels
from ipaward.settings import load_settings
from ipaward.workflow.context import load_procedure


def placeholders_or_exit() -> list[Placeholder]:
    """Load every config file as the services do; a config error exits 2 naming file and key."""
    config_dir = load_settings().config_dir
    try:
        policy = load_policy(config_dir)
        procedure = load_procedure(config_dir)
        load_channels(config_dir)
        return go_live_placeholders(policy, procedure, config_dir=config_dir)
    except ConfigError as error:
        fail_config(error)
        raise  # unreachable: fail_config exits


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of a table.")
        ] = False,
    ) -> None:
        """Check the config and list every placeholder still to be set before go-live."""
        found = placeholders_or_exit()
        if as_json:
            print_json({"ready": not found, "placeholders": [p.as_dict() for p in found]})
        elif not found:
            console.print("配置检查通过：上线前须设置的事项均已设置。")
        else:
            table = Table(title=f"配置可以加载，但尚有{len(found)}项上线前须设置的占位内容")
            for column in ("事项", "说明", "设置位置"):
                table.add_column(column, overflow="fold")
            for placeholder in found:
                table.add_row(
                    placeholder.topic, escape(placeholder.detail), escape(placeholder.where)
                )
            console.print(table)
        if found:
            raise typer.Exit(code=1)
