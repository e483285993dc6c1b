"""Application files with real documents, as an applicant would hand them over."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipaward.demo.handover import pdf_bytes
from ipaward.settings import PROJECT_ROOT

__all__ = ["example", "pdf_bytes", "write_application"]

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"


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
