"""`ipaward serve` (the web app, a local Prefect server, the served deployments; ipaward.serve)
and `ipaward prefect-setup` (the operators' failure automation; ipaward.prefect_setup)."""

from __future__ import annotations

from typing import Annotated

import typer

from ipaward.cli import numbers
from ipaward.cli.output import JsonFlag, console, print_json


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[
            str, typer.Option("--host", help="Where the web app listens.", metavar="地址")
        ] = "127.0.0.1",
        port: Annotated[
            int,
            typer.Option("--port", help="The web app's port.", parser=numbers.PORT, metavar="端口"),
        ] = 8000,
        prefect_port: Annotated[
            int,
            typer.Option(
                "--prefect-port",
                help="The local Prefect server's port.",
                parser=numbers.PREFECT_PORT,
                metavar="端口",
            ),
        ] = 4200,
    ) -> None:
        """Everything one machine needs; without PREFECT_API_URL also a local Prefect server.
        Ctrl-C (or SIGTERM) stops all of it."""
        from ipaward.serve import main

        argv = ["--host", host, "--port", str(port), "--prefect-port", str(prefect_port)]
        raise typer.Exit(code=main(argv))

    @app.command("prefect-setup")
    def prefect_setup_command(
        web: Annotated[
            str,
            typer.Option(
                "--web", help="The web app's address ({web} in operators.toml).", metavar="网址"
            ),
        ] = "http://127.0.0.1:8000",
        as_json: JsonFlag = False,
    ) -> None:
        """Keep the project's Prefect automation (notify operators of failed or crashed runs of
        the deployments) on the Prefect API; running it again updates, never duplicates."""
        from ipaward.prefect_setup import describe, prefect_setup
        from ipaward.settings import load_settings

        result = prefect_setup(load_settings(), web=web)
        if as_json:
            print_json(
                {
                    "automation_id": str(result.automation_id),
                    "block_document_id": str(result.block_document_id),
                    "created": result.created,
                    "target_is_mailbox": result.target_is_mailbox,
                    "message": describe(result),
                }
            )
            return
        console.print(describe(result))
