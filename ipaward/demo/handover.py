"""Write a demo application and its documents as an applicant would hand them over."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from ipaward import labels

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + bytes(56)


def pdf_bytes(label: str) -> bytes:
    """A small real PDF; its content (and digest) depends on the label."""
    body = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 1/Kids[3 0 R]>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def write_demo_application(
    folder: Path, data: dict[str, Any], *, label: str, fault: str | None
) -> Path:
    """application.json plus one PDF per document; `fault` damages the last document."""
    data = copy.deepcopy(data)
    folder.mkdir(parents=True, exist_ok=True)
    documents = data["documents"]
    for index, document in enumerate(documents):
        name = (
            f"{index:02d}-{labels.label(document['kind'], 'documents')}.pdf"  # as applicants name
        )
        content = pdf_bytes(f"{label} {name}")
        if fault == "renamed_executable" and index == len(documents) - 1:
            content = ELF_HEADER
        (folder / name).write_bytes(content)
        document["name"], document["sha256"] = name, hashlib.sha256(content).hexdigest()
    last = folder / documents[-1]["name"]
    if fault in ("digest_mismatch", "lapses"):
        last.write_bytes(pdf_bytes(f"{label} replaced after signing"))
    elif fault == "missing_file":
        last.unlink()
    path = folder / "application.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
