"""Check the files handed over with applications and keep the good ones by digest."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ipaward.documents import DocumentCheck, check_documents, store_file
from ipaward.exchange.validate import ValidApplication


@dataclass(frozen=True)
class CheckedDocument:
    check: DocumentCheck
    stored_path: Path | None


def check_and_store(
    folder: Path, application: ValidApplication, *, files_root: Path, max_bytes: int
) -> list[CheckedDocument]:
    """Every declared file checked where it lies; the good ones copied content-addressed.

    A file that changed or vanished since its check is the applicant's problem (补正); the
    store failing to write (read-only home, full disk) is the machine's, and raises."""
    declared = [(d.kind, d.name, d.sha256) for d in application.envelope.documents]
    result = []
    for check in check_documents(folder, declared, max_bytes=max_bytes):
        stored = None
        if check.ok and check.path is not None:
            try:
                stored = store_file(files_root, check.path, check.declared_sha256)
            except (OSError, ValueError) as error:  # changed or vanished since it was checked
                if isinstance(error, OSError) and not _about(error, check.path):
                    raise
                check = dataclasses.replace(
                    check,
                    status="digest_mismatch",
                    message=f"文件{check.name}在保存时发生变化:{error}",
                )
        result.append(CheckedDocument(check=check, stored_path=stored))
    return result


def _about(error: OSError, source: Path) -> bool:
    """Whether an error of the store names the applicant's file (not the store's own)."""
    return error.filename is not None and Path(error.filename) == source
