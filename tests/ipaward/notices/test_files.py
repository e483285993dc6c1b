"""Atomic notice files: one sync for a block of single writes, nothing half-written left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipaward.notices._files import synced_once, write_atomically


def test_writes_in_a_block_appear_at_its_end_after_one_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncs: list[int] = []
    monkeypatch.setattr(os, "sync", lambda: syncs.append(1))
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("no fsync per file"))
    paths = [tmp_path / "a" / f"{i}.txt" for i in range(3)]
    with synced_once():
        for i, path in enumerate(paths):
            write_atomically(path, f"通知{i}")
        with synced_once():  # nested: the outer block does the work
            write_atomically(tmp_path / "b.txt", b"x")
        assert not any(path.exists() for path in paths)
    assert syncs == [1]
    assert [path.read_text("utf-8") for path in paths] == ["通知0", "通知1", "通知2"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["0.txt", "1.txt", "2.txt"]


def test_an_error_in_the_block_leaves_no_files_and_no_temporaries(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), synced_once():
        write_atomically(tmp_path / "a.txt", "x")
        raise RuntimeError("rolled back")
    assert list(tmp_path.iterdir()) == []
    write_atomically(tmp_path / "c.txt", "outside a block")  # back to an fsync each
    assert (tmp_path / "c.txt").read_text("utf-8") == "outside a block"
