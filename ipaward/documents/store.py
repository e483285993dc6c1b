"""Content-addressed file store: a document is kept once, under its own SHA-256.

Files land at files_root/ab/cd/<digest>. A copy is written to a temporary file beside its
final place and renamed only after its digest is re-checked, so a reader never sees a partial
or wrong file, and a crash leaves at most an orphan temporary file, never a corrupt entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from ipaward.documents.check import CHUNK_BYTES, is_sha256_hex

_TEMP_PREFIX = ".incoming-"


def stored_path(files_root: Path, sha256: str) -> Path:
    """Where the file with digest `sha256` lives (or would live) in the store."""
    if not is_sha256_hex(sha256):
        raise ValueError(f"not a lower-case hex SHA-256 digest: {sha256!r}")
    return files_root / sha256[0:2] / sha256[2:4] / sha256


def store_file(files_root: Path, source: Path, sha256: str) -> Path:
    """Copy `source` into the store and return its path; a file already stored is kept as is.

    The digest is computed while copying; on a mismatch ValueError is raised and the
    temporary copy is removed (the two shard folders may remain, empty).
    """
    target = stored_path(files_root, sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(dir=target.parent, prefix=_TEMP_PREFIX)
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as sink, source.open("rb") as origin:
            digest = hashlib.sha256()
            while chunk := origin.read(CHUNK_BYTES):
                digest.update(chunk)
                sink.write(chunk)
            if digest.hexdigest() != sha256:
                raise ValueError(
                    f"{source}: SHA-256 is {digest.hexdigest()}, expected {sha256}; not stored"
                )
            sink.flush()
            os.fsync(sink.fileno())
            os.fchmod(sink.fileno(), 0o444)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; some platforms cannot open a folder, which is harmless there."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
