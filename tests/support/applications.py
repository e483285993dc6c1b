"""Application files with real documents, as an applicant would hand them over."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipaward.settings import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"


def pdf_bytes(label: str) -> bytes:
    """A small but real PDF whose content (and so digest) depends on the label."""
    body = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 1/Kids[3 0 R]>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def write_application(
    folder: Path,
    data: dict[str, Any],
    *,
    label: str = "",
    broken: Callable[[dict[str, Any], Path], None] | None = None,
) -> Path:
    """Write application.json and a real PDF per declared document into `folder`.

    `broken(document, path)` may damage one document after its digest was declared.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for index, document in enumerate(data.get("documents", [])):
        name = f"{index:02d}-{document['kind']}.pdf"
        content = pdf_bytes(f"{label}{name}")
        (folder / name).write_bytes(content)
        document["name"] = name
        document["sha256"] = hashlib.sha256(content).hexdigest()
        if broken is not None:
            broken(document, folder / name)
    path = folder / "application.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
