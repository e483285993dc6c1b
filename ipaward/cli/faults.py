"""Faults of the machine, not of the input: one Chinese line each, for every command.

A read-only or full disk, a database that cannot be opened or reached, a broken config:
the command prints what failed and what to do, and exits 3 (2 for the config, as before)
instead of a traceback. Every command writes in one transaction, which the failure rolled
back, so nothing is half-stored. typer's own usage errors pass through untouched, and so
does anything not listed here: an unknown exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
from typing import Any

import typer
from rich.markup import escape
from sqlalchemy import exc as sa
from sqlalchemy.engine import make_url

from ipaward.cli.natural import NaturalGroup
from ipaward.cli.output import errors, fail_config
from ipaward.config.config_errors import ConfigError
from ipaward.settings import load_settings

FAULT_EXIT = 3
HOME_HINT = "请把IPAWARD_HOME(demo为--home)设为本用户可写的文件夹"


class ReportFaults(NaturalGroup):
    """The `ipaward` group: a command's environment fault becomes one line and exit 3."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            fail_config(error)
        except (OSError, sa.SQLAlchemyError) as error:
            line = describe(error)
            if line is None:
                raise
            errors.print(f"[red]未完成:[/red]{escape(line)}")
            raise typer.Exit(code=FAULT_EXIT) from None


def describe(error: BaseException) -> str | None:
    """The one line for a fault we know, None for anything else (a bug)."""
    if isinstance(error, sa.ArgumentError | sa.NoSuchModuleError):
        return (
            f"数据库地址IPAWARD_DATABASE_URL无法识别({error})。"
            "应为SQLAlchemy URL,如 postgresql+psycopg://用户@主机:5432/库名;不设置则使用IPAWARD_HOME下的SQLite"
        )
    if isinstance(error, sa.OperationalError | sa.InterfaceError):
        return _database(error)
    if isinstance(error, sa.DatabaseError) and "not a database" in str(error.orig):
        return _database(error)
    if isinstance(error, sa.ProgrammingError) and getattr(error.orig, "sqlstate", None) == "42501":
        return (  # the app role may not do this (docs/scale-out.md, "Database roles")
            "数据库账号无此权限:应用账号不能改表结构或改写台账、决定、审计记录;"
            "升级数据库请设置IPAWARD_MIGRATION_URL后运行ipaward init;本次操作未保存"
        )
    if isinstance(error, OSError):
        return _file(error)
    return None


def _file(error: OSError) -> str:
    names = [str(name) for name in (error.filename, error.filename2) if name is not None]
    target = "、".join(names)
    code = error.errno
    if code == errno.EROFS:
        return f"无法写入{target}:所在文件系统为只读。{HOME_HINT}(或以可写方式挂载)后重试"
    if code in (errno.EACCES, errno.EPERM):
        return f"没有权限访问{target}。请检查其权限,或{HOME_HINT}后重试"
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        where = f"写入{target}失败" if target else "写入失败"
        return f"磁盘空间不足或超出文件大小限制,{where}。请清理磁盘后重试;本次操作未保存"
    if code == errno.ENOENT:
        return f"找不到{target}。请检查路径后重试"
    if code in (errno.ENOTDIR, errno.EISDIR):
        return f"路径{target}的类型不对(文件与文件夹混淆)。请检查路径后重试"
    if code == errno.EADDRINUSE:
        return "端口已被占用。请换一个端口(--port),或先停止占用它的程序"
    reason = error.strerror or type(error).__name__
    if target:
        return f"文件操作失败({target}):{reason}。请检查IPAWARD_HOME所在磁盘后重试"
    return f"系统操作失败:{reason}(errno {code})。请排除后重试"


SQLITE_FAULTS = (
    ("unable to open database file", "无法打开:路径是文件夹、没有读写权限或所在文件夹不可写"),
    ("readonly database", "文件或其所在文件夹为只读,无法写入"),
    ("disk is full", "磁盘空间不足"),
    ("not a database", "这不是SQLite数据库文件"),
    ("database is locked", "正被其他进程长时间占用"),
    ("disk i/o error", "读写时发生磁盘错误(空间、权限或文件大小限制)"),
)
SERVER_FAULTS = (
    ("connection refused", "连接被拒绝(服务未启动或端口不对)"),
    ("timeout", "连接超时"),
    ("timed out", "连接超时"),
    ("could not translate host name", "主机名无法解析"),
    ("name or service not known", "主机名无法解析"),
    ("no route to host", "网络不通"),
    ("password authentication failed", "用户名或密码不正确"),
    ("does not exist", "数据库或用户不存在"),
    ("no space left on device", "数据库服务器磁盘空间不足"),
    ("could not extend file", "数据库服务器磁盘空间不足"),
    ("server closed the connection", "连接被服务器中断"),
)


def _database(error: sa.SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    detail = (str(original).strip().splitlines() or [type(original).__name__])[0]
    lowered = detail.lower()
    url = load_settings().database_url
    try:
        parsed = make_url(url)
    except sa.ArgumentError:
        return f"数据库地址IPAWARD_DATABASE_URL无法识别:{url}"
    if parsed.get_backend_name() == "sqlite":
        reason = next((zh for en, zh in SQLITE_FAULTS if en in lowered), detail)
        return (
            f"数据库文件{parsed.database}{reason}。请检查IPAWARD_HOME(或IPAWARD_DATABASE_URL)"
            "指向本用户可读写的位置后重试;本次操作未保存"
        )
    shown = parsed.render_as_string(hide_password=True)
    reason = next((zh for en, zh in SERVER_FAULTS if en in lowered), detail)
    return (
        f"无法使用数据库{shown}:{reason}。请确认数据库服务已启动、"
        "IPAWARD_DATABASE_URL的主机、端口、库名和账号正确后重试;本次操作未保存"
    )
