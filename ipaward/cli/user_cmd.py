"""Officers' web accounts: `ipaward user add | list | disable | enable | reset`.

A password is checked against the rule and hashed before the database transaction opens:
argon2 inside SQLite's write transaction would hold every web decision meanwhile.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from ipaward.cli.natural import NaturalGroup
from ipaward.cli.output import JsonFlag, console, errors, print_json

users = typer.Typer(cls=NaturalGroup, help="部门经办人账号(网页待办)", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    return password


def cli_actor() -> str:
    """Who the audit log names for a change made at the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@users.command("add")
def add(
    dept: Annotated[
        str,
        typer.Option("--dept", help="Department code (config), or operator.", metavar="部门代码"),
    ],
    name: Annotated[
        str,
        typer.Option("--name", help="The officer's name, recorded on decisions.", metavar="姓名"),
    ],
    username: Annotated[
        str | None,
        typer.Option("--username", help="Login name (default: --name).", metavar="用户名"),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Create an account; its department decides what it sees and may act on."""
    from ipaward.cli.workflow_cmd import context_or_exit
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.web.accounts import (
        AccountError,
        check_new_account,
        create_user,
        prepare_password,
    )

    ctx = context_or_exit()
    ensure_schema(ctx.settings)
    login = (username or name).strip()
    known = ctx.policy.directory.departments
    try:
        check_new_account(
            username=login, display_name=name, department=dept, known_departments=known
        )
        prepared = prepare_password(_read_password(password_stdin), username=login)
        with session_scope(ctx.settings) as session:
            create_user(
                session,
                username=login,
                display_name=name,
                department=dept,
                password=prepared,
                known_departments=known,
                actor=cli_actor(),
            )
    except AccountError as error:
        errors.print(f"[red]未创建:[/red]{escape(str(error))}")
        raise typer.Exit(code=1) from None
    if as_json:
        print_json({"username": login, "display_name": name, "department": dept})
        return
    console.print(f"已创建账号 {escape(login)}({escape(dept)} · {escape(name)})")


@users.command("list")
def list_users(as_json: JsonFlag = False) -> None:
    """Every account with its department, whether it may log in, and its password's state."""
    from ipaward import clock
    from ipaward.db.models import User
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.settings import load_settings

    settings = load_settings()
    ensure_schema(settings)
    table = Table(title="经办人账号")
    for column in ("用户名", "姓名", "部门", "状态", "密码"):
        table.add_column(column)
    now = clock.now()
    rows: list[dict[str, object]] = []
    with session_scope(settings) as session:
        for user in session.scalars(select(User).order_by(User.department, User.username)):
            expires = user.temporary_until
            rows.append(
                {
                    "username": user.username,
                    "display_name": user.display_name,
                    "department": user.department,
                    "active": user.active,
                    "temporary_until": expires.isoformat() if expires else None,
                }
            )
            if user.temporary_until is None:
                secret = "已设置"
            elif user.temporary_until > now:
                until = user.temporary_until.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M")
                secret = f"临时密码({until}前有效)"
            else:
                secret = "临时密码已过期"
            table.add_row(
                escape(user.username),
                escape(user.display_name),
                user.department,
                "启用" if user.active else "停用",
                secret,
            )
    if as_json:
        print_json(rows)
        return
    console.print(table)


def _set_active(username: str, active: bool, *, as_json: bool) -> None:
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.settings import load_settings
    from ipaward.web.accounts import AccountError, set_active

    settings = load_settings()
    ensure_schema(settings)
    try:
        with session_scope(settings) as session:
            set_active(session, username=username, active=active, actor=cli_actor())
    except AccountError as error:
        errors.print(f"[red]未更改:[/red]{escape(str(error))}")
        raise typer.Exit(code=1) from None
    if as_json:
        print_json({"username": username, "active": active})
        return
    console.print(f"账号 {escape(username)} 已{'启用' if active else '停用(其登录会话已结束)'}")


@users.command("disable")
def disable(
    username: Annotated[str, typer.Argument(help="Login name.", metavar="用户名")],
    as_json: JsonFlag = False,
) -> None:
    """Stop an account from logging in and end its sessions."""
    _set_active(username, False, as_json=as_json)


@users.command("enable")
def enable(
    username: Annotated[str, typer.Argument(help="Login name.", metavar="用户名")],
    as_json: JsonFlag = False,
) -> None:
    """Let a stopped account log in again."""
    _set_active(username, True, as_json=as_json)


@users.command("reset")
def reset(
    username: Annotated[str, typer.Argument(help="Login name.", metavar="用户名")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Set this one-time password (read from stdin)."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Give an account a one-time password (printed once) and end its sessions.

    The officer signs in with it within 72 hours and must then choose their own.
    """
    from ipaward import clock
    from ipaward.services.database import ensure_schema, session_scope
    from ipaward.settings import load_settings
    from ipaward.web.accounts import AccountError, find_user, prepare_password, replace_password
    from ipaward.web.passwords import temporary_password

    settings = load_settings()
    ensure_schema(settings)
    given = _read_password(True) if password_stdin else None
    password = given if given is not None else temporary_password()
    try:
        with session_scope(settings) as session:
            find_user(session, username=username)  # a short read: say so before hashing
        prepared = prepare_password(password, username=username)
        with session_scope(settings) as session:
            until = replace_password(
                session,
                user=find_user(session, username=username),
                new=prepared,
                now=clock.now(),
                actor=cli_actor(),
                temporary=True,
                details={"via": "cli", "given": given is not None},
            )
    except AccountError as error:
        errors.print(f"[red]未重置:[/red]{escape(str(error))}")
        raise typer.Exit(code=1) from None
    assert until is not None
    shown = until.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M")
    if as_json:  # the one-time password, printed once, as in the text
        print_json(
            {
                "username": username,
                "temporary_password": None if given is not None else password,
                "valid_until": until.isoformat(),
            }
        )
        return
    console.print(f"已重置账号 {escape(username)} 的密码;其所有登录已退出。")
    if given is None:
        console.print("临时密码(只显示这一次,请当面或电话告知本人):")
        console.print(f"  {password}", markup=False, highlight=False)
    console.print(f"一次性密码 {shown} 前有效;本人登录后须立即设置新密码。")


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="user")
