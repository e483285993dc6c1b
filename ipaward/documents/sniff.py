"""Recognise a document's type from its content, never its name: a renamed file is caught."""

from __future__ import annotations

import zipfile
from pathlib import Path

PDF = "application/pdf"
OFD = "application/ofd"
JPEG = "image/jpeg"
PNG = "image/png"

#: How many leading bytes the detectors need (the longest magic number is PNG's 8).
HEAD_BYTES = 16

_ZIP_MAGIC = b"PK\x03\x04"
_OFD_ROOT = "OFD.xml"
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
# Labels appear inside Chinese messages to the applicant.
_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows PE"),
    (b"\xfe\xed\xfa\xce", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O通用"),
    (b"#!", "#!脚本"),
)


def detect_executable(head: bytes) -> str | None:
    """The executable format `head` starts with (ELF, PE, Mach-O, #! script), else None."""
    for magic, label in _EXECUTABLES:
        if head.startswith(magic):
            return label
    return None


def sniff_media_type(head: bytes, path: Path) -> str | None:
    """PDF, OFD, JPEG or PNG by magic number; None for anything else.

    `head` is the file's first bytes; `path` is only opened for a ZIP, to look for OFD.xml at
    the root of the archive's directory. Nothing is decompressed, so a zip bomb costs nothing.
    """
    for magic, media_type in _SIGNATURES:
        if head.startswith(magic):
            return media_type
    if head.startswith(_ZIP_MAGIC) and _is_ofd(path):
        return OFD
    return None


def _is_ofd(path: Path) -> bool:
    """An OFD package (GB/T 33190) is a ZIP with OFD.xml as a root entry."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(info.filename == _OFD_ROOT for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
