"""Each finding a declared document can produce, made with real small files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ipaward.documents import DocumentCheck, check_document, check_documents
from tests.ipaward.documents.samples import (
    ELF_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PE_BYTES,
    SCRIPT_BYTES,
    png_bytes,
    put,
    sha,
    write_ofd,
)


def check(folder: Path, name: str, digest: str, **options: int) -> DocumentCheck:
    return check_document(folder, kind="transfer_contract", name=name, sha256=digest, **options)


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("contract.pdf", PDF_BYTES, "application/pdf"),
        ("scan.jpg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", png_bytes(), "image/png"),
        ("scans/2024/scan.png", png_bytes(), "image/png"),
    ],
)
def test_recognised_files_are_ok(tmp_path: Path, name: str, data: bytes, media_type: str) -> None:
    result = check(tmp_path, name, put(tmp_path, name, data))
    assert result.ok
    assert result.status == "ok"
    assert result.media_type == media_type
    assert result.size == len(data)
    assert result.actual_sha256 == sha(data)
    assert result.kind == "transfer_contract"
    assert name in result.message


def test_an_ofd_package_is_recognised_from_its_content(tmp_path: Path) -> None:
    data = write_ofd(tmp_path / "certificate.bin")
    result = check(tmp_path, "certificate.bin", sha(data))
    assert result.status == "ok"
    assert result.media_type == "application/ofd"


def test_a_zip_without_a_root_ofd_xml_is_not_an_ofd(tmp_path: Path) -> None:
    data = write_ofd(tmp_path / "fake.ofd", root_entry="Doc_0/OFD.xml")
    result = check(tmp_path, "fake.ofd", sha(data))
    assert result.status == "unrecognised_type"
    assert result.media_type is None


def test_a_truncated_zip_is_unrecognised_not_a_crash(tmp_path: Path) -> None:
    data = b"PK\x03\x04" + b"\x00" * 40
    result = check(tmp_path, "broken.ofd", put(tmp_path, "broken.ofd", data))
    assert result.status == "unrecognised_type"


def test_a_word_file_renamed_pdf_is_unrecognised(tmp_path: Path) -> None:
    data = "这是一份合同".encode()
    result = check(tmp_path, "contract.pdf", put(tmp_path, "contract.pdf", data))
    assert result.status == "unrecognised_type"
    assert result.message == "文件contract.pdf的类型无法识别,只接受PDF、OFD、JPEG、PNG文件"
    assert result.actual_sha256 == sha(data)


@pytest.mark.parametrize(
    ("data", "label"),
    [(ELF_BYTES, "ELF"), (SCRIPT_BYTES, "#!"), (PE_BYTES, "PE")],
)
def test_a_renamed_executable_is_refused(tmp_path: Path, data: bytes, label: str) -> None:
    result = check(tmp_path, "contract.pdf", put(tmp_path, "contract.pdf", data))
    assert result.status == "executable"
    assert not result.ok
    assert "可执行文件" in result.message
    assert label in result.message
    assert result.media_type is None


def test_an_executable_is_named_even_when_its_digest_is_also_wrong(tmp_path: Path) -> None:
    put(tmp_path, "contract.pdf", ELF_BYTES)
    assert check(tmp_path, "contract.pdf", sha(b"other")).status == "executable"


def test_a_digest_mismatch(tmp_path: Path) -> None:
    put(tmp_path, "contract.pdf", PDF_BYTES)
    declared = sha(b"a different file")
    result = check(tmp_path, "contract.pdf", declared)
    assert result.status == "digest_mismatch"
    assert result.message == "文件contract.pdf的SHA-256与申报值不一致"
    assert result.declared_sha256 == declared
    assert result.actual_sha256 == sha(PDF_BYTES)
    assert result.media_type == "application/pdf"


def test_an_upper_case_digest_is_a_mismatch_that_says_why(tmp_path: Path) -> None:
    digest = put(tmp_path, "contract.pdf", PDF_BYTES)
    result = check(tmp_path, "contract.pdf", digest.upper())
    assert result.status == "digest_mismatch"
    assert "64位小写十六进制" in result.message


def test_a_missing_file(tmp_path: Path) -> None:
    result = check(tmp_path, "contract.pdf", sha(PDF_BYTES))
    assert result.status == "missing"
    assert result.message == "文件contract.pdf不存在"
    assert (result.size, result.actual_sha256, result.media_type) == (None, None, None)


def test_a_path_through_a_file_is_missing(tmp_path: Path) -> None:
    put(tmp_path, "contract.pdf", PDF_BYTES)
    assert check(tmp_path, "contract.pdf/x.pdf", sha(PDF_BYTES)).status == "missing"


def test_an_empty_file(tmp_path: Path) -> None:
    result = check(tmp_path, "contract.pdf", put(tmp_path, "contract.pdf", b""))
    assert result.status == "empty"
    assert result.size == 0
    assert "空文件" in result.message


def test_a_too_large_file_is_not_read(tmp_path: Path) -> None:
    data = PDF_BYTES * 10
    result = check(tmp_path, "contract.pdf", put(tmp_path, "contract.pdf", data), max_bytes=100)
    assert result.status == "too_large"
    assert result.size == len(data)
    assert result.actual_sha256 is None
    assert "100字节" in result.message
    at_limit = check(tmp_path, "contract.pdf", sha(data), max_bytes=len(data))
    assert at_limit.ok


@pytest.mark.parametrize(
    "name",
    ["../x.pdf", "sub/../../x.pdf", "a/../x.pdf", "..\\x.pdf", "/etc/passwd", "C:/x.pdf", ""],
)
def test_a_name_that_leaves_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "handed_over"
    folder.mkdir()
    put(tmp_path, "x.pdf", PDF_BYTES)
    result = check(folder, name, sha(PDF_BYTES))
    assert result.status == "escapes_folder"
    assert result.size is None
    assert result.path is None


def test_a_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "handed_over"
    folder.mkdir()
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF_BYTES)
    (folder / "contract.pdf").symlink_to(outside)
    (folder / "sub").symlink_to(tmp_path)
    for name in ("contract.pdf", "sub/secret.pdf"):
        result = check(folder, name, sha(PDF_BYTES))
        assert result.status == "escapes_folder", name
        assert "符号链接" in result.message


def test_a_symlink_inside_the_folder_is_refused_too(tmp_path: Path) -> None:
    put(tmp_path, "real.pdf", PDF_BYTES)
    (tmp_path / "contract.pdf").symlink_to(tmp_path / "real.pdf")
    assert check(tmp_path, "contract.pdf", sha(PDF_BYTES)).status == "escapes_folder"


def test_a_folder_given_by_a_symlinked_path_still_works(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    digest = put(real, "contract.pdf", PDF_BYTES)
    (tmp_path / "alias").symlink_to(real)
    assert check(tmp_path / "alias", "contract.pdf", digest).ok


def test_a_directory_and_a_fifo_are_not_files(tmp_path: Path) -> None:
    (tmp_path / "contract.pdf").mkdir()
    result = check(tmp_path, "contract.pdf", sha(PDF_BYTES))
    assert result.status == "not_a_file"
    assert result.message == "文件contract.pdf不是普通文件"
    os.mkfifo(tmp_path / "pipe.pdf")
    assert check(tmp_path, "pipe.pdf", sha(PDF_BYTES)).status == "not_a_file"


def test_a_backslash_name_from_windows_finds_the_subfolder(tmp_path: Path) -> None:
    digest = put(tmp_path, "scans/a.png", png_bytes())
    result = check(tmp_path, "scans\\a.png", digest)
    assert result.ok
    assert result.path == tmp_path.resolve() / "scans" / "a.png"


def test_check_documents_keeps_the_declared_order(tmp_path: Path) -> None:
    pdf = put(tmp_path, "contract.pdf", PDF_BYTES)
    results = check_documents(
        tmp_path,
        [
            ("transfer_contract", "contract.pdf", pdf),
            ("invoice", "missing.pdf", pdf),
            ("certificate", "../x.pdf", pdf),
        ],
        max_bytes=1024,
    )
    assert [(r.kind, r.status) for r in results] == [
        ("transfer_contract", "ok"),
        ("invoice", "missing"),
        ("certificate", "escapes_folder"),
    ]


def test_a_big_file_is_hashed_in_chunks(tmp_path: Path) -> None:
    data = PDF_BYTES + os.urandom(3 * 1024 * 1024 + 7)
    result = check(tmp_path, "big.pdf", put(tmp_path, "big.pdf", data))
    assert result.ok
    assert result.size == len(data)


def test_a_non_positive_bound_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        check(tmp_path, "contract.pdf", sha(PDF_BYTES), max_bytes=0)
