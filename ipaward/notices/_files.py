"""Atomic file writes for notices and deliveries: readers never see half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_deferred: ContextVar[list[tuple[Path, Path]] | None] = ContextVar(
    "ipaward_deferred_writes", default=None
)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over `path` (inside
    `synced_once`: the fsync and the rename wait for the end of the block)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    deferred = _deferred.get()
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if deferred is None:
                handle.flush()
                os.fsync(handle.fileno())
        if deferred is None:
            os.replace(temporary, path)
        else:
            deferred.append((Path(temporary), path))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def synced_once() -> Iterator[None]:
    """Files written one by one inside the block (a chunk's notices issued singly) are made
    durable with one os.sync() at its end, then renamed into place, instead of an fsync
    each; readers still never see half a file. On an error the temporaries are removed.
    Nested blocks leave the work to the outermost."""
    if _deferred.get() is not None:
        yield
        return
    pending: list[tuple[Path, Path]] = []
    token = _deferred.set(pending)
    try:
        yield
    except BaseException:
        _discard(pending)
        raise
    finally:
        _deferred.reset(token)
    try:
        if pending:
            os.sync()
        for temporary, path in pending:
            os.replace(temporary, path)
    except BaseException:
        _discard(pending)
        raise


def _discard(pending: Sequence[tuple[Path, Path]]) -> None:
    for temporary, _ in pending:
        temporary.unlink(missing_ok=True)


ONE_NOTICE = 3  # its text, HTML and metadata: three fsyncs cost less than a global sync


def write_many(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """`write_atomically` for a whole chunk: every file to a temporary beside it, one
    os.sync() for all of them instead of an fsync each (500 notices: about 0.3 s instead of
    1.5 s here), then the renames. Readers still never see half a file."""
    if _deferred.get() is not None or len(files) <= ONE_NOTICE:
        for path, content in files:  # inside `synced_once`, or one notice: no global sync
            write_atomically(path, content)
        return
    temporaries: list[tuple[Path, Path]] = []
    made: set[Path] = set()
    try:
        for path, content in files:
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporaries.append((Path(name), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.sync()
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise
