"""Check the files an application declares: where they are, what they are, and their digest.

Every problem becomes a DocumentCheck finding (later a correction request), never an
exception: an applicant's mistake must not stop the intake of the rest of the application.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from ipaward.documents.sniff import HEAD_BYTES, detect_executable, sniff_media_type

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024

DocumentStatus = Literal[
    "ok",
    "missing",
    "escapes_folder",
    "not_a_file",
    "empty",
    "too_large",
    "digest_mismatch",
    "unrecognised_type",
    "executable",
]

_TYPE_NAMES = {
    "application/pdf": "PDF",
    "application/ofd": "OFD",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class DocumentCheck:
    """The outcome for one declared document; `message` is shown to the applicant."""

    kind: str
    name: str
    declared_sha256: str
    status: DocumentStatus
    media_type: str | None
    size: int | None
    actual_sha256: str | None
    message: str
    #: Where the file was found inside the folder (None if the name left it); read from here,
    #: not from folder / name, since a Windows-style `a\\b.pdf` name is checked as `a/b.pdf`.
    path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def is_sha256_hex(value: str) -> bool:
    """Whether `value` is a SHA-256 digest written as 64 lower-case hex digits."""
    return len(value) == 64 and set(value) <= _HEX


def check_documents(
    folder: Path,
    documents: Iterable[tuple[str, str, str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[DocumentCheck]:
    """Check each (kind, name, sha256) in order, so findings line up with the declaration."""
    return [
        check_document(folder, kind=kind, name=name, sha256=sha256, max_bytes=max_bytes)
        for kind, name, sha256 in documents
    ]


def check_document(
    folder: Path, *, kind: str, name: str, sha256: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> DocumentCheck:
    """Check one declared file inside `folder`; the result says what is wrong, in Chinese.

    Cheap checks come first (path, existence, size), so an oversized file is never read. An
    executable is reported ahead of a digest mismatch: it is the finding that matters most.
    """

    def finding(
        status: DocumentStatus,
        message: str,
        *,
        size: int | None = None,
        actual: str | None = None,
        media_type: str | None = None,
    ) -> DocumentCheck:
        return DocumentCheck(
            kind=kind,
            name=name,
            declared_sha256=sha256,
            status=status,
            media_type=media_type,
            size=size,
            actual_sha256=actual,
            message=message,
            path=None if isinstance(located, str) else located,
        )

    if max_bytes < 1:
        raise ValueError(f"max_bytes must be at least 1, not {max_bytes}")
    label = f"文件{name}"
    located = _locate(folder, name)
    if isinstance(located, str):
        return finding("escapes_folder", f"{label}{located}")
    try:
        info = located.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return finding("missing", f"{label}不存在")
    except OSError as error:
        return finding("not_a_file", f"{label}无法读取({error.strerror})")
    if not stat.S_ISREG(info.st_mode):
        return finding("not_a_file", f"{label}不是普通文件")
    if info.st_size == 0:
        return finding("empty", f"{label}是空文件", size=0)
    if info.st_size > max_bytes:
        return finding(
            "too_large",
            f"{label}大小为{info.st_size}字节,超过上限{_bytes_text(max_bytes)}",
            size=info.st_size,
        )
    try:
        read = _read(located, info, max_bytes=max_bytes)
    except OSError as error:
        return finding("not_a_file", f"{label}无法读取({error.strerror})")
    if read is None:
        return finding("not_a_file", f"{label}在检查期间被替换或改动,请重新提交")
    head, size, actual = read
    if size > max_bytes:
        return finding(
            "too_large", f"{label}超过大小上限{_bytes_text(max_bytes)}", size=size, actual=None
        )
    executable = detect_executable(head)
    if executable is not None:
        return finding(
            "executable",
            f"{label}是可执行文件({executable}),不予接受",
            size=size,
            actual=actual,
        )
    media_type = sniff_media_type(head, located)
    if actual != sha256:
        reason = (
            "与申报值不一致" if is_sha256_hex(sha256) else "申报值格式不正确(应为64位小写十六进制)"
        )
        return finding(
            "digest_mismatch",
            f"{label}的SHA-256{reason}",
            size=size,
            actual=actual,
            media_type=media_type,
        )
    if media_type is None:
        return finding(
            "unrecognised_type",
            f"{label}的类型无法识别,只接受PDF、OFD、JPEG、PNG文件",
            size=size,
            actual=actual,
        )
    return finding(
        "ok",
        f"{label}校验通过({_TYPE_NAMES[media_type]},{size}字节)",
        size=size,
        actual=actual,
        media_type=media_type,
    )


def _locate(folder: Path, name: str) -> Path | str:
    """The path `name` names inside `folder`, or why it may not be used.

    Symlinks are refused outright, even ones pointing inside: the folder comes from outside
    and a link could be re-aimed between this check and a later read.
    """
    if not name or "\x00" in name:
        return "的文件名无效"
    relative = PurePosixPath(name.replace("\\", "/"))
    if not relative.parts:
        return "的文件名无效"
    if relative.is_absolute() or PureWindowsPath(name).drive:
        return "使用了绝对路径,只能使用所交材料文件夹内的相对路径"
    if ".." in relative.parts:
        return "的路径指向所交材料文件夹之外"
    base = folder.resolve()
    current = base
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return "是符号链接,不予接受"
    if not current.resolve().is_relative_to(base):
        return "的路径指向所交材料文件夹之外"
    return current


def _read(path: Path, before: os.stat_result, *, max_bytes: int) -> tuple[bytes, int, str] | None:
    """(head, size, sha256) read in chunks; None if the file changed identity since lstat.

    O_NOFOLLOW and O_NONBLOCK keep a swapped-in symlink or FIFO from being followed or
    blocking; reading stops one chunk past `max_bytes` should the file grow meanwhile.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            return None
        digest = hashlib.sha256()
        head = b""
        size = 0
        while chunk := handle.read(CHUNK_BYTES):
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
    return head, size, digest.hexdigest()


def _bytes_text(count: int) -> str:
    """A byte bound as people write it: whole MiB when exact, else bytes (no floats)."""
    mib = 1024 * 1024
    return f"{count // mib} MiB" if count % mib == 0 else f"{count}字节"
