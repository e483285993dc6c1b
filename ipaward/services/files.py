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
    """Every declared file checked where it lies; the good ones copied content-addressed."""
    declared = [(d.kind, d.name, d.sha256) for d in application.envelope.documents]
    result = []
    for check in check_documents(folder, declared, max_bytes=max_bytes):
        stored = None
        if check.ok and check.path is not None:
            try:
                stored = store_file(files_root, check.path, check.declared_sha256)
            except (OSError, ValueError) as error:  # changed or vanished since it was checked
                check = dataclasses.replace(
                    check,
                    status="digest_mismatch",
                    message=f"文件{check.name}在保存时发生变化:{error}",
                )
        result.append(CheckedDocument(check=check, stored_path=stored))
    return result
