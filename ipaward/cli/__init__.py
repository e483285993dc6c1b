"""The `ipaward` command line (typer + rich)."""

from ipaward.cli.main import app

__all__ = ["app"]
