"""`ipaward web`: only the web app under uvicorn, for development (`serve` runs everything)."""

from __future__ import annotations

from typing import Annotated

import typer

from ipaward.cli import numbers
from ipaward.cli.output import console


def register(app: typer.Typer) -> None:
    @app.command("web")
    def web(
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on.", metavar="地址")
        ] = "127.0.0.1",
        port: Annotated[
            int,
            typer.Option("--port", help="Port to listen on.", parser=numbers.PORT, metavar="端口"),
        ] = 8000,
        reload: Annotated[
            bool, typer.Option("--reload", help="Restart on code changes (development).")
        ] = False,
    ) -> None:
        """Run the officers' web pages (inbox, applications, dashboard) with uvicorn."""
        import uvicorn

        from ipaward.services.database import ensure_schema
        from ipaward.settings import load_settings

        settings = load_settings()
        ensure_schema(settings)
        console.print(f"网页待办: http://{host}:{port}/ (数据库 {settings.database_url})")
        uvicorn.run(
            "ipaward.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            reload=reload,
            proxy_headers=False,
            server_header=False,
        )
