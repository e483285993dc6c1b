"""A fault of the machine is one Chinese line and exit 3, never a traceback, and leaves nothing
half-done: a read-only home, a full disk, a database that cannot be opened or reached."""

from __future__ import annotations

import errno
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ipaward.db.models import Applicant, Application, Document
from ipaward.documents import store
from ipaward.services.database import session_scope
from ipaward.settings import PROJECT_ROOT, load_settings
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.cli.faults import FAULT, count, filing, one_line


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens on it once the probe is closed


@pytest.fixture
def application(tmp_path: Path) -> Path:
    return filing(tmp_path / "filing")


# --- in-process: the database ---------------------------------------------------------------


def test_an_unreachable_postgresql_is_one_line_without_its_password(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, application: Path
) -> None:
    url = f"postgresql+psycopg://officer:s3cret@127.0.0.1:{closed_port()}/ipaward"
    monkeypatch.setenv("IPAWARD_DATABASE_URL", url)
    for args in (["init"], ["status", "ZZIP-2024-M07-000001"], ["submit", str(application)]):
        result = run_cli(*args)
        line = one_line(result.output)
        assert result.exit_code == FAULT, args
        assert "无法使用数据库postgresql+psycopg://officer:***@127.0.0.1" in line
        assert "连接被拒绝" in line and "IPAWARD_DATABASE_URL" in line
        assert "s3cret" not in result.output


def test_a_dry_run_does_not_silently_ignore_an_unreachable_ledger(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/ipaward"
    monkeypatch.setenv("IPAWARD_DATABASE_URL", url)
    result = run_cli("assess", str(PROJECT_ROOT / "ipaward/examples/m07_university_transfers.json"))
    assert result.exit_code == FAULT and "连接被拒绝" in one_line(result.output)


def test_a_database_file_that_is_a_folder_or_not_a_database_is_one_line(
    run_cli: RunCli, home: Path
) -> None:
    (home / "ipaward.sqlite3").mkdir(parents=True)
    result = run_cli("status", "ZZIP-2024-M07-000001")
    assert result.exit_code == FAULT
    assert f"数据库文件{home / 'ipaward.sqlite3'}无法打开" in one_line(result.output)

    (home / "ipaward.sqlite3").rmdir()
    (home / "ipaward.sqlite3").write_bytes(b"these are minutes, not a database" * 100)
    result = run_cli("init")
    assert result.exit_code == FAULT and "不是SQLite数据库文件" in one_line(result.output)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
def test_an_unreadable_database_file_is_one_line(run_cli: RunCli, home: Path) -> None:
    assert run_cli("init").exit_code == 0
    (home / "ipaward.sqlite3").chmod(0)
    try:
        result = run_cli("status", "ZZIP-2024-M07-000001")
    finally:
        (home / "ipaward.sqlite3").chmod(0o644)
    assert result.exit_code == FAULT and "无法打开" in one_line(result.output)


def test_a_malformed_database_url_is_one_line(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_DATABASE_URL", "postgres ql://nowhere")
    result = run_cli("init")
    assert result.exit_code == FAULT and "IPAWARD_DATABASE_URL无法识别" in one_line(result.output)


def test_usage_errors_stay_typers_own(run_cli: RunCli) -> None:
    from typer.testing import CliRunner

    from ipaward.cli import app

    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 2 and "Missing argument" in result.output


def test_a_broken_config_is_one_line_and_exit_2(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    toml = config / "workflow.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("max_json_depth = 64", "max_json_depth = 0"),
        encoding="utf-8",
    )
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(config))
    result = run_cli(
        "assess", str(PROJECT_ROOT / "ipaward/examples/m03_university_certification.json")
    )
    assert result.exit_code == 2
    assert "配置错误" in one_line(result.output) and "max_json_depth" in result.output


# --- in-process: a full disk ------------------------------------------------------------------


REAL_FDOPEN = os.fdopen


class FullDisk:
    """A file being written on a disk with no space left."""

    def __init__(self, sink: Any) -> None:
        self.sink = sink

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sink.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sink, name)


def full_disk(descriptor: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    opened = REAL_FDOPEN(descriptor, mode, *args, **kwargs)
    return FullDisk(opened) if "w" in mode else opened


def test_a_full_disk_while_storing_documents_stores_nothing(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, home: Path, application: Path
) -> None:
    assert run_cli("init").exit_code == 0
    monkeypatch.setattr(store.os, "fdopen", full_disk)

    result = run_cli("submit", str(application))

    assert result.exit_code == FAULT
    assert "磁盘空间不足" in one_line(result.output) and "未保存" in result.output
    assert (count(Applicant), count(Application), count(Document)) == (0, 0, 0)
    assert not [p for p in (home / "files").rglob("*") if p.is_file()]  # no partial copy


def test_a_vanished_document_is_still_the_applicants_problem(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, application: Path
) -> None:
    """The store tells its own faults from the applicant's file changing meanwhile (补正)."""
    original = store.store_file

    def vanished(root: Path, source: Path, sha256: str) -> Path:
        if source.name.endswith("transfer_contract.pdf"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(source))
        return original(root, source, sha256)

    monkeypatch.setattr("ipaward.services.files.store_file", vanished)
    assert run_cli("submit", "--no-advance", str(application)).exit_code == 0
    with session_scope(load_settings()) as session:
        statuses = dict(session.execute(select(Document.kind, Document.check_status)).all())
    assert statuses["transfer_contract"] == "digest_mismatch"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            OSError(errno.EROFS, "Read-only file system", "/srv/home"),
            "无法写入/srv/home:所在文件系统为只读",
        ),
        (PermissionError(errno.EACCES, "Permission denied", "/srv/home"), "没有权限访问/srv/home"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (OSError(errno.EDQUOT, "Disk quota exceeded", "/srv/home/x"), "磁盘空间不足"),
        (OSError(errno.EADDRINUSE, "Address already in use"), "端口已被占用"),
        (RuntimeError("a bug"), None),
        (ValueError("a bug"), None),
    ],
)
def test_each_known_fault_has_its_line_and_a_bug_has_none(
    error: Exception, said: str | None
) -> None:
    from ipaward.cli.faults import describe

    line = describe(error)
    assert line == said if said is None else said in (line or "")
