"""`ipaward user …` creates per-department accounts under the password rule and resets them
with a one-time password; `ipaward web` runs the app with uvicorn."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner, Result

from ipaward.cli import user_cmd, web_cmd
from ipaward.db.models import AuditEntry, User
from ipaward.services.database import session_scope
from ipaward.settings import load_settings
from ipaward.web.auth import verify_password


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("IPAWARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("IPAWARD_CONFIG_DIR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    app = typer.Typer()
    user_cmd.register(app)
    web_cmd.register(app)
    return app


def run(app: typer.Typer, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_user_add_stores_an_argon2_hash_for_a_known_department(cli: typer.Typer) -> None:
    result = run(
        cli, "user", "add", "--dept", "city.finance", "--name", "李四", "--password-stdin",
        stdin="a-long-password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已创建账号 李四" in result.output
    with session_scope(load_settings()) as session:
        user = session.scalars(select(User)).one()
        assert (user.username, user.display_name, user.department) == (
            "李四",
            "李四",
            "city.finance",
        )
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a-long-password")


def test_user_add_prompts_twice_for_the_password(cli: typer.Typer) -> None:
    result = run(
        cli, "user", "add", "--dept", "operator", "--name", "运维", "--username", "ops",
        stdin="漳州知识产权-运维-2025\n漳州知识产权-运维-2025\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listing = run(cli, "user", "list")
    assert "ops" in listing.output and "operator" in listing.output and "启用" in listing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dept", "city.nowhere", "--name", "王五"], "未知部门代码city.nowhere"),
        (["--dept", "city.amr", "--name", "王五"], "密码至少12个字符(现为5个)"),
    ],
)
def test_user_add_refuses_what_it_cannot_use(
    cli: typer.Typer, args: list[str], message: str
) -> None:
    result = run(cli, "user", "add", *args, "--password-stdin", stdin="short\n")
    assert result.exit_code == 1
    assert message in result.output


def test_a_username_is_taken_once_and_accounts_can_be_disabled(cli: typer.Typer) -> None:
    add = ["user", "add", "--dept", "city.amr", "--name", "张三", "--username", "zhang"]
    assert run(cli, *add, "--password-stdin", stdin="first-Zz-3f9a8b7c\n").exit_code == 0
    again = run(cli, *add, "--password-stdin", stdin="second-Zz-3f9a8b7c\n")
    assert again.exit_code == 1 and "用户名zhang已存在" in again.output
    assert run(cli, "user", "disable", "zhang").exit_code == 0
    assert "停用" in run(cli, "user", "list").output
    assert run(cli, "user", "enable", "zhang").exit_code == 0
    assert run(cli, "user", "disable", "nobody").exit_code == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "同一片段的重复"),
        ("qwerty123456", "这是常见密码"),
        ("Password2025", "常见密码前后加数字或符号"),
        ("zhao.liu-2025-秋天", "不能包含用户名"),
    ],
)
def test_user_add_applies_the_password_rule(cli: typer.Typer, password: str, message: str) -> None:
    add = ["user", "add", "--dept", "city.amr", "--name", "赵六", "--username", "zhao.liu"]
    result = run(cli, *add, "--password-stdin", stdin=f"{password}\n")
    assert result.exit_code == 1 and message in result.output
    with session_scope(load_settings()) as session:
        assert session.scalars(select(User)).all() == []


def test_user_add_and_disable_write_audit_rows(cli: typer.Typer) -> None:
    add = ["user", "add", "--dept", "city.amr", "--name", "张三", "--username", "zhang"]
    assert run(cli, *add, "--password-stdin", stdin="first-Zz-3f9a8b7c\n").exit_code == 0
    assert run(cli, "user", "disable", "zhang").exit_code == 0
    with session_scope(load_settings()) as session:
        actions = [
            (e.action, e.actor.startswith("cli")) for e in session.scalars(select(AuditEntry))
        ]
    assert actions == [("user.create", True), ("user.disable", True)]


def test_user_reset_prints_a_one_time_password_once(cli: typer.Typer) -> None:
    add = ["user", "add", "--dept", "city.amr", "--name", "张三", "--username", "zhang"]
    assert run(cli, *add, "--password-stdin", stdin="first-Zz-3f9a8b7c\n").exit_code == 0

    result = run(cli, "user", "reset", "zhang")

    assert result.exit_code == 0, result.output
    [temporary] = re.findall(r"^  ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})$", result.output, re.M)
    assert "只显示这一次" in result.output and "须立即设置新密码" in result.output
    with session_scope(load_settings()) as session:
        user = session.scalars(select(User)).one()
        assert verify_password(user.password_hash, temporary)
        assert user.temporary_until is not None
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.password_reset")
        )
        assert entry.details["via"] == "cli" and temporary not in str(entry.details)
    assert "临时密码" in run(cli, "user", "list").output


def test_user_reset_can_set_a_given_one_time_password(cli: typer.Typer) -> None:
    add = ["user", "add", "--dept", "city.amr", "--name", "张三", "--username", "zhang"]
    assert run(cli, *add, "--password-stdin", stdin="first-Zz-3f9a8b7c\n").exit_code == 0
    weak = run(cli, "user", "reset", "zhang", "--password-stdin", stdin="12345678\n")
    assert weak.exit_code == 1 and "密码至少12个字符" in weak.output

    given = run(cli, "user", "reset", "zhang", "--password-stdin", stdin="given-Zz-3f9a8b7c\n")

    assert given.exit_code == 0, given.output
    assert "given-Zz-3f9a8b7c" not in given.output
    with session_scope(load_settings()) as session:
        user = session.scalars(select(User)).one()
        assert verify_password(user.password_hash, "given-Zz-3f9a8b7c")
        assert user.temporary_until is not None
    missing = run(cli, "user", "reset", "nobody")
    assert missing.exit_code == 1 and "没有用户nobody" in missing.output


def test_web_runs_the_app_factory_under_uvicorn(cli: typer.Typer) -> None:
    with mock.patch("uvicorn.run") as served:
        result = run(cli, "web", "--host", "127.0.0.1", "--port", "8123")
    assert result.exit_code == 0, result.output
    args, kwargs = served.call_args
    assert args == ("ipaward.web.app:create_app",)
    assert kwargs["factory"] is True and (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
