"""Type and executable detection look at content only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipaward.documents import detect_executable, sniff_media_type
from tests.ipaward.documents.samples import (
    ELF_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PE_BYTES,
    SCRIPT_BYTES,
    png_bytes,
    write_ofd,
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF_BYTES[:16], "application/pdf"),
        (JPEG_BYTES[:16], "image/jpeg"),
        (png_bytes()[:16], "image/png"),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_sniff_by_magic_number(tmp_path: Path, head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head, tmp_path / "unused") == expected


def test_sniff_ofd_reads_only_the_zip_directory(tmp_path: Path) -> None:
    path = tmp_path / "doc.zip"
    data = write_ofd(path)
    assert sniff_media_type(data[:16], path) == "application/ofd"


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (ELF_BYTES, "ELF"),
        (PE_BYTES, "Windows PE"),
        (SCRIPT_BYTES, "#!脚本"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "Mach-O"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x02", "Mach-O通用"),
        (PDF_BYTES, None),
    ],
)
def test_detect_executable(head: bytes, label: str | None) -> None:
    assert detect_executable(head) == label
