"""`ipaward serve`: the web app, a local Prefect server and the served deployments (ipaward.serve)."""

from __future__ import annotations

from typing import Annotated

import typer

from ipaward.cli import numbers


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[
            str, typer.Option("--host", help="Where the web app listens.")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option("--port", help="The web app's port.", parser=numbers.PORT)
        ] = 8000,
        prefect_port: Annotated[
            int,
            typer.Option(
                "--prefect-port",
                help="The local Prefect server's port.",
                parser=numbers.PREFECT_PORT,
            ),
        ] = 4200,
    ) -> None:
        """Everything one machine needs; without PREFECT_API_URL also a local Prefect server.
        Ctrl-C (or SIGTERM) stops all of it."""
        from ipaward.serve import main

        argv = ["--host", host, "--port", str(port), "--prefect-port", str(prefect_port)]
        raise typer.Exit(code=main(argv))
