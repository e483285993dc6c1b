"""`ipaward db-roles`: PostgreSQL least privilege, set up once by whoever may create roles."""

from __future__ import annotations

import typer
from rich.markup import escape
from sqlalchemy.engine import make_url

from ipaward.cli.output import JsonFlag, console, errors, print_json


def shown_url(url: str) -> str:
    """A database URL fit to print: never its password."""
    return make_url(url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    @app.command("db-roles")
    def db_roles(as_json: JsonFlag = False) -> None:
        """Create the owner and app roles, hand the schema to the owner, migrate, grant.

        Run with IPAWARD_MIGRATION_URL (a superuser, or CREATEROLE and the database's owner)
        and IPAWARD_DATABASE_URL naming the app's login role (its password, if any, is set
        from that URL); IPAWARD_DB_OWNER_ROLE names the owner (default ipaward_owner)."""
        from ipaward.db.roles import RolesError, set_up_roles
        from ipaward.services.database import ensure_schema
        from ipaward.settings import load_settings

        settings = load_settings()
        if settings.migration_url is None:
            errors.print("[red]未设置:[/red]IPAWARD_MIGRATION_URL(有建角色权限的管理账号)")
            raise typer.Exit(code=1)
        try:
            app_role = set_up_roles(
                settings.migration_url, settings.database_url, owner=settings.owner_role
            )
        except RolesError as error:
            errors.print(f"[red]未设置角色:[/red]{escape(str(error))}")
            raise typer.Exit(code=1) from None
        ensure_schema(settings)
        if as_json:
            print_json(
                {
                    "owner_role": settings.owner_role,
                    "app_role": app_role,
                    "database_url": shown_url(settings.database_url),
                }
            )
            return
        console.print(
            f"数据库角色已就绪:属主 {escape(settings.owner_role)}(不可登录)拥有全部表;"
            f"应用 {escape(app_role)} 只有 ipaward/db/privileges.py 所列权限"
            f"({escape(shown_url(settings.database_url))})"
        )
