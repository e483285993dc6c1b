"""Faults of the machine in real processes: a read-only home (a read-only bind mount as root,
the folder's mode otherwise) and a disk filling up (RLIMIT_FSIZE). One Chinese line, exit 3,
no traceback, nothing stored."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from ipaward.db.models import Applicant, Application
from tests.ipaward.cli.faults import FAULT, IPAWARD, count, filing, one_line


@pytest.fixture
def application(tmp_path: Path) -> Path:
    return filing(tmp_path / "filing")


@cache
def read_only_mount(folder: str) -> bool:
    """Whether this process may bind-mount a folder read-only in a private mount namespace."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder}",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """Run `ipaward …` with tmp_path/ro read-only: a read-only mount (EROFS) as root, the
    folder's mode (EACCES) otherwise."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = read_only_mount(str(tmp_path))
    if os.geteuid() == 0 and not mounted:
        pytest.skip("root ignores file modes and cannot mount read-only here")

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        if mounted:
            script = f'mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder} && exec "$@"'
            command = ["unshare", "-m", "sh", "-c", script, "sh", IPAWARD, *args]
        else:
            command = [IPAWARD, *args]
            folder.chmod(0o555)
        try:
            return subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=300, check=False
            )
        finally:
            folder.chmod(0o755)

    yield run


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPAWARD_")}
    return env | {"IPAWARD_HOME": str(home), "IPAWARD_ADVANCE": "inline", "COLUMNS": "200"}


def test_init_in_a_read_only_home_is_one_line(
    read_only: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    for home in (tmp_path / "ro" / "home", tmp_path / "ro"):  # to be made; there, read-only
        done = read_only("init", env=environment(home))
        assert done.returncode == FAULT, done.stderr
        line = one_line(done.stderr)
        assert line.startswith("未完成:") and "IPAWARD_HOME" in line
    assert list((tmp_path / "ro").iterdir()) == []


def test_submit_into_a_read_only_home_stores_nothing(
    read_only: Callable[..., subprocess.CompletedProcess[str]],
    tmp_path: Path,
    application: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "ro" / "home"
    env = environment(home)
    assert subprocess.run([IPAWARD, "init"], env=env, check=False).returncode == 0

    done = read_only("submit", str(application), env=env)

    assert done.returncode == FAULT, done.stderr
    assert "IPAWARD_HOME" in one_line(done.stderr)
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    assert (count(Applicant), count(Application)) == (0, 0)


def test_the_demo_in_a_read_only_folder_is_one_line(
    read_only: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    demo = tmp_path / "ro" / "demo"
    done = read_only("demo", "--home", str(demo), env=environment(demo))
    assert done.returncode == FAULT, done.stderr
    assert "IPAWARD_HOME" in one_line(done.stderr)


def test_a_disk_that_fills_up_while_submitting_stores_nothing(
    tmp_path: Path, application: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RLIMIT_FSIZE: every write past the limit fails as on a full disk (EFBIG)."""
    home = tmp_path / "home"
    env = environment(home)
    assert subprocess.run([IPAWARD, "init"], env=env, check=False).returncode == 0
    limit = 4096  # the documents fit; SQLite's WAL does not

    def full() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [IPAWARD, "submit", str(application)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=full,
        timeout=300,
        check=False,
    )

    assert done.returncode == FAULT, done.stderr
    line = one_line(done.stderr)
    assert "ipaward.sqlite3" in line and "未保存" in line
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    assert (count(Applicant), count(Application)) == (0, 0)
