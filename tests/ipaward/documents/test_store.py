"""The content-addressed store: layout, idempotency, and nothing left behind on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipaward.documents import store_file
from tests.ipaward.documents.samples import PDF_BYTES, put, sha


def files_in(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if not path.is_dir())


def test_a_file_is_stored_under_its_digest(tmp_path: Path) -> None:
    digest = put(tmp_path, "contract.pdf", PDF_BYTES)
    root = tmp_path / "files"
    stored = store_file(root, tmp_path / "contract.pdf", digest)
    assert stored == root / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == PDF_BYTES
    assert files_in(root) == [stored]


def test_storing_twice_returns_the_same_file_without_rewriting(tmp_path: Path) -> None:
    digest = put(tmp_path, "contract.pdf", PDF_BYTES)
    root = tmp_path / "files"
    first = store_file(root, tmp_path / "contract.pdf", digest)
    before = first.stat()
    (tmp_path / "contract.pdf").unlink()  # the second call must not even need the source
    second = store_file(root, tmp_path / "contract.pdf", digest)
    assert second == first
    after = second.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert files_in(root) == [first]


def test_a_digest_mismatch_raises_and_leaves_no_file(tmp_path: Path) -> None:
    put(tmp_path, "contract.pdf", PDF_BYTES)
    root = tmp_path / "files"
    wrong = sha(b"something else")
    with pytest.raises(ValueError, match="SHA-256"):
        store_file(root, tmp_path / "contract.pdf", wrong)
    assert files_in(root) == []
    assert not (root / wrong[:2] / wrong[2:4] / wrong).exists()


def test_a_failed_read_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "folder.pdf").mkdir()
    root = tmp_path / "files"
    with pytest.raises(OSError):
        store_file(root, tmp_path / "folder.pdf", sha(PDF_BYTES))
    assert files_in(root) == []


@pytest.mark.parametrize("digest", ["abc", sha(PDF_BYTES).upper(), "../" + "a" * 61])
def test_a_malformed_digest_is_refused_before_touching_the_store(
    tmp_path: Path, digest: str
) -> None:
    put(tmp_path, "contract.pdf", PDF_BYTES)
    root = tmp_path / "files"
    with pytest.raises(ValueError):
        store_file(root, tmp_path / "contract.pdf", digest)
    assert not root.exists()
