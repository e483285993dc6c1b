"""`ipaward user …` creates per-department accounts; `ipaward web` runs the app with uvicorn."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner, Result

from ipaward.cli import user_cmd, web_cmd
from ipaward.db.models import User
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
        stdin="pass-word-1\npass-word-1\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listing = run(cli, "user", "list")
    assert "ops" in listing.output and "operator" in listing.output and "启用" in listing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dept", "city.nowhere", "--name", "王五"], "未知部门代码city.nowhere"),
        (["--dept", "city.amr", "--name", "王五"], "密码至少8个字符"),
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
    assert run(cli, *add, "--password-stdin", stdin="password-1\n").exit_code == 0
    again = run(cli, *add, "--password-stdin", stdin="password-2\n")
    assert again.exit_code == 1 and "用户名zhang已存在" in again.output
    assert run(cli, "user", "disable", "zhang").exit_code == 0
    assert "停用" in run(cli, "user", "list").output
    assert run(cli, "user", "enable", "zhang").exit_code == 0
    assert run(cli, "user", "disable", "nobody").exit_code == 1


def test_web_runs_the_app_factory_under_uvicorn(cli: typer.Typer) -> None:
    with mock.patch("uvicorn.run") as served:
        result = run(cli, "web", "--host", "127.0.0.1", "--port", "8123")
    assert result.exit_code == 0, result.output
    args, kwargs = served.call_args
    assert args == ("ipaward.web.app:create_app",)
    assert kwargs["factory"] is True and (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8123)
