"""Officers' web accounts: `ipaward user add | list | disable | enable`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from ipaward.cli.output import console, errors

users = typer.Typer(help="部门经办人账号(网页待办)", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    return password


@users.command("add")
def add(
    dept: Annotated[str, typer.Option("--dept", help="Department code (config), or operator.")],
    name: Annotated[str, typer.Option("--name", help="The officer's name, recorded on decisions.")],
    username: Annotated[
        str | None, typer.Option("--username", help="Login name (default: --name).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account; its department decides what it sees and may act on."""
    from ipaward.cli.workflow_cmd import context_or_exit
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.web.accounts import AccountError, create_user

    ctx = context_or_exit()
    ensure_schema(ctx.settings)
    password = _read_password(password_stdin)
    try:
        with session_scope(ctx.settings) as session:
            user = create_user(
                session,
                username=username or name,
                display_name=name,
                department=dept,
                password=password,
                known_departments=ctx.policy.directory.departments,
            )
            login = user.username
    except AccountError as error:
        errors.print(f"[red]未创建:[/red]{error}")
        raise typer.Exit(code=1) from None
    console.print(f"已创建账号 {login}({dept} · {name})")


@users.command("list")
def list_users() -> None:
    """Every account with its department and whether it may log in."""
    from ipaward.db.models import User
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.settings import load_settings

    settings = load_settings()
    ensure_schema(settings)
    table = Table(title="经办人账号")
    for column in ("用户名", "姓名", "部门", "状态"):
        table.add_column(column)
    with session_scope(settings) as session:
        for user in session.scalars(select(User).order_by(User.department, User.username)):
            table.add_row(
                user.username, user.display_name, user.department, "启用" if user.active else "停用"
            )
    console.print(table)


def _set_active(username: str, active: bool) -> None:
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.settings import load_settings
    from ipaward.web.accounts import AccountError, set_active

    settings = load_settings()
    ensure_schema(settings)
    try:
        with session_scope(settings) as session:
            set_active(session, username=username, active=active)
    except AccountError as error:
        errors.print(f"[red]未更改:[/red]{error}")
        raise typer.Exit(code=1) from None
    console.print(f"账号 {username} 已{'启用' if active else '停用(其登录会话已结束)'}")


@users.command("disable")
def disable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Stop an account from logging in and end its sessions."""
    _set_active(username, False)


@users.command("enable")
def enable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    _set_active(username, True)


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="user")
